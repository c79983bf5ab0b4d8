import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import {
  CONVERSATION_QUEUE,
  INTAKE_GROUP_COMMIT,
  MAX_GROUP_COMMIT,
  PostgresIngestQueue,
  conversationIdFor,
  startBoss,
} from '../../../src/adapters/postgres/postgres-ingest-queue.js';
import { EnqueueError, type IngestJob } from '../../../src/domain/source/ingest-queue.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/**
 * Group commit on a real Postgres: webhooks arriving together share one transaction, yet each caller
 * hears whether its conversation is new, a repeat within the group counts once, and a group that
 * cannot commit turns every caller away with nothing stored.
 */

let db: TestDatabase;
let boss: PgBoss;
let queue: PostgresIngestQueue;

beforeAll(async () => {
  db = await startTestDatabase();
  boss = await startBoss(db.database.pool, db.settings(), silentLogger);
  queue = new PostgresIngestQueue(db.org, boss);
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await db?.stop();
});

const job = (key: string, payload: unknown = { text: `call ${key}` }): IngestJob => ({
  source: 'gong',
  idempotencyKey: key,
  correlationId: `corr-${key}`,
  payload,
  receivedAt: new Date().toISOString(),
});

async function stored(prefix: string): Promise<{ rows: number; jobs: number }> {
  const pool = db.database.pool;
  const rows = await pool.query<{ id: string }>(
    `SELECT id FROM conversations WHERE idempotency_key LIKE $1`,
    [`${prefix}%`],
  );
  const ids = rows.rows.map((r) => r.id);
  const jobs = await pool.query<{ count: string }>(
    `SELECT count(*) FROM pgboss.job WHERE name = $1 AND data->>'conversationId' = ANY($2)`,
    [CONVERSATION_QUEUE, ids],
  );
  return { rows: ids.length, jobs: Number(jobs.rows[0]!.count) };
}

/** Counts transactions committed by the database while `work` runs. */
async function commitsDuring(work: () => Promise<unknown>): Promise<number> {
  const count = async () =>
    Number(
      (
        await db.database.pool.query<{ n: string }>(
          `SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`,
        )
      ).rows[0]!.n,
    );
  // The statistics are flushed lazily; forcing it keeps the count exact.
  await db.database.pool.query('SELECT pg_stat_force_next_flush()');
  const before = await count();
  await work();
  await db.database.pool.query('SELECT pg_stat_force_next_flush()');
  return (await count()) - before;
}

describe('group commit', () => {
  it('stores concurrent webhooks in shared transactions, once each, and says which were repeats', async () => {
    await queue.enqueue(job('group-a:already'));
    const keys = [
      ...Array.from({ length: 50 }, (_, i) => `group-a:${i}`),
      'group-a:3', // a repeat inside the same group
      'group-a:7',
      'group-a:7',
      'group-a:already', // stored by an earlier transaction
    ];
    let results: Awaited<ReturnType<PostgresIngestQueue['enqueue']>>[] = [];
    const commits = await commitsDuring(async () => {
      results = await Promise.all(keys.map((key) => queue.enqueue(job(key))));
    });

    expect(results.map((r) => r.conversationId)).toEqual(keys.map((key) => conversationIdFor('gong', key)));
    expect(results.slice(0, 50).every((r) => !r.duplicate)).toBe(true);
    expect(results.slice(50).map((r) => r.duplicate)).toEqual([true, true, true, true]);
    expect(await stored('group-a:')).toEqual({ rows: 51, jobs: 51 });
    // 54 callers, yet far fewer transactions than one each (the statistics queries commit too).
    expect(commits).toBeLessThan(10);
  });

  it('bounds a group and commits the callers beyond it in the next', async () => {
    const keys = Array.from({ length: MAX_GROUP_COMMIT * 2 + 5 }, (_, i) => `group-b:${i}`);
    const results = await Promise.all(keys.map((key) => queue.enqueue(job(key))));
    expect(results.filter((r) => r.duplicate)).toHaveLength(0);
    expect(await stored('group-b:')).toEqual({ rows: keys.length, jobs: keys.length });
  });

  it('stores a key once when transactions committing side by side both hold it, in any order', async () => {
    // Groups of 10, several in flight at once: the same 20 keys forwards, then backwards.
    const small = new PostgresIngestQueue(db.org, boss, null, {
      ...INTAKE_GROUP_COMMIT,
      maxBatch: 10,
    });
    const keys = Array.from({ length: 20 }, (_, i) => `group-e:${i}`);
    const outcomes = await Promise.allSettled(
      [...keys, ...keys.toReversed()].map((key) => small.enqueue(job(key))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<{ duplicate: boolean }>).value);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(20);
    expect(await stored('group-e:')).toEqual({ rows: 20, jobs: 20 });
  });

  it('turns every caller of a group away when it cannot commit, and stores none of it', async () => {
    const pool = db.database.pool;
    // The job store fails after the conversation rows are written: they must roll back with it.
    await pool.query(`CREATE FUNCTION refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the job store is unavailable'; END $$`);
    await pool.query(`CREATE TRIGGER refuse_jobs AFTER INSERT ON pgboss.job
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_jobs()`);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => queue.enqueue(job(`group-c:${i}`))),
      );
      expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
      for (const outcome of outcomes) {
        const reason = (outcome as PromiseRejectedResult).reason as EnqueueError;
        expect(reason).toBeInstanceOf(EnqueueError);
        expect(reason.retryable).toBe(true);
        expect(reason.message).toMatch(/the job store is unavailable.*send it again/);
      }
    } finally {
      await pool.query('DROP TRIGGER refuse_jobs ON pgboss.job');
      await pool.query('DROP FUNCTION refuse_jobs()');
    }
    expect(await stored('group-c:')).toEqual({ rows: 0, jobs: 0 });
    // The callers retry, as a webhook sender does after a 503, and now are stored once.
    const retried = await Promise.all(
      Array.from({ length: 20 }, (_, i) => queue.enqueue(job(`group-c:${i}`))),
    );
    expect(retried.every((r) => !r.duplicate)).toBe(true);
    expect(await stored('group-c:')).toEqual({ rows: 20, jobs: 20 });
  });

  it('turns away only the caller whose payload the database refuses, not the rest of its group', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `group-d:${i}`);
    const outcomes = await Promise.allSettled(
      keys.map((key, i) => queue.enqueue(job(key, i === 4 ? { text: 'nul \u0000 inside' } : undefined))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(keys.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
    const refused = (outcomes[4] as PromiseRejectedResult).reason as EnqueueError;
    // Sending it again cannot help: the sender hears a 4xx rather than a 503 to retry forever.
    expect(refused.retryable).toBe(false);
    // …and hears what to change: the field and the character.
    expect(refused.message).toMatch(/^body: the text holds a NUL character .*remove them and send it again$/);
    expect(await stored('group-d:')).toEqual({ rows: 9, jobs: 9 });
  });
});
