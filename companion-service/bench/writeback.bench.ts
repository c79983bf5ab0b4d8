import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../src/app/server.js';
import { benchServerOptions, startBenchOrg } from './support/bench-org.js';
import { namesOf } from '../test/support/local-org.js';
import { createServiceExtractor } from '../src/services/choose-extractor.js';
import { SAMPLES } from '../src/cli/start-command.js';
import { loadQueueConfig } from '../src/config/queue-config.js';
import { loadLimitsConfig } from '../src/config/limits-config.js';
import type { ConversationStatusBody } from '../src/app/schemas/conversation-status.js';
import { ConversationProcessor } from '../src/services/process-conversation.js';
import { TimedApi } from '../src/services/ingest/timed-api.js';
import type { ConversationInput } from '../src/services/conversation-input.js';
import { childrenCpuMs } from './support/process-cpu.js';
import { startProfiler, summarizeProfile } from './support/cpu-profile.js';

/**
 * Write-back throughput end to end, beside the synchronous path in the same run.
 *
 * The durable path: HTTP into the service, the durable queue (an embedded Postgres in a temporary
 * folder), the worker's extraction, read and write against the local org over loopback, each
 * conversation followed until it is processed (the GET waits for it with `Prefer: wait`). The
 * synchronous path: the same processor, extractor pool and org called in the process, with no HTTP
 * and no queue, which is what the durable path costs on top of. Each prints conversations per second
 * (one at a time and 8 at once), latency, the API calls per conversation by the service's count
 * (and the org's when it differs), and the CPU per conversation of this process (the service, its
 * extraction threads, the org and the bench's client) and of the embedded Postgres: load from other
 * work on the machine distorts that less than the rate.
 *
 * After the measured runs, the durable path with 8 at once runs again under the CPU profiler (a
 * `.cpuprofile`, the same as `node --cpu-prof` writes, kept in the temporary folder for a flame graph)
 * and its top frames by self time are printed: sampling slows a run, so the measured ones go without.
 * `--no-profile` leaves that run out.
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
const PROFILE = !process.argv.includes('--no-profile');
/** How long one GET may wait for its conversation to finish (RFC 7240 `Prefer: wait`). */
const WAIT_SECONDS = 30;

const bench = await startBenchOrg();
const { org } = bench;
const pgDir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-pg-'));
await chmod(pgDir, 0o755);
// As the service runs it: the embedded extractor and the people rules on the pool's threads.
const { extractor, extractionPool } = createServiceExtractor({});
const { server, url } = await startServer({
  ...benchServerOptions(bench),
  queue: loadQueueConfig({
    SCRIBE_POSTGRES_DIR: path.join(pgDir, 'cluster'),
    SCRIBE_WORKER_CONCURRENCY: String(CONCURRENCY),
  }),
  extractor,
  extractionPool,
  // The hourly full scan of the pipeline is not write-back work; the deals' re-scoring after each
  // conversation is, and stays on.
  pipelineScan: { intervalMs: 0, firstDelayMs: 0, closedLookbackDays: 365 },
});
const processor = new ConversationProcessor({
  api: new TimedApi(server.salesforce.api, 60_000),
  snapshots: server.salesforce.snapshots,
  extractor,
  customerNames: (conversation, rules) => extractionPool.customerNames(conversation, rules),
  logger: server.log,
});

const dates = JSON.parse(await readFile(path.join(SAMPLES, 'stages.json'), 'utf8')) as Record<
  string,
  { meetingDate?: string }
>;
const samples = await Promise.all(
  FILES.map(async (file) => {
    const text = await readFile(path.join(SAMPLES, file), 'utf8');
    const meetingDate = dates[file]?.meetingDate;
    // As a caller sends it, and as the route hands it on (a Gong call's JSON as the content).
    const body = file.endsWith('.json')
      ? { gong: JSON.parse(text) as unknown, meetingDate }
      : { content: text, meetingDate };
    return { body, input: { content: text, ...(meetingDate ? { meetingDate } : {}) } };
  }),
);

/** A run's figures for one conversation: how long it took and the API calls it made by its own count. */
interface One {
  ms: number;
  apiCalls: number;
}

