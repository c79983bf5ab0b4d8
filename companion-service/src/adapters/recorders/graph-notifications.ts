import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ReleasedConsentSchema } from './zoom-payload.js';

/**
 * Microsoft Graph change notifications for Teams meeting transcripts, in Graph's shape: a
 * changeNotificationCollection whose `value` holds change notifications (`changeType`, `clientState`,
 * `resource` such as `communications/onlineMeetings('{meetingId}')/transcripts('{transcriptId}')`)
 * or lifecycle notifications (`lifecycleEvent`: reauthorizationRequired, subscriptionRemoved, missed).
 * https://learn.microsoft.com/en-us/graph/api/resources/changenotificationcollection
 * https://learn.microsoft.com/en-us/graph/api/resources/changenotification
 * https://learn.microsoft.com/en-us/graph/teams-changenotifications-callrecording-and-calltranscript
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */

const NotificationSchema = z
  .object({
    /** Graph's id for the notification (optional in Graph's schema); a retry carries the same. */
    id: z.string().min(1).max(200).optional(),
    subscriptionId: z.string().min(1).max(200),
    subscriptionExpirationDateTime: z.string().max(60).optional(),
    changeType: z.string().max(40).optional(),
    lifecycleEvent: z.string().max(60).optional(),
    // Graph caps clientState at 255 characters.
    clientState: z.string().max(255).optional(),
    resource: z.string().max(1000).optional(),
    resourceData: z
      .object({ id: z.string().max(500).optional() })
      .loose()
      .optional(),
    tenantId: z.string().max(100).optional(),
  })
  .loose();

export const ChangeNotificationCollectionSchema = z.object({
  value: z.array(NotificationSchema).min(1).max(1000),
});
export type GraphNotification = z.infer<typeof NotificationSchema>;

/** What a queued Teams job holds: the transcript's resource path in Graph. */
export const TeamsJobSchema = z.object({
  /** `users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}` or the communications form. */
  transcriptPath: z.string().min(1),
  meetingId: z.string().min(1),
  transcriptId: z.string().min(1),
  tenantId: z.string().optional(),
  consent: ReleasedConsentSchema.optional(),
});
export type TeamsJob = z.infer<typeof TeamsJobSchema>;

/** A Graph id as it appears in a resource: base64-like, never a quote, slash or space. */
const GRAPH_ID = /^[A-Za-z0-9=+_.:@-]{1,400}$/;

/**
 * The transcript a notification's resource names, as a REST path. Graph writes the resource OData
 * style (`onlineMeetings('id')/transcripts('id')`) or as a path; both are read, and the ids are
 * checked before they are put back into a URL.
 */
export function transcriptOf(resource: string): Omit<TeamsJob, 'tenantId' | 'consent'> | null {
  const parts = resource
    .replace(/^\//, '')
    .replace(/\('([^'/]*)'\)/g, '/$1')
    .split('/');
  let userId: string | null = null;
  let rest: string[];
  if (parts[0] === 'communications') rest = parts.slice(1);
  else if (parts[0] === 'users') {
    userId = parts[1] ?? '';
    rest = parts.slice(2);
  } else return null;
  if (rest.length !== 4 || rest[0] !== 'onlineMeetings' || rest[2] !== 'transcripts') return null;
  const [, meetingId, , transcriptId] = rest as [string, string, string, string];
  if (![meetingId, transcriptId, ...(userId === null ? [] : [userId])].every((id) => GRAPH_ID.test(id))) {
    return null;
  }
  const meetingPath = `onlineMeetings/${encodeURIComponent(meetingId)}/transcripts/${encodeURIComponent(transcriptId)}`;
  return {
    transcriptPath:
      userId === null
        ? `communications/${meetingPath}`
        : `users/${encodeURIComponent(userId)}/${meetingPath}`,
    meetingId,
    transcriptId,
  };
}

export function sameClientState(expected: string, received: string | undefined): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
