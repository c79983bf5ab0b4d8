import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from '../src/app/server.js';
import { benchServerOptions, startBenchOrg } from './support/bench-org.js';
import { namesOf } from '../test/support/local-org.js';
import { EmbeddedExtractor } from '../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../src/cli/start-command.js';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadQueueConfig } from '../src/config/queue-config.js';
import type { ConversationStatusBody } from '../src/app/schemas/conversation-status.js';

/**
 * Write-back throughput end to end: HTTP into the service, the durable queue (an embedded Postgres in a
 * temporary folder), the worker's extraction, read and write against the local org over loopback,
 * each conversation followed until it is processed. Prints conversations per second (one at a time and 8 at once), latency,
 * and the API calls per conversation as the local org counted them, for new conversations and replays.
 */

const FILES = [
  '01-fabrikam-discovery.gong.json',
  '02-tailspin-champion-left.txt',
  '03-wingtip-email.eml',
  '04-northwind-notes.md',
  '05-voice-memo-litware.txt',
];
const ROUNDS = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const CONCURRENCY = 8;

const bench = await startBenchOrg();
const { org } = bench;
const pgDir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-pg-'));
await chmod(pgDir, 0o755);
const { server, url } = await startServer({
  ...benchServerOptions(bench),
  queue: loadQueueConfig({
    SCRIBE_POSTGRES_DIR: path.join(pgDir, 'cluster'),
    SCRIBE_WORKER_CONCURRENCY: String(CONCURRENCY),
  }),
  extractor: new EmbeddedExtractor(),
});

const dates = JSON.parse(await readFile(path.join(SAMPLES, 'stages.json'), 'utf8')) as Record<
  string,
  { meetingDate?: string }
>;
const bodies = await Promise.all(
  FILES.map(async (file) => {
    const text = await readFile(path.join(SAMPLES, file), 'utf8');
    const meetingDate = dates[file]?.meetingDate;
    return file.endsWith('.json')
      ? { gong: JSON.parse(text) as unknown, meetingDate }
      : { content: text, meetingDate };
  }),
);

/** Accepted, then followed until processed; a replay sends a new Idempotency-Key so it is worked again. */
async function post(i: number, prefix: string, key = `${prefix}:${i}`): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ ...bodies[i % bodies.length], sourceId: `${prefix}:${i}` }),
  });
  let body = (await response.json()) as ConversationStatusBody;
  while (body.status !== 'processed' && body.status !== 'dead') {
    await new Promise((resolve) => setTimeout(resolve, 5));
    body = (await (await fetch(`${url}/v1/conversations/${body.id}`)).json()) as ConversationStatusBody;
  }
  if (body.status !== 'processed') throw new Error(`conversation ${i} failed: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

async function run(label: string, prefix: string, concurrency: number, keyPrefix = prefix) {
  const before = org.usage().used;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) {
        const i = next++;
        latencies.push(await post(i, prefix, `${keyPrefix}:${i}`));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  const calls = (org.usage().used - before) / ROUNDS;
  console.log(
    `${label.padEnd(40)} ${(ROUNDS / seconds).toFixed(1).padStart(7)} conversations/s   p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms   ${calls.toFixed(2)} API calls per conversation`,
  );
}

for (let i = 0; i < 10; i++) await post(i, 'warmup');
console.log(
  `write-back on the local org, ${ROUNDS} conversations per run (the five samples in turn), embedded extractor`,
);
await run('new conversations, one at a time', 'seq', 1);
await run(`new conversations, ${CONCURRENCY} at once`, 'par', CONCURRENCY);
await run('the same conversations again (replay)', 'seq', 1, 'replay');
const mem = process.memoryUsage();
// The org names the package's objects with its namespace.
const names = await namesOf(org);
console.log(
  `records in the org: ${org.store.all(names.toOrg('Suggestion__c')).length} suggestions, ${org.store.all(names.toOrg('Field_Provenance__c')).length} provenance; rss ${(mem.rss / 1e6).toFixed(0)} MB`,
);
await server.close();
await org.close();
await rm(pgDir, { recursive: true, force: true });
