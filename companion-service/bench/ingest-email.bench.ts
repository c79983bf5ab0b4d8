import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLoop, percentile } from './support/open-loop.js';
import { startIngestService } from './support/ingest-service.js';

/**
 * Email intake under load, beside Gong's (ingest.bench.ts) and Zoom's (ingest-zoom.bench.ts): the
 * same service process (durable Postgres enqueue, embedded Postgres in a temporary folder, the
 * worker off), driven open loop over loopback with raw RFC 822 messages on POST /v1/emails, each a
 * different Message-ID, from a rep of the local org (the sender is looked up among the org's active
 * users, as every logged email is). It prints acks per second and p50/p95/p99/max latency.
 *
 *   npm run bench:ingest                            (Gong, Zoom, then this: 200 requests/s for 20 s)
 *   node --import tsx bench/ingest-email.bench.ts --rate 500 --seconds 10
 *   (BENCH_EMAIL_RATE and BENCH_EMAIL_SECONDS do the same)
 */

const { values: args } = parseArgs({ options: { seconds: { type: 'string' }, rate: { type: 'string' } } });
const RATE = Number(args.rate ?? process.env.BENCH_EMAIL_RATE ?? 200);
const SECONDS = Number(args.seconds ?? process.env.BENCH_EMAIL_SECONDS ?? 20);
const REP = 'avery.rep@pipeline-scribe.local';

/** A rep's follow-up as a mail client saves it: headers, a plain-text body, CRLF line ends. */
function followUp(n: number): string {
  return [
    `From: Avery Rep <${REP}>`,
    'To: Dmitri Volkov <dmitri.volkov@fabrikam.com>',
    `Subject: Follow-up ${n}: pilot scope and next steps`,
    `Date: ${new Date(Date.UTC(2026, 10, 30, 16, 0, n % 60)).toUTCString()}`,
    `Message-ID: <bench-${n}@pipeline-scribe.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hi Dmitri,',
    '',
    'Thanks for the time today. As agreed, we will send the security questionnaire by Friday and',
    'book the technical deep dive with your IT lead next week. You mentioned the budget of $120,000',
    'is approved for this quarter and that Salesloft is also being evaluated.',
    '',
    'Best,',
    'Avery',
    '',
  ].join('\r\n');
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

const dir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-email-'));
await chmod(dir, 0o755);
try {
  const warmup = 200;
  const total = warmup + Math.round(RATE * SECONDS);
  const request = (n: number) => ({
    path: '/v1/emails',
    headers: { 'content-type': 'message/rfc822' },
    body: followUp(n),
  });
  const service = await startIngestService({
    SCRIBE_POSTGRES_DIR: path.join(dir, 'postgres'),
    SCRIBE_DATA_DIR: dir,
  });
  try {
    await openLoop(service.url, 100, warmup / 100, (n) => request(n));
    const loadBefore = loadavg()[0]!.toFixed(2);
    const result = await openLoop(service.url, RATE, SECONDS, (n) => request(warmup + n));
    const l = result.latencies;
    const others = [...result.other].map(([status, n]) => `${n} × ${status}`).join(', ') || '0';
    process.stdout.write(
      '\nEmail intake (POST /v1/emails): one service process, sender checked against the org, durable enqueue (Postgres, pg-boss)\n' +
        `machine: ${availableParallelism()} cores, load average (1 min) ${loadBefore} before the run\n` +
        `at ${RATE} requests/s for ${SECONDS} s, open loop, raw RFC 822 messages (${total} distinct Message-IDs):\n` +
        `  requests ${result.requests}, acknowledged (2xx) ${result.acked}, other ${others}, errors ${result.errors}, timeouts ${result.timeouts}\n` +
        `  email acks/s ${(result.acked / result.seconds).toFixed(0)}\n` +
        `  latency p50 ${ms(percentile(l, 0.5))}, p95 ${ms(percentile(l, 0.95))}, p99 ${ms(percentile(l, 0.99))}, max ${ms(l[l.length - 1] ?? Number.NaN)}\n`,
    );
  } finally {
    await service.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
