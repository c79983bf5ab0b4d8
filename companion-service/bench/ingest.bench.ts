import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';
import { openLoop, percentile, type OpenLoopResult } from './support/open-loop.js';

/**
 * Gong webhook intake under load: one service process (the app with its durable Postgres enqueue, an
 * embedded Postgres in a temporary folder, the worker off so only intake is measured), driven over
 * loopback from this process. Every request is a different call, signed as Gong signs it (RS256 JWT
 * over the body, signed beforehand so the load generator's CPU stays out of the figures).
 *
 * The goal run is open loop (support/open-loop.ts, node:http): `--rate` requests a second for
 * `--seconds`, each sent on schedule whatever the service does, its latency counted from that
 * schedule. It prints acks per second, p50/p95/p99/max latency and every error, how many webhooks
 * shared a transaction and the service's CPU per webhook; then, with autocannon (closed loop),
 * latency one request at a time and the most it acks. The figures are the machine's: the load
 * average is printed beside them, and other work on the machine shows in them.
 *
 *   npm run bench:ingest                          1,000 requests/s for 60 s
 *   npm run bench:ingest -- --seconds 10 --rate 500
 *   (BENCH_RATE, BENCH_SECONDS and BENCH_MAX_SECONDS do the same, for bench/run-all.ts)
 */

const { values: args } = parseArgs({
  options: { seconds: { type: 'string' }, rate: { type: 'string' }, service: { type: 'boolean' } },
});
const RATE = Number(args.rate ?? process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(args.seconds ?? process.env.BENCH_SECONDS ?? 60);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 5);
const CONNECTIONS = 32;
const WEBHOOK_URL = 'https://scribe.example.com/webhooks/gong';
const URL_KEY = 'bench-url-key-0123456789abcdef';
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The service, as `scribe serve` builds it, minus the worker. */
async function runService(): Promise<void> {
  const { buildServer } = await import('../src/app/server.js');
  const { BENCH_LIMITS } = await import('./support/bench-org.js');
  const { loadQueueConfig } = await import('../src/config/queue-config.js');
  const { loadGongConfig } = await import('../src/config/gong-config.js');
  const { loadSalesforceConfig } = await import('../src/config/salesforce-config.js');
  const { EmbeddedExtractor } = await import('../src/domain/extraction/embedded/embedded-extractor.js');
  const server = await buildServer({
    limits: BENCH_LIMITS,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'warn',
    // The local org: intake never calls Salesforce, so which org does not matter here.
    salesforce: loadSalesforceConfig({ SF_ORG: 'local' }),
    localOrg: { port: 0 },
    extractor: new EmbeddedExtractor(),
    queue: loadQueueConfig(process.env),
    worker: false,
    // Open to loopback callers (as the other benches' services are), so the email bench can post
    // /v1/emails without an API key; the Gong webhook keeps its own signature check.
    apiOpen: true,
    gong: loadGongConfig(process.env),
    voiceMemos: { transcriber: null, maxBytes: 1024 * 1024 },
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  // Rows of one transaction share its start time (queued_at defaults to now()): distinct times count
  // the transactions that stored them. The CPU this process has used, to tell its cost per webhook
  // from the machine's other work.
  const count = async () => {
    const { rows } = await server.conversations.database.pool.query<{ n: string; t: string }>(
      'SELECT count(*) AS n, count(DISTINCT queued_at) AS t FROM conversations',
    );
    const cpu = process.cpuUsage();
    return `${rows[0]!.n} ${rows[0]!.t} ${(cpu.user + cpu.system) / 1000}`;
  };
  // Where a webhook's time goes inside the service: waiting for the event loop (other requests'
  // CPU, GC), waiting for company in a group commit, and the commit itself with its WAL flush.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { subscribe } = await import('node:diagnostics_channel');
  const { GROUP_COMMIT_CHANNEL } = await import('../src/adapters/postgres/group-commit.js');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let groups: { items: number; waitedMs: number; commitMs: number }[] = [];
  subscribe(GROUP_COMMIT_CHANNEL, (timing) => groups.push(timing as (typeof groups)[number]));
  const timings = () => {
    const sorted = (values: number[]) => Float64Array.from(values).sort();
    const waited = sorted(groups.map((g) => g.waitedMs));
    const committed = sorted(groups.map((g) => g.commitMs));
    const fixed = (n: number) => n.toFixed(1);
    return JSON.stringify({
      loopP99: fixed(loopDelay.percentile(99) / 1e6),
      loopMax: fixed(loopDelay.max / 1e6),
      waitP50: fixed(percentile(waited, 0.5)),
      waitP99: fixed(percentile(waited, 0.99)),
      commitP50: fixed(percentile(committed, 0.5)),
      commitP99: fixed(percentile(committed, 0.99)),
      commitMax: fixed(committed[committed.length - 1] ?? Number.NaN),
      transactions: groups.length,
    });
  };
  process.stdout.write(`listening ${url}\n`);
  process.stdin.on('data', async (line) => {
    if (line.toString().trim() === 'count') process.stdout.write(`count ${await count()}\n`);
    if (line.toString().trim() === 'timings') process.stdout.write(`timings ${timings()}\n`);
    if (line.toString().trim() === 'reset') {
      loopDelay.reset();
      groups = [];
      process.stdout.write('reset\n');
    }
    if (line.toString().trim() === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

interface ServiceTimings {
  loopP99: string;
  loopMax: string;
  waitP50: string;
  waitP99: string;
  commitP50: string;
  commitP99: string;
  commitMax: string;
  transactions: number;
}

interface Service {
  url: string;
  ask(command: 'count' | 'timings' | 'reset'): Promise<string>;
  stop(): Promise<void>;
}

async function startService(env: NodeJS.ProcessEnv): Promise<Service> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'ingest.bench.ts'), '--service'],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it answered`)));
    });
  const first = await next();
  const url = /^listening (\S+)$/.exec(first)?.[1];
  if (!url) throw new Error(`the service said "${first}" instead of its address`);
  return {
    url,
    async ask(command) {
      child.stdin!.write(`${command}\n`);
      return next();
    },
    async stop() {
      child.stdin!.write('stop\n');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function callBody(n: number): string {
  return JSON.stringify({
    callData: {
      metaData: {
        id: String(8_000_000_000_000_000_000n + BigInt(n)),
        title: `Bench call ${n}`,
        started: '2026-03-10T16:00:00Z',
        url: `https://app.gong.io/call?id=${n}`,
      },
      parties: [
        {
          id: '1',
          name: 'Roger Lane',
          emailAddress: 'roger.lane@contoso.com',
          speakerId: 's1',
          affiliation: 'Internal',
        },
        {
          id: '2',
          name: 'Dmitri Volkov',
          emailAddress: 'dmitri.volkov@fabrikam.com',
          speakerId: 's2',
          affiliation: 'External',
        },
      ],
      context: [
        { system: 'Salesforce', objects: [{ objectType: 'Opportunity', objectId: '006Dn00000A1b2cIAB' }] },
      ],
    },
    isTest: false,
  });
}

