import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadPipelineRules } from '../src/adapters/metadata/package-metadata.js';
import { addDays } from '../src/domain/hygiene/calendar-days.js';
import { columnsAsOf, type ColumnsAsOf } from '../src/domain/pipeline/columns-as-of.js';
import { ColumnHygiene } from '../src/domain/hygiene/column-hygiene.js';
import { previousScores, riskScores } from '../src/domain/risk/column-risk.js';
import { columnActionQueues } from '../src/domain/actions/column-actions.js';
import { stateAsOf } from '../src/domain/pipeline/state-as-of.js';
import { indexHistory } from '../src/domain/pipeline/history-index.js';
import type { PipelineDataset } from '../src/domain/pipeline/records.js';
import { indexPipeline } from '../src/domain/hygiene/deal-facts.js';
import { evaluateDeal, type DealSignals } from '../src/domain/hygiene/deal-signals.js';
import { riskTrend, scoreRisk } from '../src/domain/risk/deal-risk.js';
import { buildActionQueues } from '../src/domain/actions/next-best-action.js';
import { forecastPipeline, type ForecastOptions } from '../src/domain/forecast/forecast-pipeline.js';
import { forecastColumns } from '../src/domain/forecast/column-forecast.js';
import { generatePipeline, generatePipelineColumns } from './generate-pipeline.js';

/**
 * The pipeline engines over a generated org at several sizes, each size in a process of its own so
 * its peak memory is its own: the org is generated straight into columns (about ten history rows a
 * deal), then the as-of states, hygiene, risk (with last week's scores) and the next-best-action
 * queue run over the columns, then the forecast over the same columns and states. Each engine's
 * CPU time (the forecast's by step too), the generator's and the engines' memory, and the ratio of
 * each figure between one size and the next, which is the size ratio when the cost grows linearly.
 *
 *   npm run bench:pipeline                                  (10,000 and 100,000 opportunities)
 *   npm run bench:pipeline -- --sizes 10000,100000,1000000  (adds 1,000,000: about 3 minutes)
 *   npm run bench:pipeline -- --objects                     (the object engines too, on the same org)
 *   BENCH_OPPORTUNITIES=20000 npm run bench:pipeline        (one size)
 *   BENCH_FORECAST_MAX=0 npm run bench:pipeline             (no forecast; default: every size for
 *                                                            the columns, up to 100,000 for objects)
 */

const AS_OF = '2026-03-31';
const WEEK_AGO = addDays(AS_OF, -7);
const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const money = (n: number) => dollars.format(n);
const MB = 1024 * 1024;

interface SizeResult {
  engines: 'columns' | 'objects';
  opportunities: number;
  historyRows: number;
  generate: { cpuMs: number; rssMb: number; heapMb: number; arrayBuffersMb: number; peakRssMb: number };
  /** Stage name, wall ms, CPU ms. */
  stages: [string, number, number][];
  /** Peak RSS while the engines ran (before the forecast), the heap used at its highest stage end. */
  enginesPeakRssMb: number;
  enginesHeapMb: number;
  forecastPeakRssMb: number | null;
  /** The forecast's own steps: name, CPU ms. */
  forecastSteps: [string, number][];
  counts: { open: number; flagged: number; actions: number; reps: number; forecastDeals: number | null };
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? '') : null;
};

