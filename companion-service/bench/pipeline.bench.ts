import os from 'node:os';
import { loadPipelineRules } from '../src/adapters/metadata/package-metadata.js';
import { stateAsOf } from '../src/domain/pipeline/state-as-of.js';
import { indexHistory } from '../src/domain/pipeline/history-index.js';
import type { PipelineDataset } from '../src/domain/pipeline/records.js';
import { addDays } from '../src/domain/hygiene/calendar-days.js';
import { indexPipeline } from '../src/domain/hygiene/deal-facts.js';
import { evaluateDeal, type DealSignals } from '../src/domain/hygiene/deal-signals.js';
import { findDuplicateContacts, findMalformedContacts } from '../src/domain/hygiene/contact-quality.js';
import { riskTrend, scoreRisk, type RiskScore } from '../src/domain/risk/deal-risk.js';
import { decisionPhase, PhaseMatcher } from '../src/domain/buying-phase/decision-phase.js';
import { buildActionQueues } from '../src/domain/actions/next-best-action.js';
import { auditPipeline } from '../src/domain/review/pipeline-audit.js';
import { generatePipeline } from './generate-pipeline.js';

/**
 * Pipeline intelligence over a large generated org: hygiene, risk (with its week-over-week trend),
 * the customer decision phase, duplicate and malformed contacts, the next-best-action queue and the
 * forecast, each timed, then the whole audit end to end, and the process's peak memory.
 * Targets: hygiene + risk + actions in under 1 s, peak memory under 500 MB.
 *
 *   npm run bench:pipeline                 (100,000 opportunities)
 *   BENCH_OPPORTUNITIES=20000 npm run bench:pipeline
 */

const COUNT = Number(process.env.BENCH_OPPORTUNITIES ?? 100_000);
const AS_OF = '2026-03-31';
const WEEK_AGO = addDays(AS_OF, -7);
const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const money = (n: number) => dollars.format(n);

const rules = await loadPipelineRules();
let started = performance.now();
const data = generatePipeline(COUNT, rules.stages, AS_OF);
const generatedIn = performance.now() - started;
const rows = (d: PipelineDataset) =>
  `${d.opportunities.length.toLocaleString('en-US')} opportunities, ${d.history.length.toLocaleString('en-US')} history rows, ${d.contacts.length.toLocaleString('en-US')} contacts, ${d.engagement.length.toLocaleString('en-US')} engagement events, ${d.conversations.length.toLocaleString('en-US')} conversations`;
console.log(`generated ${rows(data)} in ${(generatedIn / 1000).toFixed(2)} s (seeded, not timed below)`);
const heapAfterData = process.memoryUsage().heapUsed;
// Peak RSS is the whole process's, the generator's garbage included; the engines' own share is the
// peak minus what the process held once the data was built. Both are printed.
const rssAfterData = process.memoryUsage().rss / 1024 / 1024;
const peakAfterData = process.resourceUsage().maxRSS / 1024;

/** Wall time, and CPU time (all of the process's threads, the garbage collector's included): on a machine shared with other work, CPU time is the steadier figure. */
const timings: [string, number, number][] = [];
function timed<T>(stage: string, run: () => T): T {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  timings.push([stage, performance.now() - t, (used.user + used.system) / 1000]);
  return result;
}

