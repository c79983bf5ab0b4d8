import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import type { LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { PostgresIngestQueue, startBoss } from '../../src/adapters/postgres/postgres-ingest-queue.js';
import { sampleBody, SAMPLE_FILES } from '../support/local-org.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  activityCount,
  byExternalId,
  duplicates,
  orphanedConversations,
  startProofOrg,
  startWorker,
  stopWorker,
  waitUntilSettled,
  workerEnv,
  type WorkerProcess,
} from './crash-support.js';

/**
 * Proof under crashes: conversations queued in Postgres, worked by three `scribe worker` processes
 * with the queue's default timing (job expiry ten minutes, orphan sweep SCRIBE_ORPHAN_SECONDS=6)
 * that are killed with SIGKILL at random moments and started again, as a process manager would.
 * Afterwards, read from the local org and not from the service's own tables: each conversation has
 * one Conversation__c, one activity (Task or Event), and no Suggestion__c or Field_Provenance__c
 * twice. A conversation a killed worker held is taken up again by the workers still running within
 * 30 s. A worker is killed only while another is working: with none alive, nothing can take it up.
 *
 * PROOF_CONVERSATIONS sets the count (150 in CI; `npm run proof:crash` runs 1,000 and prints the
 * figures).
 */

const TOTAL = Number(process.env.PROOF_CONVERSATIONS ?? 150);
const WORKERS = 3;
/** Kills come at random every 1-3 s while conversations remain, up to this many. */
const MAX_KILLS = Math.max(4, Math.round(TOTAL / 25));
const TAKEN_UP_WITHIN_MS = 30_000;
/** How long the backlog may take: generous, as a 2-core machine shared with other work is slow. */
const SETTLE_MS = Math.max(600_000, TOTAL * 1_500);

let db: TestDatabase;
let org: LocalOrg;
let boss: PgBoss;
let queue: PostgresIngestQueue;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  org = await startProofOrg();
  boss = await startBoss(db.database.pool, db.settings(), silentLogger);
  queue = new PostgresIngestQueue(db.org, boss);
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

/** When each conversation a killed worker held was started again by another worker. */
class Takeovers {
  /** Conversation id → when its worker was killed and the attempts it had then. */
  private readonly watched = new Map<string, { killedAt: number; attempts: number }>();
  readonly waits: number[] = [];

  watch(orphans: { id: string; attempts: number }[], killedAt: number): void {
    // One killed before is timed from that kill, not this one.
    for (const o of orphans) {
      if (!this.watched.has(o.id)) this.watched.set(o.id, { killedAt, attempts: o.attempts });
    }
  }

  /** Looks at the watched conversations: started anew (another attempt) or finished counts as taken up. */
  async look(db: TestDatabase): Promise<void> {
    if (this.watched.size === 0) return;
    const { rows } = await db.database.pool.query<{ id: string; attempts: number; status: string }>(
      'SELECT id, attempts, status FROM conversations WHERE id = ANY($1)',
      [[...this.watched.keys()]],
    );
    for (const row of rows) {
      const at = this.watched.get(row.id)!;
      if (row.attempts > at.attempts || row.status === 'processed' || row.status === 'dead') {
        this.waits.push(Date.now() - at.killedAt);
        this.watched.delete(row.id);
      }
    }
  }

  get pending(): number {
    return this.watched.size;
  }
}

