import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import { makeId } from '@pipeline-scribe/local-salesforce/org/schema/ids';
import {
  CONVERSATION_QUEUE,
  PostgresIngestQueue,
  startBoss,
} from '../../src/adapters/postgres/postgres-ingest-queue.js';
import { orgDatabase } from '../../src/adapters/postgres/org-scope.js';
import { findConversation } from '../../src/adapters/postgres/conversation-table.js';
import { ConversationWorker } from '../../src/services/worker.js';
import { silentLogger, startTestDatabase, TEST_ORG_ID, type TestDatabase } from '../support/postgres.js';

/**
 * A worker works with one org's Salesforce connection: a job of another org in the shared queue is
 * never processed with it (its conversation is not even read), but put back for that org's worker.
 */

const OTHER_ORG_ID = makeId('00D', 2);
let db: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  db = await startTestDatabase();
  boss = await startBoss(db.database.pool, db.settings(), silentLogger);
}, 60_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await db?.stop();
});

describe('a worker and the jobs of other orgs', () => {
  it('leaves another org’s conversation untouched and queued for later', async () => {
    const other = orgDatabase(db.database.pool, OTHER_ORG_ID);
    const { conversationId } = await new PostgresIngestQueue(other, boss).enqueue({
      source: 'gong',
      idempotencyKey: 'gong-call-1',
      correlationId: 'corr-1',
      payload: { content: 'the other org’s call' },
      receivedAt: '2026-03-10T10:00:00.000Z',
    });
    const unreachable = () => {
      throw new Error('the worker used its org’s Salesforce for another org’s conversation');
    };
    const worker = new ConversationWorker({
      pool: db.database.pool,
      orgId: TEST_ORG_ID,
      boss,
      queue: new PostgresIngestQueue(db.org, boss),
      processor: { process: unreachable } as never,
      resolve: { logger: silentLogger } as never,
      usage: () => ({ used: 0, max: 15_000 }) as never,
      metrics: { processed: unreachable, failed: unreachable } as never,
      logger: silentLogger,
      settings: {
        concurrency: 1,
        pollMs: 50,
        retry: { limit: 3, baseMs: 10, maxMs: 100 },
        limitPauseMs: 1000,
      },
    });
    await worker.start();
    try {
      // The job goes back with a later start: the one waiting then is a new one, not yet active.
      const deadline = Date.now() + 15_000;
      let jobs: { state: string; org: string; later: boolean }[] = [];
      while (Date.now() < deadline) {
        ({ rows: jobs } = await db.database.pool.query(
          `SELECT state, data->>'orgId' AS org, start_after > now() AS later FROM pgboss.job WHERE name = $1`,
          [CONVERSATION_QUEUE],
        ));
        if (jobs.some((j) => j.state === 'completed')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(jobs).toEqual(
        expect.arrayContaining([
          { state: 'completed', org: OTHER_ORG_ID, later: false },
          { state: 'created', org: OTHER_ORG_ID, later: true },
        ]),
      );
    } finally {
      await worker.stop(1_000);
    }
    const record = await findConversation(other, conversationId);
    expect(record).toMatchObject({ status: 'queued', attempts: 0 });
    // A status read carries no payload: the stored text is read as the other org, untouched.
    const { rows } = await other.query<{ payload: unknown }>(
      'SELECT payload FROM conversations WHERE id = $1',
      [conversationId],
    );
    expect(rows[0]?.payload).toMatchObject({ content: 'the other org’s call' });
  });
});