const now = timed('state as of (today and a week ago)', () => {
  const history = indexHistory(data);
  return { today: stateAsOf(data, AS_OF, history), weekAgo: stateAsOf(data, WEEK_AGO, history) };
});
const evaluateAll = (dataset: PipelineDataset, asOf: string, detail = true) => {
  const index = indexPipeline(dataset, rules.stages, asOf);
  const out = new Map<string, DealSignals>();
  for (const deal of index.deals)
    if (!deal.opportunity.isClosed)
      out.set(deal.opportunity.id, evaluateDeal(deal, index, rules, { detail }));
  return { index, out };
};
/** Runs every stage once; only counts leave, so the results are freed before the whole audit runs. */
async function measureStages() {
  const hygiene = timed('hygiene (index + flags + completeness)', () =>
    evaluateAll(now.today.dataset, AS_OF),
  );
  const risk = timed('risk (scores + week-over-week trend)', () => {
    const before = evaluateAll(now.weekAgo.dataset, WEEK_AGO, false);
    const scores = new Map<string, { score: RiskScore; trend: ReturnType<typeof riskTrend> }>();
    for (const [id, signals] of hygiene.out) {
      const score = scoreRisk(signals.findings);
      const previous = before.out.get(id);
      scores.set(id, { score, trend: riskTrend(score, previous ? scoreRisk(previous.findings) : null) });
    }
    return scores;
  });
  timed('customer decision phase', () => {
    const matcher = new PhaseMatcher(rules.phases);
    let phased = 0;
    for (const deal of hygiene.index.deals)
      if (deal.engagement.length > 0 && decisionPhase(deal.engagement, matcher)) phased++;
    return phased;
  });
  const contacts = timed('contacts (duplicates + malformed)', () => ({
    duplicates: findDuplicateContacts(data.contacts),
    malformed: findMalformedContacts(data.contacts),
  }));
  const queues = timed('next-best-action queue', () =>
    buildActionQueues(
      [...hygiene.out].map(([id, signals]) => {
        const facts = hygiene.index.byId.get(id)!;
        return {
          opportunity: facts.opportunity,
          findings: signals.findings,
          risk: risk.get(id)!.score.score,
          lastTouch: facts.lastTouch,
        };
      }),
      AS_OF,
      money,
      rules.thresholds.actionTiming,
    ),
  );

  // The forecast is the other half of pipeline intelligence (src/domain/forecast); measured when present.
  const forecastModule = './../src/domain/forecast/forecast-pipeline.js';
  const forecast = (await import(forecastModule).catch(() => null)) as {
    forecastPipeline: (d: PipelineDataset, asOf: string, o?: object) => { opportunities: unknown[] };
  } | null;
  let forecastProblem: string | null = forecast
    ? null
    : 'src/domain/forecast/forecast-pipeline.ts is not there yet';
  let forecasted: { opportunities: unknown[] } | null = null;
  if (forecast && process.env.BENCH_FORECAST !== '0') {
    try {
      forecasted = timed('forecast (model, quarter, movement)', () =>
        forecast.forecastPipeline(data, AS_OF, {
          seed: 1,
          forecastCutoffs: rules.thresholds.forecastCutoffs,
        }),
      );
    } catch (error) {
      forecastProblem = `failed: ${(error as Error).message}`;
    }
  } else if (forecast) forecastProblem = 'skipped (BENCH_FORECAST=0)';
  return {
    open: hygiene.out.size,
    actions: queues.reduce((n, q) => n + q.actions.length, 0),
    reps: queues.length,
    duplicates: contacts.duplicates.length,
    malformed: contacts.malformed.length,
    forecastDeals: forecasted?.opportunities.length ?? null,
    forecastProblem,
  };
}
const counts = await measureStages();
const peakStagesMb = process.resourceUsage().maxRSS / 1024;

const sum = (names: string[], column: 1 | 2) =>
  timings.filter(([n]) => names.some((x) => n.startsWith(x))).reduce((s, row) => s + row[column], 0);
const row = (stage: string, wall: number, cpu: number, note = '') =>
  console.log(
    `${stage.padEnd(42)} ${wall.toFixed(0).padStart(7)} ms ${cpu.toFixed(0).padStart(7)} ms${note}`,
  );
console.log(`\n${'stage'.padEnd(42)} ${'wall'.padStart(10)} ${'cpu'.padStart(10)}`);
for (const [stage, wall, cpu] of timings) row(stage, wall, cpu);
for (const [label, core] of [
  ['hygiene + risk + actions', ['hygiene', 'risk', 'next-best-action']],
  ['state + hygiene + risk + forecast', ['state as of', 'hygiene', 'risk', 'forecast']],
] as const) {
  const coreWall = sum([...core], 1);
  row(label, coreWall, sum([...core], 2), `  (target < 1000 ms) ${coreWall < 1000 ? 'ok' : 'OVER'}`);
}
const all = timings.map(([n]) => n);
row('total of the stages above', sum(all, 1), sum(all, 2));
console.log(
  `load average while running: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores`,
);
if (counts.forecastProblem) console.log(`forecast: not measured, ${counts.forecastProblem}`);

started = performance.now();
const audit = auditPipeline({
  dataset: now.today.dataset,
  rules,
  asOf: AS_OF,
  weekAgo: now.weekAgo.dataset,
  formatMoney: money,
});
console.log(
  `${'whole audit (auditPipeline, one call)'.padEnd(42)} ${(performance.now() - started).toFixed(0).padStart(7)} ms`,
);

const peakMb = process.resourceUsage().maxRSS / 1024;
const n = (x: number) => x.toLocaleString('en-US');
console.log('');
console.log(
  `open deals ${n(counts.open)}, flagged ${n(audit.totals.flagged)}, close-out candidates ${n(audit.review.closeOut.length)}, actions ${n(counts.actions)} for ${counts.reps} reps, duplicate contact groups ${n(counts.duplicates)}, malformed values ${n(counts.malformed)}${counts.forecastDeals === null ? '' : `, forecast deals ${n(counts.forecastDeals)}`}`,
);
console.log(
  `peak memory (max RSS) ${peakMb.toFixed(0)} MB (target < 500 MB) ${peakMb < 500 ? 'ok' : 'OVER'}; ${peakStagesMb.toFixed(0)} MB after the stages alone; the generated data takes ${(heapAfterData / 1024 / 1024).toFixed(0)} MB of heap`,
);
console.log(
  `after generating the data: RSS ${rssAfterData.toFixed(0)} MB (peak so far ${peakAfterData.toFixed(0)} MB); the stages' peak above that RSS ${(peakStagesMb - rssAfterData).toFixed(0)} MB, the whole run's ${(peakMb - rssAfterData).toFixed(0)} MB (target < 500 MB) ${peakMb - rssAfterData < 500 ? 'ok' : 'OVER'}`,
);