async function runSize(count: number, engines: 'columns' | 'objects'): Promise<SizeResult> {
  const rules = await loadPipelineRules();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const cpu0 = process.cpuUsage();
  const columns =
    engines === 'columns'
      ? generatePipelineColumns(count, rules.stages, AS_OF, { revisions: true, contacts: false })
      : null;
  const dataset =
    engines === 'objects'
      ? generatePipeline(count, rules.stages, AS_OF, { revisions: true, contacts: false })
      : null;
  const genCpu = process.cpuUsage(cpu0);
  gc();
  const afterGen = process.memoryUsage();
  const generate = {
    cpuMs: (genCpu.user + genCpu.system) / 1000,
    rssMb: afterGen.rss / MB,
    heapMb: afterGen.heapUsed / MB,
    arrayBuffersMb: afterGen.arrayBuffers / MB,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  const stages: SizeResult['stages'] = [];
  let heapHigh = 0;
  const timed = <T>(stage: string, run: () => T): T => {
    const t = performance.now();
    const c = process.cpuUsage();
    const result = run();
    const used = process.cpuUsage(c);
    stages.push([stage, performance.now() - t, (used.user + used.system) / 1000]);
    heapHigh = Math.max(heapHigh, process.memoryUsage().heapUsed / MB);
    return result;
  };
  let counts: SizeResult['counts'];
  let historyRows: number;
  let states: { today: ColumnsAsOf; weekAgo: ColumnsAsOf } | null = null;
  if (columns) {
    historyRows = columns.history.day.length;
    const state = (states = timed('state as of (today and a week ago)', () => ({
      today: columnsAsOf(columns, AS_OF),
      weekAgo: columnsAsOf(columns, WEEK_AGO),
    })));
    const hygiene = timed('hygiene (facts + flags)', () => {
      const engine = new ColumnHygiene(state.today, rules);
      return { engine, ...engine.flags() };
    });
    const risk = timed('risk (scores + week-over-week trend)', () => {
      const scores = riskScores(hygiene.flags, rules.risk);
      const before = new ColumnHygiene(state.weekAgo, rules).flags();
      return {
        scores,
        previous: previousScores(state.today, state.weekAgo, riskScores(before.flags, rules.risk)),
      };
    });
    const queues = timed('next-best-action queue', () =>
      columnActionQueues(
        hygiene.engine,
        hygiene.flags,
        hygiene.lastTouchDay,
        risk.scores,
        money,
        rules.thresholds.actionTiming,
      ),
    );
    let open = 0;
    let flagged = 0;
    for (let k = 0; k < state.today.count; k++) {
      if (!state.today.isClosed[k]) open++;
      if (hygiene.flags[k]) flagged++;
    }
    counts = {
      open,
      flagged,
      actions: queues.reduce((n, q) => n + q.actions.length, 0),
      reps: queues.length,
      forecastDeals: null,
    };
  } else {
    historyRows = dataset!.history.length;
    counts = objectEngines(dataset!, rules, timed);
  }
  const enginesPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const enginesHeapMb = heapHigh;
  let forecastPeakRssMb: number | null = null;
  const forecastSteps: SizeResult['forecastSteps'] = [];
  const forecastMax = Number(process.env.BENCH_FORECAST_MAX ?? (columns ? Infinity : 100_000));
  if (count <= forecastMax) {
    let step = 'start';
    let mark = process.cpuUsage();
    const options: ForecastOptions = {
      seed: 1,
      forecastCutoffs: rules.thresholds.forecastCutoffs,
      // Each progress call ends the step before it.
      onProgress: (next) => {
        const used = process.cpuUsage(mark);
        if (step !== 'start') forecastSteps.push([step, (used.user + used.system) / 1000]);
        step = FORECAST_STEPS[next] ?? next;
        mark = process.cpuUsage();
      },
    };
    const forecast = timed('forecast (model, quarter, movement)', () =>
      columns
        ? forecastColumns(columns, AS_OF, { ...options, ...states! })
        : forecastPipeline(dataset!, AS_OF, options),
    );
    counts.forecastDeals = forecast.opportunities.length;
    forecastPeakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  return {
    engines,
    opportunities: count,
    historyRows,
    generate,
    stages,
    enginesPeakRssMb,
    enginesHeapMb,
    forecastPeakRssMb,
    forecastSteps,
    counts,
  };
}

/** What each of the forecast's progress steps goes on to do. */
const FORECAST_STEPS: Record<string, string> = {
  snapshots: 'training snapshots',
  model: 'the win model (cross-validation, fit, scoring)',
  quarter: 'the quarter (timing, Monte Carlo)',
  movement: "the week's movement and stage calibration",
};

/** The object engines as the audit runs them today, for the before-and-after on the same org. */
function objectEngines(
  data: PipelineDataset,
  rules: Awaited<ReturnType<typeof loadPipelineRules>>,
  timed: <T>(stage: string, run: () => T) => T,
): SizeResult['counts'] {
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
  const hygiene = timed('hygiene (facts + flags)', () => evaluateAll(now.today.dataset, AS_OF));
  const risk = timed('risk (scores + week-over-week trend)', () => {
    const before = evaluateAll(now.weekAgo.dataset, WEEK_AGO, false);
    const scores = new Map<string, number>();
    for (const [id, signals] of hygiene.out) {
      const score = scoreRisk(signals.findings);
      const previous = before.out.get(id);
      riskTrend(score, previous ? scoreRisk(previous.findings) : null);
      scores.set(id, score.score);
    }
    return scores;
  });
  const queues = timed('next-best-action queue', () =>
    buildActionQueues(
      [...hygiene.out].map(([id, signals]) => {
        const facts = hygiene.index.byId.get(id)!;
        return {
          opportunity: facts.opportunity,
          findings: signals.findings,
          risk: risk.get(id)!,
          lastTouch: facts.lastTouch,
        };
      }),
      AS_OF,
      money,
      rules.thresholds.actionTiming,
    ),
  );
  return {
    open: hygiene.out.size,
    flagged: [...hygiene.out.values()].filter((s) => s.findings.length > 0).length,
    actions: queues.reduce((n, q) => n + q.actions.length, 0),
    reps: queues.length,
    forecastDeals: null,
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const cpuOf = (r: SizeResult, names: string[]) =>
  r.stages.filter(([s]) => names.some((x) => s.startsWith(x))).reduce((sum, [, , cpu]) => sum + cpu, 0);
const wallOf = (r: SizeResult, names: string[]) =>
  r.stages.filter(([s]) => names.some((x) => s.startsWith(x))).reduce((sum, [, wall]) => sum + wall, 0);
const CORE = ['hygiene', 'risk', 'next-best-action'];
const EVERYTHING = ['state as of', 'hygiene', 'risk', 'next-best-action', 'forecast'];

function report(r: SizeResult) {
  console.log(
    `\n${n(r.opportunities)} opportunities, ${n(r.historyRows)} history rows (${r.engines} engines)` +
      `\n  generator: ${n(r.generate.cpuMs)} ms CPU, peak RSS ${n(r.generate.peakRssMb)} MB; after it the process holds RSS ${n(r.generate.rssMb)} MB: heap ${n(r.generate.heapMb)} MB, typed arrays ${n(r.generate.arrayBuffersMb)} MB`,
  );
  console.log(`  ${'stage'.padEnd(46)} ${'wall'.padStart(10)} ${'cpu'.padStart(10)}`);
  for (const [stage, wall, cpu] of r.stages)
    console.log(`  ${stage.padEnd(46)} ${n(wall).padStart(7)} ms ${n(cpu).padStart(7)} ms`);
  for (const [step, cpu] of r.forecastSteps)
    console.log(`    forecast: ${step.padEnd(46)} ${n(cpu).padStart(7)} ms CPU`);
  const core = cpuOf(r, CORE);
  const all = cpuOf(r, EVERYTHING);
  console.log(
    `  hygiene + risk + actions: ${n(core)} ms CPU (target < 1,000 ms at 100,000) ${core < 1000 ? 'ok' : 'OVER'}`,
  );
  if (r.counts.forecastDeals !== null)
    console.log(
      `  forecast: ${n(cpuOf(r, ['forecast']))} ms CPU; everything including the forecast: ${n(all)} ms CPU, ${n(wallOf(r, EVERYTHING))} ms wall (target < 3,000 ms CPU at 100,000) ${all < 3000 ? 'ok' : 'OVER'}`,
    );
  else console.log('  forecast: not measured at this size (BENCH_FORECAST_MAX, default 100000)');
  console.log(
    `  memory: peak RSS ${n(r.enginesPeakRssMb)} MB through the engines, generator included (target < 500 MB) ${r.enginesPeakRssMb < 500 ? 'ok' : 'OVER'}; ` +
      `the engines' own: ${n(Math.max(0, r.enginesPeakRssMb - r.generate.rssMb))} MB above what the generator left, heap ${n(r.enginesHeapMb)} MB at its highest stage end` +
      (r.forecastPeakRssMb === null ? '' : `; ${n(r.forecastPeakRssMb)} MB with the forecast`),
  );
  console.log(
    `  open ${n(r.counts.open)}, flagged ${n(r.counts.flagged)}, actions ${n(r.counts.actions)} for ${r.counts.reps} reps` +
      (r.counts.forecastDeals === null ? '' : `, forecast deals ${n(r.counts.forecastDeals)}`),
  );
}

function ratios(results: SizeResult[]) {
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1]!;
    const b = results[i]!;
    const x = (p: number, q: number) => (p > 0 ? `${(q / p).toFixed(1)}×` : '-');
    console.log(
      `\n${n(a.opportunities)} → ${n(b.opportunities)} opportunities (${x(a.opportunities, b.opportunities)} the size): ` +
        `hygiene + risk + actions CPU ${x(cpuOf(a, CORE), cpuOf(b, CORE))} (${['state', ...CORE]
          .map((stage) => `${stage.split(' ')[0]} ${x(cpuOf(a, [stage]), cpuOf(b, [stage]))}`)
          .join(', ')}), ` +
        `peak RSS ${x(a.enginesPeakRssMb, b.enginesPeakRssMb)}, typed arrays ${x(a.generate.arrayBuffersMb, b.generate.arrayBuffersMb)}, generator CPU ${x(a.generate.cpuMs, b.generate.cpuMs)}` +
        (a.counts.forecastDeals !== null && b.counts.forecastDeals !== null
          ? `, forecast CPU ${x(cpuOf(a, ['forecast']), cpuOf(b, ['forecast']))}, everything CPU ${x(cpuOf(a, EVERYTHING), cpuOf(b, EVERYTHING))}, peak RSS with the forecast ${x(a.forecastPeakRssMb!, b.forecastPeakRssMb!)}`
          : ''),
    );
  }
}

/** The lines bench/benches.ts reads its goals from, for the 100,000 size (else the largest run). */
function legacySummary(results: SizeResult[]) {
  const r = results.find((x) => x.opportunities === 100_000) ?? results.at(-1);
  if (!r) return;
  console.log(
    `\ngenerated ${n(r.opportunities)} opportunities, ${n(r.historyRows)} history rows in ${(r.generate.cpuMs / 1000).toFixed(2)} s`,
  );
  const row = (label: string, wall: number, cpu: number) =>
    console.log(
      `${label.padEnd(42)} ${n(wall).replace(/,/g, '').padStart(7)} ms ${n(cpu).replace(/,/g, '').padStart(7)} ms`,
    );
  for (const [stage, wall, cpu] of r.stages) row(stage, wall, cpu);
  row('hygiene + risk + actions', wallOf(r, CORE), cpuOf(r, CORE));
  row('state + hygiene + risk + forecast', wallOf(r, EVERYTHING), cpuOf(r, EVERYTHING));
  row('total of the stages above', wallOf(r, EVERYTHING), cpuOf(r, EVERYTHING));
  if (r.counts.forecastDeals === null) console.log('forecast: not measured, beyond BENCH_FORECAST_MAX');
  const peak = r.forecastPeakRssMb ?? r.enginesPeakRssMb;
  console.log(
    `peak memory (max RSS) ${n(peak).replace(/,/g, '')} MB (target < 500 MB) ${peak < 500 ? 'ok' : 'OVER'}`,
  );
}

if (flag('--child') !== null) {
  const result = await runSize(
    Number(flag('--child')),
    flag('--engines') === 'objects' ? 'objects' : 'columns',
  );
  console.log(JSON.stringify(result));
} else {
  const sizes = (flag('--sizes') ?? process.env.BENCH_OPPORTUNITIES ?? '10000,100000')
    .split(',')
    .map((s) => Number(s.replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n > 0);
  const withObjects = args.includes('--objects');
  const results: SizeResult[] = [];
  for (const size of sizes) {
    for (const engines of withObjects ? (['columns', 'objects'] as const) : (['columns'] as const)) {
      let out: string;
      try {
        out = execFileSync(
          process.execPath,
          [
            '--expose-gc',
            '--import',
            'tsx',
            fileURLToPath(import.meta.url),
            '--child',
            String(size),
            '--engines',
            engines,
          ],
          { encoding: 'utf8', maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'pipe'] },
        );
      } catch (error) {
        // The object engines run out of heap at a million deals; the other sizes still report.
        const { status, signal, stderr } = error as {
          status: number | null;
          signal: string | null;
          stderr: string | null;
        };
        // The first lines say why; V8's out-of-memory report after them runs to pages.
        const why = (stderr ?? '')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(0, 2)
          .join(' / ');
        console.log(
          `\n${n(size)} opportunities (${engines} engines): the run failed (${signal ?? `exit ${status}`}): ${why}`,
        );
        continue;
      }
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as SizeResult;
      results.push(result);
      report(result);
    }
  }
  ratios(results.filter((r) => r.engines === 'columns'));
  legacySummary(results.filter((r) => r.engines === 'columns'));
  if (!sizes.includes(1_000_000))
    console.log('\n1,000,000 opportunities: npm run bench:pipeline -- --sizes 10000,100000,1000000');
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} on ${os.availableParallelism()} cores (CPU time is the steadier figure on a shared machine)`,
  );
}
