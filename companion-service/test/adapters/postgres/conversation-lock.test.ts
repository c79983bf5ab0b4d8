import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import pg from 'pg';
import {
  holdConversation,
  releaseConversation,
  sweepOrphanedJobs,
} from '../../../src/adapters/postgres/conversation-lock.js';
import {
  CONVERSATION_QUEUE,
  PostgresIngestQueue,
  startBoss,
  type ConversationJob,
} from '../../../src/adapters/postgres/postgres-ingest-queue.js';
import { silentLogger, startTestDatabase, TEST_ORG_ID, type TestDatabase } from '../../support/postgres.js';

/**
 * The orphan sweep against a real Postgres and pg-boss: a job in hand whose conversation lock is gone
 * (its worker's session ended) goes back to the queue through pg-boss's retry; a job whose worker
 * still holds the lock, however long it takes, and a job just fetched, are left alone.
 */

let t: TestDatabase;
let boss: PgBoss;
let queue: PostgresIngestQueue;

beforeAll(async () => {
  t = await startTestDatabase();
  boss = await startBoss(t.database.pool, t.settings({ maintenanceSeconds: 3600 }), silentLogger);
  queue = new PostgresIngestQueue(t.org, boss);
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await t?.stop();
});

beforeEach(async () => t.reset());

/** A job for the conversation, fetched as a worker would: active from now on. */
async function fetched(conversationId: string): Promise<PgBoss.Job<ConversationJob>> {
  await queue.schedule(t.database.pool, conversationId);
  const [job] = await boss.fetch<ConversationJob>(CONVERSATION_QUEUE);
  expect(job?.data.conversationId).toBe(conversationId);
  return job!;
}

async function jobState(id: string) {
  const { rows } = await t.database.pool.query<{ state: string; retry_count: number; output: unknown }>(
    'SELECT state, retry_count, output FROM pgboss.job WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** A worker process of its own: a separate connection, which the test may end as a kill would. */
async function workerSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.database.connectionString });
  // Ended by the test as a kill would end it: the error that follows is expected.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the orphan sweep', () => {
  it('queues again a conversation whose worker was killed, and leaves one whose worker is alive', async () => {
    const killed = await fetched('cv_killed');
    const alive = await fetched('cv_alive');
    const doomed = await workerSession();
    const living = await t.database.pool.connect();
    try {
      expect(await holdConversation(doomed as unknown as pg.PoolClient, TEST_ORG_ID, 'cv_killed')).toBe(true);
      expect(await holdConversation(living, TEST_ORG_ID, 'cv_alive')).toBe(true);
      await sleep(1_100);
      // Both are in hand past the age: nothing is swept while their sessions hold them.
      expect(await sweepOrphanedJobs(t.database.pool, boss, 1)).toEqual([]);

      // The worker dies: Postgres ends its session, and the lock goes with it.
      await t.database.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1', [
        (doomed as unknown as { processID: number }).processID,
      ]);
      await doomed.end().catch(() => undefined);
      expect(await sweepOrphanedJobs(t.database.pool, boss, 1)).toEqual(['cv_killed']);

      const swept = await jobState(killed.id);
      expect(swept?.state).toBe('retry');
      expect(JSON.stringify(swept?.output)).toContain('worker holding this conversation is gone');
      expect((await jobState(alive.id))?.state).toBe('active');
      // Swept once: a second sweep finds nothing more.
      expect(await sweepOrphanedJobs(t.database.pool, boss, 1)).toEqual([]);

      // pg-boss's retry hands the same job to the next worker after its first delay (2-4 s).
      const deadline = Date.now() + 10_000;
      let again: PgBoss.Job<ConversationJob> | undefined;
      while (!again && Date.now() < deadline) {
        [again] = await boss.fetch<ConversationJob>(CONVERSATION_QUEUE);
        if (!again) await sleep(200);
      }
      expect(again?.id).toBe(killed.id);
      expect(await holdConversation(living, TEST_ORG_ID, 'cv_killed')).toBe(true);
      await releaseConversation(living, TEST_ORG_ID, 'cv_killed');
    } finally {
      await releaseConversation(living, TEST_ORG_ID, 'cv_alive');
      living.release();
    }
  }, 30_000);

  it('leaves a job fetched a moment ago, before its worker has taken the lock', async () => {
    const job = await fetched('cv_just_fetched');
    expect(await sweepOrphanedJobs(t.database.pool, boss, 10)).toEqual([]);
    expect((await jobState(job.id))?.state).toBe('active');
  });

  it('sends a conversation whose worker keeps dying to the crash queue after the retry limit', async () => {
    const { rows } = await t.database.pool.query<{ retry_limit: number }>(
      'SELECT retry_limit FROM pgboss.queue WHERE name = $1',
      [CONVERSATION_QUEUE],
    );
    const limit = rows[0]!.retry_limit;
    const job = await fetched('cv_crashes');
    for (let attempt = 0; attempt <= limit; attempt++) {
      // Each time in hand and orphaned: started long ago, as if the worker died at once.
      await t.database.pool.query(
        `UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 minute',
                retry_count = $2 WHERE id = $1`,
        [job.id, attempt],
      );
      expect(await sweepOrphanedJobs(t.database.pool, boss, 1)).toEqual(['cv_crashes']);
    }
    expect((await jobState(job.id))?.state).toBe('failed');
    const crashed = await t.database.pool.query(
      `SELECT data FROM pgboss.job WHERE name = 'conversation-crashed'`,
    );
    expect(crashed.rows.map((r: { data: ConversationJob }) => r.data.conversationId)).toEqual(['cv_crashes']);
  });
});
