import type { Queryable } from './conversation-table.js';
import type { OrgDatabase } from './org-scope.js';
import { requeueDead } from './conversation-table.js';
import { conversationsById, eraseConversationRows } from './erasure-store.js';
import type { PostgresIngestQueue } from './postgres-ingest-queue.js';

/**
 * Recordings and Zoom and Teams meetings held for consent (dead with CONSENT_HELD): listed for the admin page, released (the
 * decision is recorded in the stored job, then re-queued in the same transaction) or dropped (erased
 * with every copy, as an erasure is).
 */

export interface HeldRecording {
  id: string;
  tool: string;
  title: string | null;
  startedAt: string | null;
  jurisdiction: string;
  reason: string;
  heldAt: string;
}

const HELD = `source IN ('recording', 'zoom', 'teams') AND status = 'dead' AND error_code = 'CONSENT_HELD'`;

/**
 * A recorder's job carries its consent decision (decided on arrival); a Zoom or Teams job is judged
 * by the worker once the transcript is in (services/ingest/recorder-input.ts), and its decision is
 * the dead letter's reason, which names the jurisdiction as "... is in US-CA, where ...".
 */
const JURISDICTION_IN_REASON = ` is in ([A-Z]{2}(?:-[A-Z0-9]{1,3})?), where`;

export async function listHeldRecordings(db: Queryable, limit = 200): Promise<HeldRecording[]> {
  const { rows } = await db.query<HeldRecording & { heldAt: Date }>(
    `SELECT id,
            CASE WHEN source = 'recording' THEN payload->'recording'->>'tool' ELSE source END AS tool,
            COALESCE(payload->'recording'->>'title', payload->>'topic') AS title,
            COALESCE(payload->'recording'->>'startedAt', payload->>'startTime') AS "startedAt",
            COALESCE(payload->'consent'->>'jurisdiction', substring(error_message from $2)) AS jurisdiction,
            COALESCE(payload->'consent'->>'reason', error_message) AS reason,
            finished_at AS "heldAt"
     FROM conversations WHERE ${HELD}
     ORDER BY finished_at DESC LIMIT $1`,
    [limit, JURISDICTION_IN_REASON],
  );
  return rows.map((r) => ({ ...r, heldAt: new Date(r.heldAt).toISOString() }));
}

/** Released by `releasedBy`: processed as any other from now on. False when it is not held. */
export async function releaseHeldRecording(
  org: OrgDatabase,
  queue: PostgresIngestQueue,
  id: string,
  releasedBy: string,
): Promise<boolean> {
  return org.transaction(async (client) => {
    const { rowCount } = await client.query(
      `UPDATE conversations
       SET payload = jsonb_set(payload, '{consent}',
             jsonb_build_object('action', 'process', 'reason', NULL, 'releasedBy', $2::text, 'releasedAt', now()))
       WHERE id = $1 AND ${HELD}`,
      [id, releasedBy],
    );
    if (!rowCount) return false;
    for (const requeued of await requeueDead(client, [id])) await queue.schedule(client, requeued);
    return true;
  });
}

/** Dropped: the recording and every copy of it are erased. False when it is not held. */
export async function dropHeldRecording(org: OrgDatabase, id: string): Promise<boolean> {
  const { rows } = await org.query<{ id: string }>(`SELECT id FROM conversations WHERE id = $1 AND ${HELD}`, [
    id,
  ]);
  if (rows.length === 0) return false;
  const { erased } = await eraseConversationRows(org, await conversationsById(org, [id]));
  return erased.includes(id);
}
