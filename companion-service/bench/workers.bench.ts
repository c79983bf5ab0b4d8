import { PostgresIngestQueue, startBoss } from '../src/adapters/postgres/postgres-ingest-queue.js';
import { sampleBody, SAMPLE_FILES } from '../test/support/local-org.js';
import { silentLogger, startTestDatabase } from '../test/support/postgres.js';
import {
  byExternalId,
  duplicates,
  startProofOrg,
  startWorker,
  stopWorker,
  waitUntilSettled,
  workerEnv,
  type WorkerProcess,
} from '../test/proof/crash-support.js';

/**
 * Scaling out: the same backlog worked by 1, then 2 `scribe worker` processes (real child processes
 * on one embedded Postgres and the local org over loopback). Each run starts its workers on an empty
 * queue, waits until they are all working, queues BENCH_CONVERSATIONS conversations at once and times
 * them until the last is processed. Prints conversations per second, the speed-up over one worker, and
 * the org's count of Conversation__c written twice (0).
 *
 * BENCH_WORKERS lists the process counts (default "1,2"), BENCH_WORKER_CONCURRENCY the conversations
 * each works at once (default 4).
 */

const ROUNDS = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '4';

const db = await startTestDatabase();
const org = await startProofOrg();
const boss = await startBoss(db.database.pool, db.settings(), silentLogger);
const queue = new PostgresIngestQueue(db.org, boss);
const bodies = await Promise.all(SAMPLE_FILES.map((file) => sampleBody(file)));

async function enqueue(prefix: string): Promise<void> {
  await Promise.all(
    Array.from({ length: ROUNDS }, (_, i) => {
      const { gong, content, ...rest } = bodies[i % bodies.length]!;
      return queue.enqueue({
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
    }),
  );
}

let settledSoFar = 0;
let oneWorker: number | null = null;
console.log(
  `scaling out: ${ROUNDS} conversations per run (the five samples in turn), ${CONCURRENCY} at a time per worker process, embedded extractor, ${(await import('node:os')).availableParallelism()} cores`,
);
for (const count of COUNTS) {
  const env = await workerEnv(org, db, { SCRIBE_WORKER_CONCURRENCY: CONCURRENCY });
  const workers: WorkerProcess[] = Array.from({ length: count }, () => startWorker(env));
  await Promise.all(workers.map((w) => w.working));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await enqueue(`w${count}`);
  settledSoFar += ROUNDS;
  await waitUntilSettled(db, settledSoFar, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const rate = ROUNDS / seconds;
  oneWorker ??= count === 1 ? rate : null;
  const ours = [...byExternalId(org, 'Conversation__c', 'Source_Id__c')].filter(([id]) =>
    id.startsWith(`w${count}:`),
  );
  const speedUp = oneWorker && count > 1 ? `   ×${(rate / oneWorker).toFixed(2)} of one worker` : '';
  const cpu = process.cpuUsage(cpuBefore);
  const { rows: dead } = await db.database.pool.query<{ error_code: string; n: string }>(
    `SELECT error_code, count(*) AS n FROM conversations
      WHERE status = 'dead' AND idempotency_key LIKE $1 GROUP BY error_code`,
    [`w${count}:%`],
  );
  const deadSaid = dead.length ? `   dead: ${dead.map((d) => `${d.n} ${d.error_code}`).join(', ')}` : '';
  console.log(
    `${`${count} worker process${count === 1 ? '' : 'es'}`.padEnd(20)} ${rate.toFixed(1).padStart(7)} conversations/s` +
      `   ${seconds.toFixed(1)} s${speedUp}   ${ours.length} in the org, ${duplicates(new Map(ours)).length} twice` +
      `${deadSaid}   (bench process with the local org: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU)`,
  );
  await Promise.all(workers.map((w) => stopWorker(w)));
}
await boss.stop({ graceful: false, close: false });
await org.close();
await db.stop();
