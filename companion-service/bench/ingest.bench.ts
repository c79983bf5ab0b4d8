import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';

/**
 * Gong webhook intake under load: one service process (the app with its durable Postgres enqueue, an
 * embedded Postgres in a temporary folder, the worker off so only intake is measured), driven by
 * autocannon over loopback from this process. Every request is a different call, signed as Gong signs
 * it (RS256 JWT over the body, signed beforehand so the load generator's CPU stays out of the figures).
 * Prints latency one request at a time, acks per second and p50/p99 latency at a fixed 1,000
 * requests/s, then the most it acks. The figures are the machine's: run it on a quiet one.
 *
 *   npm run bench:ingest                        (BENCH_RATE, BENCH_SECONDS to change the load)
 */

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 5);
const CONNECTIONS = 32;
const WEBHOOK_URL = 'https://scribe.example.com/webhooks/gong';
const URL_KEY = 'bench-url-key-0123456789abcdef';
const HERE = path.dirname(fileURLToPath(import.meta.url));

if (process.argv.includes('--service')) await runService();
else await runBench();

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
    gong: loadGongConfig(process.env),
    voiceMemos: { transcriber: null, maxBytes: 1024 * 1024 },
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const count = async () =>
    Number(
      (await server.conversations.database.pool.query('SELECT count(*) FROM conversations')).rows[0].count,
    );
  process.stdout.write(`listening ${url}\n`);
  process.stdin.on('data', async (line) => {
    if (line.toString().trim() === 'count') process.stdout.write(`count ${await count()}\n`);
    if (line.toString().trim() === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

interface Service {
  url: string;
  ask(command: 'count'): Promise<string>;
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

async function runBench(): Promise<void> {
  const keys = webhookKeys();
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-ingest-'));
  // Postgres runs as its own user when started by root; it must reach the folder.
  await chmod(dir, 0o755);
  process.stdout.write('Starting the service (embedded Postgres, first start creates the cluster)…\n');
  const storage = { SCRIBE_POSTGRES_DIR: path.join(dir, 'postgres'), SCRIBE_DATA_DIR: dir };
  const base = { headers: { 'content-type': 'application/json' }, connections: CONNECTIONS };
  try {
    const warmup = 500;
    const fixed = RATE * SECONDS;
    const total = warmup + fixed;
    process.stdout.write(`Signing ${total} webhooks as Gong would…\n`);
    const signed: { body: string; jwt: string }[] = [];
    for (let n = 0; n < total; n++) {
      const body = callBody(n);
      signed.push({
        body,
        jwt: await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: WEBHOOK_URL }),
      });
    }
    let next = 0;
    const signedRequest: autocannon.Request = {
      method: 'POST',
      path: '/webhooks/gong',
      setupRequest: (request) => {
        const { body, jwt } = signed[next++ % signed.length]!;
        return { ...request, body, headers: { ...request.headers, authorization: jwt } };
      },
    };
    let keyed = 1_000_000;
    const keyedRequest: autocannon.Request = {
      method: 'POST',
      path: `/webhooks/gong?key=${URL_KEY}`,
      setupRequest: (request) => ({ ...request, body: callBody(keyed++) }),
    };

    const signedService = await startService({
      ...storage,
      GONG_WEBHOOK_PUBLIC_KEY: keys.publicKeyPem,
      GONG_WEBHOOK_URL: WEBHOOK_URL,
    });
    let warm: autocannon.Result;
    let atRate: autocannon.Result;
    try {
      const url = signedService.url;
      warm = await run({ ...base, url, amount: warmup, overallRate: 250, requests: [signedRequest] });
      atRate = await run({ ...base, url, amount: fixed, overallRate: RATE, requests: [signedRequest] });
    } finally {
      await signedService.stop();
    }
    // A URL-key rule runs on a service without a public key: beside one, a URL key alone is refused.
    const keyedService = await startService({ ...storage, GONG_WEBHOOK_KEY: URL_KEY });
    let single: autocannon.Result;
    let max: autocannon.Result;
    let stored: string;
    try {
      const url = keyedService.url;
      single = await run({ ...base, url, connections: 1, duration: 3, requests: [keyedRequest] });
      max = await run({ ...base, url, duration: MAX_SECONDS, requests: [keyedRequest] });
      stored = (await keyedService.ask('count')).replace(/^count /, '');
    } finally {
      await keyedService.stop();
    }

    process.stdout.write('\nGong webhook intake: one service process, durable enqueue (Postgres, pg-boss)\n');
    report('one at a time, URL key, 3 s (the floor: one request, one transaction):', single);
    report(`at ${RATE} requests/s for ${SECONDS} s, signed JWTs (target p99 < 25 ms):`, atRate);
    report(`as fast as it acks, ${CONNECTIONS} connections, URL key, ${MAX_SECONDS} s:`, max);
    process.stdout.write(
      `conversations stored ${stored} (acknowledged ${warm['2xx'] + single['2xx'] + atRate['2xx'] + max['2xx']}; a few more when requests were in flight as a run ended)\n`,
    );
    const p99 = atRate.latency.p99;
    process.stdout.write(`p99 at ${RATE}/s: ${p99} ms — ${p99 < 25 ? 'meets' : 'misses'} the 25 ms target\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