async function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function report(label: string, result: autocannon.Result): void {
  const acks = result['2xx'];
  process.stdout.write(
    `${label}\n` +
      `  requests ${result.requests.total}, acknowledged (2xx) ${acks}, other ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}\n` +
      `  acks/s ${(acks / result.duration).toFixed(0)} (mean ${result.requests.average.toFixed(0)})\n` +
      `  latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms\n`,
  );
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function reportOpenLoop(label: string, result: OpenLoopResult): void {
  const others = [...result.other].map(([status, n]) => `${n} × ${status}`).join(', ') || '0';
  const l = result.latencies;
  process.stdout.write(
    `${label}\n` +
      `  requests ${result.requests}, acknowledged (2xx) ${result.acked}, other ${others}, errors ${result.errors}, timeouts ${result.timeouts}\n` +
      `  acks/s ${(result.acked / result.seconds).toFixed(0)} (${result.acked} acks from the first request's schedule to the last answer, ${result.seconds.toFixed(2)} s)\n` +
      `  latency p50 ${ms(percentile(l, 0.5))}, p95 ${ms(percentile(l, 0.95))}, p99 ${ms(percentile(l, 0.99))}, max ${ms(l[l.length - 1] ?? Number.NaN)} (from each request's scheduled time; the generator sent at most ${ms(result.maxSendLagMs)} late)\n`,
  );
}

const load = () => loadavg()[0]!.toFixed(2);

async function signAll(count: number, keys: ReturnType<typeof webhookKeys>) {
  const signed: { body: string; jwt: string }[] = [];
  for (let n = 0; n < count; n++) {
    const body = callBody(n);
    signed.push({
      body,
      jwt: await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: WEBHOOK_URL }),
    });
  }
  return signed;
}

