/**
 * `npm run bench:hostile`: how long extraction takes for adversarial texts of 18 KB and 180 KB (each
 * pattern of test/support/hostile-texts.ts, on the extraction pool as the service runs it, parse
 * included), the slowest /healthz answer over loopback HTTP while they run, and what a 25 MB voice
 * memo adds to the memory (bench/voice-memo-memory.bench.ts, in a process of its own so that the
 * extraction's memory is not counted). Prints the figures;
 * asserts nothing (test/domain/extraction/embedded/linear-time.test.ts holds the bound).
 *
 *   BENCH_HOSTILE_BYTES=6000 npm run bench:hostile    (smaller texts: 6 KB and 60 KB)
 *   BENCH_VOICE_MEMO=0 npm run bench:hostile          (without the voice memo, as npm run bench runs it)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { loadPackageRules } from '../src/adapters/metadata/package-metadata.js';
import { ExtractionPool } from '../src/adapters/extraction/extraction-pool.js';
import { extractConversation } from '../src/services/extract-conversation.js';
import { HOSTILE_PATTERNS, hostileText } from '../test/support/hostile-texts.js';

const SMALL = Number(process.env.BENCH_HOSTILE_BYTES ?? 18_000);
// Ten times the small text: linear time shows as a ratio near 10.
const LARGE = SMALL * 10;
const kb = (bytes: number) => `${Math.round(bytes / 1000)} KB`;

const rules = await loadPackageRules();
const pool = new ExtractionPool({ threads: 1, timeoutMs: 600_000 });
const server = Fastify({ logger: false });
// The service's liveness route answers from the event loop alone, exactly so.
server.get('/healthz', async () => ({ status: 'ok' }));
const url = `${await server.listen({ host: '127.0.0.1', port: 0 })}/healthz`;

let probing = true;
let slowestHealthz = 0;
let probes = 0;
async function probeUntilStopped(): Promise<void> {
  while (probing) {
    const started = performance.now();
    const response = await fetch(url);
    await response.text();
    slowestHealthz = Math.max(slowestHealthz, performance.now() - started);
    probes++;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// The same probes with nothing to do, for three seconds: what the machine alone costs an answer.
let probe = probeUntilStopped();
await new Promise((resolve) => setTimeout(resolve, 3_000));
probing = false;
await probe;
const idleSlowest = slowestHealthz;
const idleProbes = probes;
probing = true;
slowestHealthz = 0;
probes = 0;
probe = probeUntilStopped();

async function extractionMs(text: string): Promise<number> {
  const started = performance.now();
  await extractConversation({ raw: text, today: '2026-03-10', rules, extractor: pool });
  return performance.now() - started;
}

// The pool's first task loads the extractor on its thread; that is not extraction time.
await extractionMs(hostileText(HOSTILE_PATTERNS[0]!, 1_000));

console.log(`embedded extractor on the extraction pool (1 thread), Node ${process.version}`);
console.log(
  `${'pattern'.padEnd(34)} ${`${kb(SMALL)} ms`.padStart(9)} ${`${kb(LARGE)} ms`.padStart(10)}  ratio`,
);
let slowestSmall = 0;
let slowestLarge = 0;
let worstRatio = 0;
for (const pattern of HOSTILE_PATTERNS) {
  if (!pattern.unit.trim()) continue;
  const small = await extractionMs(hostileText(pattern, SMALL));
  const large = await extractionMs(hostileText(pattern, LARGE));
  slowestSmall = Math.max(slowestSmall, small);
  slowestLarge = Math.max(slowestLarge, large);
  worstRatio = Math.max(worstRatio, large / small);
  console.log(
    `${pattern.name.padEnd(34)} ${small.toFixed(0).padStart(9)} ${large.toFixed(0).padStart(10)}  ${(large / small).toFixed(1)}`,
  );
}
probing = false;
await probe;
console.log(
  `slowest extraction: ${kb(SMALL)} ${slowestSmall.toFixed(0)} ms, ${kb(LARGE)} ${slowestLarge.toFixed(0)} ms (linear is a ratio near 10; the bound is 20) | worst ratio ${worstRatio.toFixed(1)}`,
);
console.log(
  `slowest /healthz answer during them: ${slowestHealthz.toFixed(1)} ms over ${probes} probes (target < 50 ms); idle, the slowest of ${idleProbes} was ${idleSlowest.toFixed(1)} ms`,
);
await server.close();
await pool.close();

if (process.env.BENCH_VOICE_MEMO !== '0')
  process.stdout.write(
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        fileURLToPath(new URL('voice-memo-memory.bench.ts', import.meta.url)),
      ],
      { encoding: 'utf8' },
    ),
  );
