import { createHash } from 'node:crypto';
import type { OrgDatabase } from '../adapters/postgres/org-scope.js';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import type { OrgSnapshotCache } from '../adapters/salesforce/org-rules.js';
import { readForConversation } from '../adapters/salesforce/conversation-read.js';
import {
  markMeetingFailed,
  markMeetingSynced,
  takeDueMeeting,
  type MeetingRow,
} from '../adapters/postgres/meeting-table.js';
import { customerAttendees } from '../domain/calendar/invitation.js';
import { matchOpportunity, type MatchHints } from '../domain/matching/match-opportunity.js';
import { MAX_ACTIVITY_CONTACTS } from '../domain/activity/activity-entry.js';
import { askForMeetingNotes } from './meeting-notes.js';

/**
 * Writes each recorded meeting to Salesforce as an Event: on the deal its customer attendees match
 * (the same matching as conversations), with those attendees as its contacts, owned by the rep who
 * sent or organised it; updated in place when a newer version arrives, deleted when cancelled.
 * Meetings wait in calendar_meetings until their Event is written, so one that fails (the org
 * unreachable) is tried again at the next pass, and one left behind by a stopped process is
 * written by the next.
 */

export interface MeetingEventDeps {
  /** The org's rows (org-scope.ts). */
  db: OrgDatabase;
  api: () => SalesforceApi;
  snapshots: Pick<OrgSnapshotCache, 'get'>;
  logger: Logger;
  /** How often meetings left due are looked for when none was announced. */
  pollMs?: number;
  /** Passes a meeting may fail before it is left for an operator (its error stays on the row). */
  maxAttempts?: number;
  now?: () => number;
  /**
   * How often the meeting-notes pass runs: each pass reads the org's actions, so it runs far less
   * often than the Event poll (an ask a few minutes late is harmless).
   */
  notesEveryMs?: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The Event fields a meeting sets (activity-records.ts EVENT_FIELDS lists the grants). */
type EventBody = Record<string, string | boolean | null | string[]>;

export class MeetingEventWriter {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private notesAskedAt = -Infinity;

  constructor(private readonly deps: MeetingEventDeps) {}

