/**
 * Time per 10,000-word transcript with the embedded extractor, and peak memory.
 * Inputs: a real meeting (AMI ES2002c from ../shared, cut to 10,000 words) and a sales call built
 * from the repo's sample transcript repeated to 10,000 words. Prints the figures; asserts nothing.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractConversation } from '../src/services/extract-conversation.js';
import { EmbeddedExtractor } from '../src/domain/extraction/embedded/embedded-extractor.js';
import { loadPackageRules } from '../src/adapters/metadata/package-metadata.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORDS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

function cutToWords(lines: string[], words: number): string {
  const out: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i = (i + 1) % lines.length) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    out.push(line);
    count += line.split(/\s+/).filter(Boolean).length;
  }
  return out.join('\n') + '\n';
}

async function inputs(): Promise<{ name: string; text: string }[]> {
  const ami = (
    await readFile(path.resolve(here, '../../../shared/data/transcripts/ami/ES2002c.txt'), 'utf8')
  ).split('\n');
  const samplesDir = path.resolve(here, '../samples/conversations');
  const sample = (await readdir(samplesDir)).find((f) => f === '02-tailspin-champion-left.txt');
  const sales = sample ? (await readFile(path.join(samplesDir, sample), 'utf8')).split('\n') : ami;
  return [
    { name: 'AMI meeting ES2002c (real, unscripted)', text: cutToWords(ami, WORDS) },
    { name: `sales call (${sample ?? 'AMI'} repeated)`, text: cutToWords(sales, WORDS) },
  ];
}

const rules = await loadPackageRules();
const extractor = new EmbeddedExtractor();
let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const sampleMemory = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};

console.log(
  `embedded extractor, ${RUNS} timed runs per input after 5 warm-up runs, Node ${process.version}, one thread`,
);
for (const input of await inputs()) {
  const words = input.text.split(/\s+/).filter(Boolean).length;
  const run = () =>
    extractConversation({
      raw: input.text,
      meetingDate: '2026-03-10',
      today: '2026-03-10',
      rules,
      extractor,
    });
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  let found = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const insights = await run();
    times.push(performance.now() - t0);
    sampleMemory();
    found = `${insights.stakeholders.length} stakeholders, ${insights.competitors.length} competitors, ${insights.nextSteps.length} next steps`;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  const per10k = (ms: number) => ((ms * WORDS) / words).toFixed(1);
  const wordsPerSecond = Math.round((words * 1000) / pct(0.5)).toLocaleString('en-US');
  console.log(
    `${input.name}: ${words} words | median ${per10k(pct(0.5))} ms, p95 ${per10k(pct(0.95))} ms per 10,000 words (target < 150 ms, issue 15), ${wordsPerSecond} words/s | ${found}`,
  );
}
console.log(
  `peak memory: rss ${(peakRss / 2 ** 20).toFixed(0)} MiB, heap used ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
);