/**
 * The CPU, in ms, the Postgres cluster running from `dir` has used: its postmaster, the backends it
 * runs now, and those that have exited (the postmaster's children's time). Read from /proc, so Linux
 * only; null elsewhere.
 */
async function postgresCpuMs(dir: string): Promise<number | null> {
  const ticks = (stat: string, fields: number[]) => {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields.reduce((sum, field) => sum + Number(after[field - 3]), 0);
  };
  try {
    const postmaster = (await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]!;
    let total = ticks(await readFile(`/proc/${postmaster}/stat`, 'utf8'), [14, 15, 16, 17]);
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (after[1] === postmaster) total += ticks(stat, [14, 15]);
    }
    // Linux counts CPU in clock ticks of 10 ms (USER_HZ 100).
    return total * 10;
  } catch {
    return null;
  }
}

/** A rep's email to a customer, as a mail client saves it; each a new message. */
function emailBody(n: number): string {
  return [
    'From: Avery Rep <avery.rep@pipeline-scribe.local>',
    'To: Dmitri Volkov <dmitri.volkov@fabrikam.com>',
    `Subject: Fabrikam follow-up ${n}`,
    'Date: Thu, 12 Mar 2026 09:14:00 -0500',
    `Message-ID: <bench-${n}@pipeline-scribe.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hi Dmitri, as agreed I will send the revised proposal at $120,000 by Friday.',
    '',
  ].join('\r\n');
}

/** Emails posted as .eml (POST /v1/emails): the sender checked against the org's users, then queued. */
async function emailIntake(storage: NodeJS.ProcessEnv): Promise<autocannon.Result> {
  const service = await startService(storage);
  let n = 0;
  try {
    return await run({
      url: service.url,
      connections: CONNECTIONS,
      duration: MAX_SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/v1/emails',
          headers: { 'content-type': 'message/rfc822' },
          setupRequest: (request) => ({ ...request, body: emailBody(n++) }),
        },
      ],
    });
  } finally {
    await service.stop();
  }
}

/** The service's count of rows, of transactions and of CPU milliseconds. */
const counts = async (service: Service) => (await service.ask('count')).split(' ').slice(1).map(Number);

async function runBench(): Promise<void> {
  const keys = webhookKeys();
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-ingest-'));
  // Postgres runs as its own user when started by root; it must reach the folder.
  await chmod(dir, 0o755);
  const storage = { SCRIBE_POSTGRES_DIR: path.join(dir, 'postgres'), SCRIBE_DATA_DIR: dir };
  const base = { headers: { 'content-type': 'application/json' }, connections: CONNECTIONS };
  try {
    const warmup = 1000;
    const fixed = Math.round(RATE * SECONDS);
    process.stdout.write(`Signing ${warmup + fixed} webhooks as Gong would…\n`);
    const signed = await signAll(warmup + fixed, keys);
    const signedRequest = (n: number) => ({
      path: '/webhooks/gong',
      headers: { 'content-type': 'application/json', authorization: signed[n]!.jwt },
      body: signed[n]!.body,
    });
    let keyed = 10_000_000;
    const keyedRequest: autocannon.Request = {
      method: 'POST',
      path: `/webhooks/gong?key=${URL_KEY}`,
      setupRequest: (request) => ({ ...request, body: callBody(keyed++) }),
    };

    process.stdout.write('Starting the service (embedded Postgres, first start creates the cluster)…\n');
    const signedService = await startService({
      ...storage,
      GONG_WEBHOOK_PUBLIC_KEY: keys.publicKeyPem,
      GONG_WEBHOOK_URL: WEBHOOK_URL,
    });
    let warm: OpenLoopResult;
    let atRate: OpenLoopResult;
    let loadBefore: string;
    let loadAfter: string;
    let before: number[];
    let after: number[];
    let clientMs: number;
    let inService: ServiceTimings;
    try {
      const url = signedService.url;
      warm = await openLoop(url, 250, warmup / 250, signedRequest);
      await signedService.ask('reset');
      before = [...(await counts(signedService)), (await postgresCpuMs(storage.SCRIBE_POSTGRES_DIR)) ?? NaN];
      loadBefore = load();
      const clientCpu = process.cpuUsage();
      atRate = await openLoop(url, RATE, SECONDS, (n) => signedRequest(warmup + n));
      const clientUsed = process.cpuUsage(clientCpu);
      clientMs = (clientUsed.user + clientUsed.system) / 1000;
      loadAfter = load();
      after = [...(await counts(signedService)), (await postgresCpuMs(storage.SCRIBE_POSTGRES_DIR)) ?? NaN];
      inService = JSON.parse((await signedService.ask('timings')).slice('timings '.length)) as ServiceTimings;
    } finally {
      await signedService.stop();
    }
    // A URL-key rule runs on a service without a public key: beside one, a URL key alone is refused.
    const keyedService = await startService({ ...storage, GONG_WEBHOOK_KEY: URL_KEY });
    let single: autocannon.Result;
    let max: autocannon.Result;
    let stored: number;
    try {
      const url = keyedService.url;
      single = await run({ ...base, url, connections: 1, duration: 3, requests: [keyedRequest] });
      max = await run({ ...base, url, duration: MAX_SECONDS, requests: [keyedRequest] });
      stored = (await counts(keyedService))[0]!;
    } finally {
      await keyedService.stop();
    }

    const [rows, transactions, cpuMs, postgresMs] = [0, 1, 2, 3].map((i) => after[i]! - before[i]!) as [
      number,
      number,
      number,
      number,
    ];
    const perWebhook = (ms: number) =>
      Number.isNaN(ms) ? 'not known' : `${(ms / Math.max(1, rows)).toFixed(2)} ms`;
    process.stdout.write('\nGong webhook intake: one service process, durable enqueue (Postgres, pg-boss)\n');
    process.stdout.write(
      `machine: ${availableParallelism()} cores, load average (1 min) ${loadBefore} before and ${loadAfter} after the fixed-rate run (this bench counts in it)\n`,
    );
    report('one at a time, URL key, 3 s (the floor: one request, one transaction):', single);
    reportOpenLoop(
      `at ${RATE} requests/s for ${SECONDS} s, open loop, signed JWTs (target p99 < 25 ms):`,
      atRate,
    );
    process.stdout.write(
      `  group commit: ${rows} conversations in ${transactions} transactions, ${(rows / Math.max(1, transactions)).toFixed(1)} a transaction; CPU a webhook: the service ${perWebhook(cpuMs)}, Postgres ${perWebhook(postgresMs)}\n`,
    );
    process.stdout.write(
      `  inside the service: event loop delay p99 ${inService.loopP99} ms (max ${inService.loopMax}); ` +
        `waiting for a transaction p50 ${inService.waitP50} ms, p99 ${inService.waitP99}; ` +
        `the transaction (commit and flush) p50 ${inService.commitP50} ms, p99 ${inService.commitP99}, max ${inService.commitMax}\n` +
        `  the load generator (this process, apart from the service): CPU ${(clientMs / Math.max(1, atRate.requests)).toFixed(2)} ms a request, ` +
        `${((clientMs / 1000 / atRate.seconds) * 100).toFixed(0)}% of one core\n`,
    );
    report(
      `as fast as it acks, ${CONNECTIONS} connections (autocannon, closed loop), URL key, ${MAX_SECONDS} s:`,
      max,
    );
    process.stdout.write(
      `conversations stored ${stored} (acknowledged ${warm.acked + single['2xx'] + atRate.acked + max['2xx']}; a few more when requests were in flight as a run ended)\n`,
    );
    const emails = await emailIntake(storage);
    report(
      `emails beside it: POST /v1/emails (.eml from an org user), ${CONNECTIONS} connections (autocannon, closed loop), ${MAX_SECONDS} s:`,
      emails,
    );
    const p99 = percentile(atRate.latencies, 0.99);
    process.stdout.write(
      `p99 at ${RATE}/s: ${p99.toFixed(1)} ms — ${p99 < 25 ? 'meets' : 'misses'} the 25 ms target\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (args.service) await runService();
else await runBench();