  start(): void {
    this.notify();
    const poll = this.deps.pollMs ?? 30_000;
    this.timer = setInterval(() => this.notify(), poll);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** A meeting was recorded: write what is due now. Resolves when this pass is done. */
  notify(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .then(() => this.askForNotes())
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.notify();
        }
      });
    return this.running;
  }

  /** After the Events are written, each meeting's deal is known: ask for the notes none covered. */
  private async askForNotes(): Promise<void> {
    const nowMs = (this.deps.now ?? Date.now)();
    if (this.stopped || nowMs - this.notesAskedAt < (this.deps.notesEveryMs ?? 15 * 60_000)) return;
    this.notesAskedAt = nowMs;
    await askForMeetingNotes(this.deps, new Date(nowMs).toISOString()).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'meeting notes could not be asked for; tried again next pass');
    });
  }

  private async drain(): Promise<void> {
    const maxAttempts = this.deps.maxAttempts ?? 5;
    let failed = 0;
    // One meeting per transaction, held while its Event is written; a failed one counts an attempt
    // and the pass moves on, so one meeting the org refuses does not hold back the others.
    while (!this.stopped && failed < 20) {
      const outcome = await this.deps.db
        .transaction(async (client) => {
          const meeting = await takeDueMeeting(client, maxAttempts);
          if (!meeting) return 'empty' as const;
          try {
            const written = await this.write(meeting);
            await markMeetingSynced(client, meeting.uid, written.eventId, written.opportunityId);
            return 'written' as const;
          } catch (error) {
            this.deps.logger.warn(
              { err: error, meeting: digest(meeting.uid) },
              'the Event of a calendar meeting could not be written; it is tried again',
            );
            await markMeetingFailed(client, meeting.uid, (error as Error).message);
            return 'failed' as const;
          }
        })
        .catch((error: unknown) => {
          this.deps.logger.error({ err: error }, 'calendar meetings could not be read');
          return 'empty' as const;
        });
      if (outcome === 'empty') return;
      if (outcome === 'failed') failed += 1;
    }
  }

  private async write(
    meeting: MeetingRow,
  ): Promise<{ eventId: string | null; opportunityId: string | null }> {
    const api = this.deps.api();
    if (meeting.cancelled) {
      if (meeting.eventId) {
        const [response] = await api.composite(
          [{ method: 'DELETE', path: `/sobjects/Event/${meeting.eventId}`, referenceId: 'event' }],
          false,
        );
        // Already gone (a rep deleted it) is what a cancellation wants too.
        if (response && response.httpStatusCode >= 300 && response.httpStatusCode !== 404) {
          throw new Error(
            `Salesforce refused to delete Event ${meeting.eventId}: ${JSON.stringify(response.body)}`,
          );
        }
      }
      return { eventId: null, opportunityId: meeting.opportunityId };
    }
    const snapshot = await this.deps.snapshots.get();
    const invitation = meeting.invitation;
    const customers = customerAttendees(invitation, snapshot.rules.sellerEmailDomains);
    const hints: MatchHints = {
      crmOpportunityId: null,
      requestedOpportunityId: null,
      requestedAccountId: null,
      previousOpportunityId: meeting.opportunityId,
      emails: customers.map((p) => p.email),
      names: customers.flatMap((p) => (p.name?.includes(' ') ? [p.name] : [])),
      text: invitation.title,
    };
    const read = await readForConversation(api, hints, `calendar:${digest(meeting.uid)}`, snapshot);
    const match = matchOpportunity(hints, read.linked, read.open, read.contacts);
    const opportunityId = match.kind === 'opportunity' ? match.opportunity.id : null;
    const whatId =
      match.kind === 'opportunity'
        ? match.opportunity.id
        : match.kind === 'account' || match.kind === 'ambiguous'
          ? match.accountId
          : null;
    const emails = new Set(customers.map((p) => p.email));
    const contactIds = read.contacts
      .filter((c) => c.email && emails.has(c.email.toLowerCase()))
      .map((c) => c.id)
      .slice(0, MAX_ACTIVITY_CONTACTS);
    const body: EventBody = {
      Subject: `Meeting: ${invitation.title}`.slice(0, 255),
      IsAllDayEvent: false,
      StartDateTime: invitation.start,
      EndDateTime: invitation.end,
      WhatId: whatId,
      WhoId: contactIds[0] ?? null,
      Description: describe(meeting),
    };
    if (snapshot.activity.sharedActivities) body.EventWhoIds = contactIds;
    if (meeting.eventId) {
      const [response] = await api.composite(
        [{ method: 'PATCH', path: `/sobjects/Event/${meeting.eventId}`, referenceId: 'event', body }],
        false,
      );
      if (response && response.httpStatusCode < 300) return { eventId: meeting.eventId, opportunityId };
      if (response?.httpStatusCode !== 404) {
        throw new Error(
          `Salesforce refused to update Event ${meeting.eventId}: ${JSON.stringify(response?.body)}`,
        );
      }
      // Deleted in the org since: the meeting is written anew.
    }
    const created: EventBody = {
      ...body,
      EventSubtype: 'Event',
      ...(meeting.ownerId ? { OwnerId: meeting.ownerId } : {}),
    };
    const [response] = await api.composite(
      [{ method: 'POST', path: '/sobjects/Event', referenceId: 'event', body: created }],
      false,
    );
    const id = (response?.body as { id?: unknown } | undefined)?.id;
    if (!response || response.httpStatusCode >= 300 || typeof id !== 'string') {
      throw new Error(`Salesforce refused to create the Event: ${JSON.stringify(response?.body)}`);
    }
    return { eventId: id, opportunityId };
  }
}

function describe(meeting: MeetingRow): string {
  const { invitation } = meeting;
  const who = (p: { name: string | null; email: string }) => (p.name ? `${p.name} <${p.email}>` : p.email);
  const lines = [
    `Meeting logged by Pipeline Scribe from a calendar invitation (version ${invitation.sequence}).`,
    ...(invitation.organizer ? [`Organizer: ${who(invitation.organizer)}`] : []),
    'Invited:',
    ...invitation.attendees.slice(0, 200).map((p) => `- ${who(p)}`),
  ];
  return lines.join('\n').slice(0, 32_000);
}
