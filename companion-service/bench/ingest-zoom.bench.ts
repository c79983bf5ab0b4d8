import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zoomSignature } from '@pipeline-scribe/local-salesforce/zoom';
import { openLoop, percentile } from './support/open-loop.js';
import { startIngestService } from './support/ingest-service.js';

/**
 * Zoom webhook intake under load, beside Gong's (ingest.bench.ts): the same service process (the
 * app with its durable Postgres enqueue, an embedded Postgres in a temporary folder, the worker off),
 * driven open loop over loopback with `recording.transcript_completed` events, each a different
 * meeting, signed as Zoom signs them (HMAC-SHA256 of v0:{timestamp}:{body}, signed beforehand).
 * It prints acks per second and p50/p95/p99/max latency.
 *
 *   npm run bench:ingest                            (Gong, then this: 500 requests/s for 20 s)
 *   node --import tsx bench/ingest-zoom.bench.ts --rate 1000 --seconds 10
 *   (BENCH_ZOOM_RATE and BENCH_ZOOM_SECONDS do the same)
 */

const { values: args } = parseArgs({ options: { seconds: { type: 'string' }, rate: { type: 'string' } } });
const RATE = Number(args.rate ?? process.env.BENCH_ZOOM_RATE ?? 500);
const SECONDS = Number(args.seconds ?? process.env.BENCH_ZOOM_SECONDS ?? 20);
const SECRET = 'bench-zoom-secret-token-0123456789';

function transcriptCompleted(n: number): string {
  const uuid = Buffer.from(`bench-meeting-${n}`).toString('base64');
  return JSON.stringify({
    event: 'recording.transcript_completed',
    event_ts: Date.now(),
    payload: {
      account_id: 'bench-account',
      object: {
        uuid,
        id: 85_000_000_000 + n,
        host_email: 'roger.lane@contoso.com',
        topic: `Bench meeting ${n}`,
        start_time: '2026-11-30T16:00:00Z',
        duration: 30,
        recording_files: [
          {
            id: `bench-file-${n}`,
            meeting_id: uuid,
            file_type: 'TRANSCRIPT',
            file_extension: 'VTT',
            download_url: `https://zoom.us/rec/download/bench-${n}`,
            status: 'completed',
            recording_type: 'audio_transcript',
          },
        ],
      },
    },
    download_token: `bench-download-token-${n}`,
  });
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

const dir = await mkdtemp(path.join(tmpdir(), 'scribe-bench-zoom-'));
await chmod(dir, 0o755);
try {
  const warmup = 500;
  const total = warmup + Math.round(RATE * SECONDS);
  process.stdout.write(`\nSigning ${total} Zoom webhooks as Zoom would…\n`);
  const signed = Array.from({ length: total }, (_, n) => {
    const body = transcriptCompleted(n);
    const timestamp = String(Date.now());
    return {
      path: '/webhooks/zoom',
      headers: {
        'content-type': 'application/json',
        'x-zm-request-timestamp': timestamp,
        'x-zm-signature': zoomSignature(SECRET, timestamp, body),
      },
      body,
    };
  });
  const service = await startIngestService({
    SCRIBE_POSTGRES_DIR: path.join(dir, 'postgres'),
    SCRIBE_DATA_DIR: dir,
    ZOOM_WEBHOOK_SECRET_TOKEN: SECRET,
  });
  try {
    await openLoop(service.url, 250, warmup / 250, (n) => signed[n]!);
    const loadBefore = loadavg()[0]!.toFixed(2);
    const result = await openLoop(service.url, RATE, SECONDS, (n) => signed[warmup + n]!);
    const l = result.latencies;
    const others = [...result.other].map(([status, n]) => `${n} × ${status}`).join(', ') || '0';
    process.stdout.write(
      '\nZoom webhook intake: one service process, signature checked, durable enqueue (Postgres, pg-boss)\n' +
        `machine: ${availableParallelism()} cores, load average (1 min) ${loadBefore} before the run\n` +
        `at ${RATE} requests/s for ${SECONDS} s, open loop, signed recording.transcript_completed events:\n` +
        `  requests ${result.requests}, acknowledged (2xx) ${result.acked}, other ${others}, errors ${result.errors}, timeouts ${result.timeouts}\n` +
        `  Zoom acks/s ${(result.acked / result.seconds).toFixed(0)}\n` +
        `  latency p50 ${ms(percentile(l, 0.5))}, p95 ${ms(percentile(l, 0.95))}, p99 ${ms(percentile(l, 0.99))}, max ${ms(l[l.length - 1] ?? Number.NaN)}\n`,
    );
  } finally {
    await service.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
