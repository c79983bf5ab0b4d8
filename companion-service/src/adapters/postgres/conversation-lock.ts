import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { CONVERSATION_QUEUE, inTransaction } from './postgres-ingest-queue.js';

/**
 * A conversation in a worker's hands is held by a session-level Postgres advisory lock on its id,
 * taken on the connection the worker records the outcome with. The lock is the worker's heartbeat:
 * Postgres drops it the moment the worker's connection ends, so a killed process gives its
 * conversations up at once, while one that is only slow keeps them however long they take.
 *
 * The orphan sweep turns that into recovery: pg-boss marks a job active when a worker fetches it and,
 * left alone, hands it to another worker only after the job's expiry (SCRIBE_JOB_EXPIRE_SECONDS,
 * ten minutes). A short expiry is no fix: pg-boss 10 also fails a handler that outlives the expiry
 * (`resolveWithinSeconds` in its manager.js), so a long conversation would be retried while still
 * in hand. Instead each process looks every few seconds for active jobs whose conversation no
 * session holds and fails them through pg-boss, so its retry policy applies (a retry a few seconds
 * later; after too many, the crash queue that marks the conversation dead).
 */

/** pg-boss's schema: the default, as `startBoss` does not name another. */
const BOSS_SCHEMA = 'pgboss';

/**
 * Server-side TCP keepalives for the session that holds a lock (seconds idle, between probes, probes
 * lost): a worker whose machine vanishes sends no FIN, and without these Postgres would keep its
 * session, and the lock, for the operating system's default of two hours. Ignored on Unix sockets.
 */
const KEEPALIVE = { idle: '10', interval: '5', count: '3' };

/**
 * The lock's key: a conversation id is unique within its org only (two orgs sending the same Gong call
 * make the same id), so the org is part of it, and one org's worker never waits on another's.
 */
export const lockKeyOf = (orgId: string, conversationId: string) => `${orgId}/${conversationId}`;

/** Holds the conversation for this session; false when another session holds it. */
export async function holdConversation(
  client: pg.PoolClient,
  orgId: string,
  conversationId: string,
): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT set_config('tcp_keepalives_idle', $2, false),
            set_config('tcp_keepalives_interval', $3, false),
            set_config('tcp_keepalives_count', $4, false),
            pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`,
    [lockKeyOf(orgId, conversationId), KEEPALIVE.idle, KEEPALIVE.interval, KEEPALIVE.count],
  );
  return rows[0]!.ok;
}

/** Lets the conversation go; false when the connection broke (which let it go too). */
export async function releaseConversation(
  client: pg.PoolClient,
  orgId: string,
  conversationId: string,
): Promise<boolean> {
  return client
    .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKeyOf(orgId, conversationId)])
    .then(
      () => true,
      () => false,
    );
}

/** What the sweep says in the job's output, which the crash queue quotes if the job goes dead. */
export const ORPHANED = 'the worker holding this conversation is gone (its Postgres session ended)';

/**
 * Fails, through pg-boss, every conversation job active for at least `minAgeSeconds` whose
 * conversation no session holds; returns the conversation ids. The age leaves a worker the moment
 * between fetching a job and taking its lock. The candidates are locked (SKIP LOCKED, so processes
 * sweeping together split them) and materialized before any advisory lock is tried, so the sweep never
 * touches a conversation it will not fail; its transaction-level lock on each keeps a worker from
 * taking the conversation until the job is failed, and goes with the commit.
 */
export async function sweepOrphanedJobs(
  pool: pg.Pool,
  boss: PgBoss,
  minAgeSeconds: number,
): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; conversation_id: string }>(
      `WITH candidates AS MATERIALIZED (
         SELECT id, data->>'conversationId' AS conversation_id,
                -- Jobs queued before migration 070 carry no org: the single org's.
                COALESCE(data->>'orgId', scribe_single_org_id()) AS org_id
           FROM ${BOSS_SCHEMA}.job
          WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2)
          FOR UPDATE SKIP LOCKED
       )
       SELECT id, conversation_id FROM candidates
        WHERE conversation_id IS NOT NULL
          AND pg_try_advisory_xact_lock(hashtextextended(org_id || '/' || conversation_id, 0))`,
      [CONVERSATION_QUEUE, minAgeSeconds],
    );
    // One by one: pg-boss's types give no overload for many ids with an output; a sweep finds few.
    for (const { id } of rows) {
      await boss.fail(CONVERSATION_QUEUE, id, { message: ORPHANED }, { db: inTransaction(client) });
    }
    await client.query('COMMIT');
    return rows.map((r) => r.conversation_id);
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw error;
  } finally {
    client.release(broken);
  }
}
