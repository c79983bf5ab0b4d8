import { createHash } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import type { OrgSnapshotCache } from '../adapters/salesforce/org-rules.js';
import {
  conversationsOnDeals,
  meetingsOnDeals,
  type MeetingRow,
} from '../adapters/postgres/meeting-table.js';
import type { Queryable } from '../adapters/postgres/conversation-table.js';
import {
  readMeetingActions,
  writeMeetingActions,
  type MeetingActionWrite,
} from '../adapters/salesforce/meeting-actions.js';
import { meetingNotesWaitFromRecords } from '../adapters/metadata/scribe-settings.js';
import { customerAttendees } from '../domain/calendar/invitation.js';
import {
  MEETING_ACTION_KEY_PREFIX,
  meetingNotesAction,
  meetingNotesDecision,
  type MeetingForNotes,
} from '../domain/calendar/meeting-notes.js';

/**
 * Asks reps for the notes of their customer meetings that no conversation covered, in their
 * next-best-action queue, and closes the ask once a conversation for the deal arrives. Runs after
 * each pass of the meeting Event writer, so it sees the deal each meeting matched.
 */

export interface MeetingNotesDeps {
  db: Queryable;
  api: () => SalesforceApi;
  snapshots: Pick<OrgSnapshotCache, 'get'>;
  logger: Logger;
}

export interface MeetingNotesReport {
  considered: number;
  asked: number;
  closed: number;
  refused: number;
}

/** Meetings older than this are not asked about: the rep has moved on, and an old ask is noise. */
const LOOKBACK_DAYS = 14;
/** The most meetings one pass looks at, latest first, so a pass stays a few calls long. */
const MAX_MEETINGS = 500;

const actionKey = (uid: string) =>
  MEETING_ACTION_KEY_PREFIX + createHash('sha256').update(uid).digest('hex').slice(0, 32);

export async function askForMeetingNotes(deps: MeetingNotesDeps, now: string): Promise<MeetingNotesReport> {
  const report: MeetingNotesReport = { considered: 0, asked: 0, closed: 0, refused: 0 };
  const snapshot = await deps.snapshots.get();
  const { waitHours, problem } = meetingNotesWaitFromRecords(snapshot.settings);
  if (problem) deps.logger.warn({ problem }, 'meeting notes are not asked for: the wait setting is unusable');
  if (waitHours === null) return report;

  const since = new Date(Date.parse(now) - LOOKBACK_DAYS * 86_400_000).toISOString();
  const rows = await meetingsOnDeals(deps.db, since, MAX_MEETINGS);
  if (rows.length === 0) return report;
  const meetings = rows.map((row) => toMeeting(row, snapshot.rules.sellerEmailDomains));
  const earliest = meetings.reduce((min, m) => (m.start < min ? m.start : min), meetings[0]!.start);
  const conversations = await conversationsOnDeals(
    deps.db,
    [...new Set(meetings.map((m) => m.opportunityId!))],
    earliest,
  );
  const api = deps.api();
  const held = await readMeetingActions(
    api,
    meetings.map((m) => actionKey(m.uid)),
  );

  const writes: MeetingActionWrite[] = [];
  for (const meeting of meetings) {
    report.considered++;
    const key = actionKey(meeting.uid);
    const existing = held.get(key);
    if (existing?.decidedByRep) continue;
    const decision = meetingNotesDecision(meeting, conversations, now, waitHours);
    if (decision.kind === 'ask' && !existing) {
      writes.push({ kind: 'ask', externalId: key, fields: meetingNotesAction(meeting, waitHours) });
    } else if (
      (decision.kind === 'covered' || decision.kind === 'not-applicable') &&
      existing?.status === 'Open'
    ) {
      const why =
        decision.kind === 'covered'
          ? `Closed on ${now.slice(0, 10)}: a conversation for this deal arrived after the meeting.`
          : `Closed on ${now.slice(0, 10)}: ${decision.reason}.`;
      writes.push({ kind: 'close', id: existing.id, externalId: key, why });
    }
  }
  if (writes.length === 0) return report;
  const result = await writeMeetingActions(api, writes);
  const refused = new Set(result.refused.map((r) => r.externalId));
  for (const w of writes) {
    if (refused.has(w.externalId)) continue;
    if (w.kind === 'ask') report.asked++;
    else report.closed++;
  }
  report.refused = refused.size;
  for (const r of result.refused)
    deps.logger.warn({ action: r.externalId, error: r.error }, 'a meeting-notes action was refused');
  return report;
}

function toMeeting(row: MeetingRow, sellerDomains: readonly string[]): MeetingForNotes {
  return {
    uid: row.uid,
    title: row.invitation.title,
    start: row.invitation.start,
    end: row.invitation.end,
    cancelled: row.cancelled,
    opportunityId: row.opportunityId,
    ownerId: row.ownerId,
    customerEmails: customerAttendees(row.invitation, sellerDomains).map((p) => p.email),
  };
}
