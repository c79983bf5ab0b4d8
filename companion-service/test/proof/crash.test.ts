import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import type { LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { PostgresIngestQueue, startBoss } from '../../src/adapters/postgres/postgres-ingest-queue.js';
import { sampleBody, SAMPLE_FILES } from '../support/local-org.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  byExternalId,
  duplicates,
  startProofOrg,
  startWorker,
  stopWorker,
  waitUntilSettled,
  workerEnv,
  type WorkerProcess,
} from './crash-support.js';

/**
 * Proof under crashes: conversations queued in Postgres, worked by `scribe worker` processes that are
 * killed with SIGKILL at random moments and started again. Afterwards every conversation is
 * processed, and the local org holds each Conversation__c, Suggestion__c and Field_Provenance__c
 * once by its external id. Two workers side by side never take the same conversation twice.
 */

const TOTAL = Number(process.env.PROOF_CONVERSATIONS ?? 1000);
const KILLS = 5;

let db: TestDatabase;
let org: LocalOrg;
let boss: PgBoss;
let queue: PostgresIngestQueue;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  org = await startProofOrg();
  boss = await startBoss(db.database.pool, db.settings(), silentLogger);
  queue = new PostgresIngestQueue(db.database.pool, boss);
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
  await boss?.stop({ graceful: false, close: false });
  await org?.close();
  await db?.stop();
});

async function enqueue(prefix: string, count: number): Promise<void> {
  const bodies = await Promise.all(SAMPLE_FILES.map((file) => sampleBody(file)));
  for (let i = 0; i < count; i++) {
    const { gong, content, ...rest } = bodies[i % bodies.length]!;
    const result = await queue.enqueue({
      source: 'api',
      idempotencyKey: `${prefix}:${i}`,
      correlationId: `${prefix}-${i}`,
      payload: {
        ...rest,
        content: (content as string | undefined) ?? JSON.stringify(gong),
        sourceId: `${prefix}:${i}`,
      },
      receivedAt: new Date().toISOString(),
    });
    expect(result.duplicate).toBe(false);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crashes', () => {
  it(`processes all ${TOTAL} conversations exactly once in effect though workers are killed with SIGKILL`, async () => {
    await enqueue('crash', TOTAL);
    const env = await workerEnv(org, db);
    workers.push(startWorker(env), startWorker(env));
    const started = Date.now();
    for (let kill = 0; kill < KILLS; kill++) {
      // A random moment once the victim is working, so conversations are in its hands when it dies.
      const victim = kill % 2;
      await workers[victim]!.working;
      await sleep(1_000 + Math.random() * 3_000);
      await stopWorker(workers[victim]!, 'SIGKILL');
      workers[victim] = startWorker(env);
    }
    await waitUntilSettled(db, TOTAL, 600_000);
    const seconds = (Date.now() - started) / 1000;

    const { rows } = await db.database.pool.query<{ status: string; n: string; taken_again: string }>(
      'SELECT status, count(*) AS n, count(*) FILTER (WHERE attempts > 1) AS taken_again FROM conversations GROUP BY status',
    );
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['processed', TOTAL]]);
    // The kills landed on conversations in hand: those were taken up again after their job expired.
    expect(Number(rows[0]!.taken_again)).toBeGreaterThan(0);

    const conversations = byExternalId(org, 'Conversation__c', 'Source_Id__c');
    const ours = [...conversations].filter(([id]) => id.startsWith('crash:'));
    expect(ours).toHaveLength(TOTAL);
    expect(duplicates(conversations)).toEqual([]);
    const suggestions = byExternalId(org, 'Suggestion__c', 'External_Id__c');
    expect(suggestions.size).toBeGreaterThan(TOTAL);
    expect(duplicates(suggestions)).toEqual([]);
    expect(duplicates(byExternalId(org, 'Field_Provenance__c', 'External_Id__c'))).toEqual([]);
    console.log(
      `crash proof: ${TOTAL} conversations, ${KILLS} SIGKILLs, settled in ${seconds.toFixed(1)} s; ${rows[0]!.taken_again} taken up again after a kill`,
    );
  }, 660_000);

  it('shares the work between two worker processes without taking any conversation twice', async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
    const count = 100;
    const before = org.usage().used;
    await enqueue('pair', count);
    const env = await workerEnv(org, db);
    workers.push(startWorker(env), startWorker(env));
    await waitUntilSettled(db, TOTAL + count, 90_000);
    const { rows } = await db.database.pool.query<{ attempts: number; n: string }>(
      "SELECT attempts, count(*) AS n FROM conversations WHERE idempotency_key LIKE 'pair:%' AND status = 'processed' GROUP BY attempts",
    );
    expect(rows.map((r) => [r.attempts, Number(r.n)])).toEqual([[1, count]]);
    const pairs = [...byExternalId(org, 'Conversation__c', 'Source_Id__c')].filter(([id]) =>
      id.startsWith('pair:'),
    );
    expect(pairs).toHaveLength(count);
    expect(pairs.every(([, n]) => n === 1)).toBe(true);
    // One read and one write each; the rest is the two processes reading the org's rules once.
    expect(org.usage().used - before).toBeLessThanOrEqual(2 * count + 20);
  }, 120_000);
});
