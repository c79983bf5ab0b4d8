import type { Queryable } from './conversation-table.js';
import type { OrgDatabase } from './org-scope.js';
import { requeueDead } from './conversation-table.js';
import { conversationsById, eraseConversationRows } from './erasure-store.js';
import type { PostgresIngestQueue } from './postgres-ingest-queue.js';

/**
 * Recordings held for consent (dead with CONSENT_HELD): listed for the admin page, released (the
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

const HELD = `source = 'recording' AND status = 'dead' AND error_code = 'CONSENT_HELD'`;

export async function listHeldRecordings(db: Queryable, limit = 200): Promise<HeldRecording[]> {
  const { rows } = await db.query<HeldRecording & { heldAt: Date }>(
    `SELECT id,
            payload->'recording'->>'tool' AS tool,
            payload->'recording'->>'title' AS title,
            payload->'recording'->>'startedAt' AS "startedAt",
            payload->'consent'->>'jurisdiction' AS jurisdiction,
            payload->'consent'->>'reason' AS reason,
            finished_at AS "heldAt"
     FROM conversations WHERE ${HELD}
     ORDER BY finished_at DESC LIMIT $1`,
    [limit],
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