describe('crashes', () => {
  it(
    `loses none of ${TOTAL} conversations and writes none twice though ${WORKERS} workers are killed with SIGKILL`,
    async () => {
      const activitiesBefore = activityCount(org);
      await enqueue('crash', TOTAL);
      // The queue's own timing: no short expiry, the orphan sweep's default.
      const env = await workerEnv(org, db);
      for (let i = 0; i < WORKERS; i++) workers.push(startWorker(env));
      const started = Date.now();
      let settled = false;
      const done = waitUntilSettled(db, TOTAL, SETTLE_MS).finally(() => (settled = true));
      done.catch(() => undefined);
      const takeovers = new Takeovers();
      let kills = 0;
      let orphansSeen = 0;
      const watching = (async () => {
        while (!settled || takeovers.pending > 0) {
          await takeovers.look(db);
          await sleep(250);
        }
      })();
      while (!settled && kills < MAX_KILLS) {
        // Only while another worker is working too: the survivors are the ones that take up what the
        // victim held (a restarted worker boots in seconds, tens of them on a busy machine).
        const booted = () => workers.flatMap((w, i) => (w.isWorking() ? [i] : []));
        while (!settled && booted().length < 2) await sleep(200);
        await sleep(1_000 + Math.random() * 2_000);
        const candidates = booted();
        if (settled) break;
        if (candidates.length < 2) continue;
        // A worker that has booted, so it has conversations in hand.
        const victim = candidates[Math.floor(Math.random() * candidates.length)]!;
        const killedAt = Date.now();
        await stopWorker(workers[victim]!, 'SIGKILL');
        kills++;
        workers[victim] = startWorker(env);
        // Postgres ends the dead worker's sessions as their sockets close; what they held is free then.
        await sleep(300);
        const orphans = await orphanedConversations(db);
        orphansSeen += orphans.length;
        takeovers.watch(orphans, killedAt);
      }
      await done;
      await watching;
      const seconds = (Date.now() - started) / 1000;

      // Read from the org: one Conversation__c per source id, one activity each, nothing twice.
      const conversations = byExternalId(org, 'Conversation__c', 'Source_Id__c');
      const ours = [...conversations].filter(([id]) => id.startsWith('crash:'));
      const lost = TOTAL - ours.length;
      const writtenTwice = duplicates(conversations);
      const missing = Array.from({ length: TOTAL }, (_, i) => `crash:${i}`).filter(
        (id) => !conversations.has(id),
      );
      // What the service says of one the org does not hold, so a failure says where to look.
      const { rows: said } = await db.database.pool.query(
        `SELECT idempotency_key, status, attempts, error_code, error_message FROM conversations
        WHERE idempotency_key = ANY($1)`,
        [missing],
      );
      expect(missing, JSON.stringify(said)).toEqual([]);
      expect(lost).toBe(0);
      expect(writtenTwice).toEqual([]);
      expect(activityCount(org) - activitiesBefore).toBe(TOTAL);
      const activityIds = byExternalId(org, 'Conversation__c', 'Activity_Id__c');
      expect(activityIds.size).toBe(TOTAL);
      expect(duplicates(activityIds)).toEqual([]);
      const suggestions = byExternalId(org, 'Suggestion__c', 'External_Id__c');
      expect(suggestions.size).toBeGreaterThan(TOTAL);
      expect(duplicates(suggestions)).toEqual([]);
      expect(duplicates(byExternalId(org, 'Field_Provenance__c', 'External_Id__c'))).toEqual([]);

      // The kills landed on conversations in hand, and each was taken up again in time.
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(orphansSeen).toBeGreaterThan(0);
      const waits = [...takeovers.waits].sort((a, b) => a - b);
      const longest = waits.at(-1)!;
      expect(longest).toBeLessThan(TAKEN_UP_WITHIN_MS);

      const { rows } = await db.database.pool.query<{ status: string; n: string }>(
        'SELECT status, count(*) AS n FROM conversations GROUP BY status',
      );
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['processed', TOTAL]]);
      console.log(
        `crash proof: ${TOTAL} conversations, ${WORKERS} workers, ${kills} SIGKILLs, settled in ${seconds.toFixed(1)} s ` +
          `(${(TOTAL / seconds).toFixed(1)}/s); lost ${lost}, written twice ${writtenTwice.length}; ` +
          `${orphansSeen} conversations held by a killed worker, taken up again after ` +
          `${(waits[Math.floor(waits.length / 2)]! / 1000).toFixed(1)} s (median), ${(longest / 1000).toFixed(1)} s (longest)`,
      );
    },
    SETTLE_MS + 60_000,
  );

  it('shares the work between worker processes without taking any conversation twice', async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
    const count = 60;
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