/**
 * The bench's client, in this process beside the service: node:http on kept-alive connections rather
 * than fetch, whose streams cost this process more CPU per request than the service's route does.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * CONCURRENCY });

function request(
  method: 'GET' | 'POST',
  pathname: string,
  headers: Record<string, string>,
  payload?: string,
): Promise<{ body: ConversationStatusBody; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const sent = http.request(new URL(pathname, url), { method, headers, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ body: JSON.parse(text) as ConversationStatusBody, headers: response.headers });
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** Accepted, then followed until processed; a replay sends a new Idempotency-Key so it is worked again. */
async function durable(i: number, prefix: string, key = `${prefix}:${i}`): Promise<One> {
  const started = performance.now();
  const payload = JSON.stringify({ ...samples[i % samples.length]!.body, sourceId: `${prefix}:${i}` });
  let { body } = await request(
    'POST',
    '/v1/conversations',
    { 'content-type': 'application/json', 'idempotency-key': key },
    payload,
  );
  while (body.status !== 'processed' && body.status !== 'dead') {
    const status = await request('GET', `/v1/conversations/${body.id}`, { prefer: `wait=${WAIT_SECONDS}` });
    body = status.body;
    // A service that does not wait (no Preference-Applied) is asked again a moment later.
    if (!status.headers['preference-applied']) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (body.status !== 'processed') throw new Error(`conversation ${i} failed: ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, apiCalls: body.result?.apiCalls ?? 0 };
}

/** The processor called in the process: no HTTP, no queue, nothing stored. */
async function synchronous(i: number, prefix: string): Promise<One> {
  const started = performance.now();
  const input: ConversationInput = { ...samples[i % samples.length]!.input, sourceId: `${prefix}:${i}` };
  const result = await processor.process(input);
  if (result.status !== 'processed') throw new Error(`conversation ${i} failed: ${JSON.stringify(result)}`);
  return { ms: performance.now() - started, apiCalls: result.apiCalls };
}

interface Figures {
  rate: number;
  cpuMs: number;
}

async function run(
  label: string,
  concurrency: number,
  one: (i: number) => Promise<One>,
  profile?: string,
): Promise<Figures> {
  const before = org.usage().used;
  const runs: One[] = [];
  let next = 0;
  const profiler = profile ? await startProfiler() : null;
  const cpu = process.cpuUsage();
  const database = childrenCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) runs.push(await one(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const databaseMs = database === null ? null : childrenCpuMs()! - database;
  const serviceMs = (used.user + used.system) / 1000;
  const latencies = runs.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  const calls = (org.usage().used - before) / ROUNDS;
  const own = runs.reduce((sum, r) => sum + r.apiCalls, 0) / ROUNDS;
  const cpuMs = (serviceMs + (databaseMs ?? 0)) / ROUNDS;
  const cpuSplit =
    databaseMs === null
      ? '(this process only)'
      : `(this process ${(serviceMs / ROUNDS).toFixed(1)}, Postgres ${(databaseMs / ROUNDS).toFixed(1)})`;
  console.log(
    `${label.padEnd(40)} ${(ROUNDS / seconds).toFixed(1).padStart(7)} conversations/s   p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms   ` +
      `${own.toFixed(2)} API calls per conversation` +
      // The org's count of the run also holds the deals' re-scoring that processed conversations ask
      // for (a batch every 15 s); bench:api-calls shows the service's count and the org's agree.
      (calls.toFixed(2) === own.toFixed(2)
        ? ''
        : ` (the org counted ${calls.toFixed(2)}, re-scoring included)`) +
      `   CPU ${cpuMs.toFixed(1)} ms per conversation ${cpuSplit}`,
  );
  if (profiler && profile) {
    const summary = summarizeProfile(await profiler.stop(profile));
    console.log([...summary, `the profile: ${profile}`].join('\n'));
  }
  return { rate: ROUNDS / seconds, cpuMs };
}

for (let i = 0; i < 10; i++) {
  await durable(i, 'warmup');
  await synchronous(i, 'warmup-sync');
}
console.log(
  `write-back on the local org, ${ROUNDS} conversations per run (the five samples in turn), embedded extractor on ${loadLimitsConfig({}).extractThreads} threads`,
);
// Each durable run beside its synchronous one, so load from elsewhere on the machine falls on both.
await run('synchronous path, one at a time', 1, (i) => synchronous(i, 'sync1'));
await run('new conversations, one at a time', 1, (i) => durable(i, 'seq'));
const sync = await run(`synchronous path, ${CONCURRENCY} at once`, CONCURRENCY, (i) =>
  synchronous(i, 'sync8'),
);
const par = await run(`new conversations, ${CONCURRENCY} at once`, CONCURRENCY, (i) => durable(i, 'par'));
await run('the same conversations again (replay)', 1, (i) => durable(i, 'seq', `replay:${i}`));
// The rates' ratio is the goal's (bench/benches.ts reads it from the two lines above); the CPU's is
// the one load from elsewhere on the machine distorts least.
console.log(
  `synchronous path ÷ durable path, ${CONCURRENCY} at once, same run: ${(sync.rate / par.rate).toFixed(2)} × the rate ` +
    `(${sync.rate.toFixed(1)} ÷ ${par.rate.toFixed(1)} conversations/s); durable ÷ synchronous CPU per conversation ` +
    `${(par.cpuMs / sync.cpuMs).toFixed(2)} ×; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
if (PROFILE) {
  const profile = path.join(tmpdir(), `writeback-${Date.now()}.cpuprofile`);
  await run(
    `durable path under the profiler, ${CONCURRENCY} at once`,
    CONCURRENCY,
    (i) => durable(i, 'profiled'),
    profile,
  );
}
const mem = process.memoryUsage();
// The org names the package's objects with its namespace.
const names = await namesOf(org);
console.log(
  `records in the org: ${org.store.all(names.toOrg('Suggestion__c')).length} suggestions, ${org.store.all(names.toOrg('Field_Provenance__c')).length} provenance; rss ${(mem.rss / 1e6).toFixed(0)} MB`,
);
agent.destroy();
await server.close();
await extractionPool.close();
await org.close();
await rm(pgDir, { recursive: true, force: true });
