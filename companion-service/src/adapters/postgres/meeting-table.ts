import type pg from 'pg';
import {
  invitationVerdict,
  type Invitation,
  type InvitationVerdict,
} from '../../domain/calendar/invitation.js';
import type { Queryable } from './conversation-table.js';
import type { OrgDatabase } from './org-scope.js';

/**
 * The calendar_meetings table: each invitation recorded under its UID when it is newer than what is
 * known (domain/calendar/invitation.ts decides), in a transaction that holds the row, so two copies
 * of an update arriving together are applied once and in SEQUENCE order.
 */

export interface MeetingRow {
  uid: string;
  sequence: number;
  cancelled: boolean;
  invitation: Invitation;
  ownerId: string | null;
  eventId: string | null;
  opportunityId: string | null;
  syncAttempts: number;
}

export async function recordInvitation(
  org: OrgDatabase,
  invitation: Invitation,
  via: 'smtp' | 'api',
  ownerId: string | null,
): Promise<InvitationVerdict> {
  return org.transaction(async (client) => {
    const known = await client.query<{ sequence: number; cancelled: boolean }>(
      'SELECT sequence, cancelled FROM calendar_meetings WHERE uid = $1 FOR UPDATE',
      [invitation.uid],
    );
    const verdict = invitationVerdict(known.rows[0] ?? null, invitation);
    if (verdict === 'stale' || verdict === 'unchanged') return verdict;
    await client.query(
      `INSERT INTO calendar_meetings (uid, sequence, cancelled, invitation, received_via, owner_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (org_id, uid) DO UPDATE SET sequence = EXCLUDED.sequence, cancelled = EXCLUDED.cancelled,
         invitation = EXCLUDED.invitation, received_via = EXCLUDED.received_via,
         owner_id = COALESCE(EXCLUDED.owner_id, calendar_meetings.owner_id),
         updated_at = now(), sync_due = true, sync_attempts = 0, sync_error = NULL`,
      [invitation.uid, invitation.sequence, invitation.cancelled, JSON.stringify(invitation), via, ownerId],
    );
    return verdict;
  });
}

interface Row {
  uid: string;
  sequence: number;
  cancelled: boolean;
  invitation: Invitation;
  owner_id: string | null;
  event_id: string | null;
  opportunity_id: string | null;
  sync_attempts: number;
}

const toMeeting = (r: Row): MeetingRow => ({
  uid: r.uid,
  sequence: r.sequence,
  cancelled: r.cancelled,
  invitation: r.invitation,
  ownerId: r.owner_id,
  eventId: r.event_id,
  opportunityId: r.opportunity_id,
  syncAttempts: r.sync_attempts,
});

/** One meeting whose Event is due, held for this transaction; other workers skip it. */
export async function takeDueMeeting(client: pg.PoolClient, maxAttempts: number): Promise<MeetingRow | null> {
  const { rows } = await client.query<Row>(
    `SELECT uid, sequence, cancelled, invitation, owner_id, event_id, opportunity_id, sync_attempts
       FROM calendar_meetings WHERE sync_due AND sync_attempts < $1
       ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [maxAttempts],
  );
  return rows[0] ? toMeeting(rows[0]) : null;
}

export async function markMeetingSynced(
  client: pg.PoolClient,
  uid: string,
  eventId: string | null,
  opportunityId: string | null,
): Promise<void> {
  await client.query(
    `UPDATE calendar_meetings SET sync_due = false, event_id = $2, opportunity_id = $3, synced_at = now(),
       sync_error = NULL WHERE uid = $1`,
    [uid, eventId, opportunityId],
  );
}

export async function markMeetingFailed(client: pg.PoolClient, uid: string, error: string): Promise<void> {
  await client.query(
    'UPDATE calendar_meetings SET sync_attempts = sync_attempts + 1, sync_error = $2 WHERE uid = $1',
    [uid, error.slice(0, 2000)],
  );
}

export async function findMeeting(
  pool: Queryable,
  uid: string,
): Promise<(MeetingRow & { syncDue: boolean; syncError: string | null }) | null> {
  const { rows } = await pool.query<Row & { sync_due: boolean; sync_error: string | null }>(
    `SELECT uid, sequence, cancelled, invitation, owner_id, event_id, opportunity_id, sync_attempts, sync_due, sync_error
       FROM calendar_meetings WHERE uid = $1`,
    [uid],
  );
  const row = rows[0];
  return row ? { ...toMeeting(row), syncDue: row.sync_due, syncError: row.sync_error } : null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Erasure by address: every stored invitation naming it, in any case and in any field (the
 * organizer, an attendee, the title), goes. The whole row is searched, as for conversations, since
 * a sync error can quote an address too.
 */
export async function eraseMeetingsNaming(db: Queryable, address: string): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM calendar_meetings WHERE calendar_meetings::text ILIKE $1',
    [likePattern(address)],
  );
  return rowCount ?? 0;
}

/**
 * Retention: a meeting ended before `before` whose Event is written (or, for a cancelled one, taken
 * away) is purged; the org keeps the Event. One still owed to Salesforce stays, so the purge never
 * loses an Event a rep is waiting for; the retention runs from the meeting's end, not its receipt,
 * because an invitation is often sent months ahead.
 */
export async function purgeWrittenMeetings(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM calendar_meetings
      WHERE NOT sync_due AND synced_at IS NOT NULL AND (invitation->>'end')::timestamptz < $1`,
    [before],
  );
  return rowCount ?? 0;
}

/**
 * Meetings whose Event is written on a deal with a known owner, ended since `endedSince` (bounded by
 * `limit`, latest first): the ones whose notes may need asking for.
 */
export async function meetingsOnDeals(
  pool: Queryable,
  endedSince: string,
  limit: number,
): Promise<MeetingRow[]> {
  const { rows } = await pool.query<Row>(
    `SELECT uid, sequence, cancelled, invitation, owner_id, event_id, opportunity_id, sync_attempts
       FROM calendar_meetings
      WHERE NOT sync_due AND opportunity_id IS NOT NULL AND owner_id IS NOT NULL
        AND (invitation->>'end') >= $1
      ORDER BY invitation->>'end' DESC LIMIT $2`,
    [endedSince, limit],
  );
  return rows.map(toMeeting);
}

/** Processed conversations matched to one of `opportunityIds`, received since `since`. */
export async function conversationsOnDeals(
  pool: Queryable,
  opportunityIds: readonly string[],
  since: string,
): Promise<{ opportunityId: string; arrivedAt: string }[]> {
  if (opportunityIds.length === 0) return [];
  const { rows } = await pool.query<{ opportunity_id: string; received_at: Date }>(
    `SELECT result->'match'->'opportunity'->>'id' AS opportunity_id, received_at
       FROM conversations
      WHERE status = 'processed' AND received_at >= $2
        AND result->'match'->'opportunity'->>'id' = ANY($1::text[])`,
    [opportunityIds, since],
  );
  return rows.map((r) => ({ opportunityId: r.opportunity_id, arrivedAt: r.received_at.toISOString() }));
}
