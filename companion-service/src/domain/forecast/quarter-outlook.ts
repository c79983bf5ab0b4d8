import { forecastCategory, type ForecastCutoffs } from './forecast-category.js';
import type { ClosedDeal } from '../pipeline/state-as-of.js';
import type { DealSnapshot } from './deal-snapshot.js';
import { addDays, dayNumber, isoDay } from '../hygiene/calendar-days.js';
import type { ClosedTable } from './snapshot-table.js';
import { logit } from './penalized-logistic.js';
import { simulateQuarter } from './simulated-quarter.js';
import { WINDOW_DAYS, type TrainingSet } from './training-set.js';

/**
 * The next quarter as a distribution. The window is the 90 days after the as-of date (as-of + 1
 * through as-of + 90), not the calendar quarter, so every as-of date looks equally far ahead.
 *
 * A deal adds its amount when it is won and closes inside the window. How often a deal of its age
 * was won within 90 days is measured on snapshots at least 90 days old, where that is fully known,
 * including the deals that never close; the deal's own win probability scales it against the base
 * rate, so a 90% deal of that age counts for more than a 40% one. Counts of such wins follow the exact Poisson-binomial distribution. Values are simulated
 * (seeded), with one shared shock to every deal's log-odds per simulated quarter: win rates drift
 * from month to month more than coin flips explain, and the shock's size is that drift measured in
 * the closed deals' monthly win rates. Without it the range would be far too sure of itself.
 */

export interface ScoredDeal {
  snapshot: DealSnapshot;
  probability: number;
}

export interface QuarterOutlook {
  window: { from: string; to: string; days: number };
  /** Deals open at the as-of date with an amount, and those without one (left out of the values). */
  deals: number;
  dealsWithoutAmount: number;
  expectedWins: number;
  wins: { p10: number; p50: number; p90: number };
  value: { expected: number; p10: number; p50: number; p90: number };
  /** Won amount: deals likely enough to be won in the window for Commit, for Best Case, and every open deal. */
  commit: number;
  bestCase: number;
  pipeline: number;
  /** How often a deal open at that age was won within the window, by age band (days open). */
  timing: { minAgeDays: number; maxAgeDays: number | null; wonInWindow: number; snapshots: number }[];
  /** How far the in-window count missed on past windows (log ratio, root mean square), out of time. */
  pace: { logError: number; windowsTested: number };
  /** Month-to-month spread of the win rate in log-odds, used as the shared shock. */
  driftLogOdds: number;
  simulations: number;
  /** Per deal: probability it is won inside the window. */
  inWindow: Map<string, number>;
  /** Sorted simulated values, for the forecast range chart. */
  simulatedValues: number[];
}

/** The open deals to value, as columns: age (NaN unknown), amount (NaN none), win probability. */
export interface OpenDealColumns {
  count: number;
  ageDays: Float64Array;
  amount: Float64Array;
  probability: Float64Array;
}

/** The training's window examples as columns: snapshot day, age (NaN unknown), won in the window. */
export interface WindowColumns {
  count: number;
  day: Int32Array;
  ageDays: Float64Array;
  wonInWindow: Uint8Array;
}

/** The outlook with each deal's in-window chance by its position among the open deals. */
export type QuarterOutlookColumns = Omit<QuarterOutlook, 'inWindow'> & { inWindow: Float64Array };

export function quarterOutlook(
  asOf: string,
  scored: readonly ScoredDeal[],
  training: Pick<TrainingSet, 'windowExamples'>,
  closed: readonly ClosedDeal[],
  baseRate: number,
  cutoffs: ForecastCutoffs,
  options: { simulations?: number; seed?: number } = {},
): QuarterOutlook {
  const orNaN = (x: number | null) => (x === null ? NaN : x);
  const windows = training.windowExamples;
  const outlook = quarterOutlookOf(
    asOf,
    {
      count: scored.length,
      ageDays: Float64Array.from(scored, (d) => orNaN(d.snapshot.ageDays)),
      amount: Float64Array.from(scored, (d) => orNaN(d.snapshot.amount)),
      probability: Float64Array.from(scored, (d) => d.probability),
    },
    {
      count: windows.length,
      day: Int32Array.from(windows, (w) => dayOf(w.at)),
      ageDays: Float64Array.from(windows, (w) => orNaN(w.ageDays)),
      wonInWindow: Uint8Array.from(windows, (w) => (w.wonInWindow ? 1 : 0)),
    },
    {
      count: closed.length,
      won: Uint8Array.from(closed, (c) => (c.won ? 1 : 0)),
      closedDay: Int32Array.from(closed, (c) => dayOf(c.closedOn)),
    },
    baseRate,
    cutoffs,
    options,
  );
  const inWindow = new Map<string, number>();
  scored.forEach((d, i) => inWindow.set(d.snapshot.id, outlook.inWindow[i]!));
  return { ...outlook, inWindow };
}

function dayOf(date: string): number {
  const day = dayNumber(date);
  if (day === null) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  return day;
}

export function quarterOutlookOf(
  asOf: string,
  open: OpenDealColumns,
  windows: WindowColumns,
  closed: Pick<ClosedTable, 'count' | 'won' | 'closedDay'>,
  baseRate: number,
  cutoffs: ForecastCutoffs,
  options: { simulations?: number; seed?: number; approximateFrom?: number } = {},
): QuarterOutlookColumns {
  const simulations = options.simulations ?? 4000;
  const asOfDay = dayOf(asOf);
  const all = everyRow(windows.count);
  const timing = timingBands(windows, recentWindows(windows, all, asOfDay - WINDOW_DAYS));
  const within = (ageDays: number) => {
    const age = Number.isNaN(ageDays) ? 0 : ageDays;
    const band = timing.find((b) => age >= b.minAgeDays && (b.maxAgeDays === null || age < b.maxAgeDays));
    // No mature snapshots yet: every win is assumed to land in the window.
    return band === undefined ? 1 : Math.min(1, band.wonInWindow / Math.max(1e-6, baseRate));
  };
  const pace = conversionBacktest(windows, all);
  // A tested pace already holds the win rate's drift in its error; untested, the monthly drift stands in.
  const drift = pace.windowsTested >= 2 ? 0 : monthlyDrift(closed);
  const n = open.count;
  const inWindow = new Float64Array(n);
  const q = new Float64Array(n);
  let valuedCount = 0;
  for (let i = 0; i < n; i++) {
    q[i] = within(open.ageDays[i]!);
    inWindow[i] = open.probability[i]! * q[i]!;
    const amount = open.amount[i]!;
    if (!Number.isNaN(amount) && amount > 0) valuedCount++;
  }
  // The deals with an amount, in order: the ones the values add up.
  const valued = new Int32Array(valuedCount);
  for (let i = 0, v = 0; i < n; i++) {
    const amount = open.amount[i]!;
    if (!Number.isNaN(amount) && amount > 0) valued[v++] = i;
  }

  const values = simulateQuarter(
    {
      amount: Float64Array.from(valued, (i) => open.amount[i]!),
      logit: Float64Array.from(valued, (i) => logit(open.probability[i]!)),
      inWindow: Float64Array.from(valued, (i) => q[i]!),
    },
    {
      simulations,
      seed: options.seed ?? 7,
      drift,
      paceError: pace.logError,
      approximateFrom: options.approximateFrom,
    },
  );
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const counts = poissonBinomial(Array.from(inWindow));
  let expectedWins = 0;
  for (let i = 0; i < n; i++) expectedWins += open.probability[i]! * q[i]!;
  let expected = 0;
  let commit = 0;
  let bestCase = 0;
  let pipeline = 0;
  for (const i of valued) {
    const amount = open.amount[i]!;
    const p = open.probability[i]!;
    expected += amount * p * q[i]!;
    const category = forecastCategory(p * q[i]!, cutoffs);
    if (category === 'Commit') commit += amount;
    if (category !== 'Pipeline') bestCase += amount;
    pipeline += amount;
  }
  return {
    window: { from: addDays(asOf, 1), to: addDays(asOf, WINDOW_DAYS), days: WINDOW_DAYS },
    deals: n,
    dealsWithoutAmount: n - valued.length,
    expectedWins,
    wins: { p10: quantile(counts, 0.1), p50: quantile(counts, 0.5), p90: quantile(counts, 0.9) },
    value: { expected, p10: at(0.1), p50: at(0.5), p90: at(0.9) },
    commit,
    bestCase,
    pipeline,
    timing,
    pace,
    driftLogOdds: drift,
    simulations,
    inWindow,
    simulatedValues: sorted,
  };
}

/**
 * Exact distribution of the number of wins among independent deals (dynamic programming). Tails
 * below 1e-16 are dropped as they form, which keeps a large pipeline near-linear; index 0 of the
 * result is `offset` wins.
 */
export function poissonBinomial(probabilities: readonly number[]): { offset: number; mass: number[] } {
  // Two buffers swapped per deal rather than a new array per deal: the sums are the same, in the same order.
  let mass = new Float64Array(probabilities.length + 1);
  let next = new Float64Array(probabilities.length + 1);
  mass[0] = 1;
  let width = 1;
  let offset = 0;
  for (const p of probabilities) {
    next[0] = mass[0]! * (1 - p);
    for (let k = 1; k < width; k++) next[k] = mass[k - 1]! * p + mass[k]! * (1 - p);
    next[width] = mass[width - 1]! * p;
    let lo = 0;
    let hi = width + 1;
    while (lo < hi - 1 && next[lo]! < 1e-16) lo++;
    while (hi - 1 > lo && next[hi - 1]! < 1e-16) hi--;
    offset += lo;
    if (lo > 0) next.copyWithin(0, lo, hi);
    width = hi - lo;
    [mass, next] = [next, mass];
  }
  return { offset, mass: Array.from(mass.subarray(0, width)) };
}

function quantile(dist: { offset: number; mass: readonly number[] }, q: number): number {
  let acc = 0;
  for (let k = 0; k < dist.mass.length; k++) {
    acc += dist.mass[k]!;
    if (acc >= q - 1e-12) return dist.offset + k;
  }
  return dist.offset + dist.mass.length - 1;
}

const everyRow = (n: number) => {
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[r] = r;
  return rows;
};

/** A window example's age, an unknown age counting as 0 (a deal that had just opened). */
const ageOf = (windows: WindowColumns, r: number) => {
  const age = windows.ageDays[r]!;
  return Number.isNaN(age) ? 0 : age;
};

/**
 * The rows ordered by age, rows of one age in the order given (a stable sort): a counting sort when
 * the ages are whole days, as they are from any pipeline, else a comparison sort.
 */
function byAge(windows: WindowColumns, rows: Int32Array): Int32Array {
  let max = 0;
  let whole = true;
  for (const r of rows) {
    const age = ageOf(windows, r);
    if (!Number.isInteger(age) || age < 0 || age > 1e6) whole = false;
    else if (age > max) max = age;
  }
  if (!whole) return Int32Array.from([...rows].sort((a, b) => ageOf(windows, a) - ageOf(windows, b)));
  const start = new Int32Array(max + 2);
  for (const r of rows) start[ageOf(windows, r) + 1]!++;
  for (let a = 0; a <= max; a++) start[a + 1]! += start[a]!;
  const out = new Int32Array(rows.length);
  for (const r of rows) out[start[ageOf(windows, r)]!++] = r;
  return out;
}

/** Age bands of at least 200 mature snapshots each (at most 6), with how often they were won in the window. */
function timingBands(windows: WindowColumns, rows: Int32Array): QuarterOutlook['timing'] {
  if (rows.length < 200) return [];
  const sorted = byAge(windows, rows);
  const bands = Math.min(6, Math.floor(sorted.length / 200));
  const result: QuarterOutlook['timing'] = [];
  for (let b = 0; b < bands; b++) {
    const from = Math.floor((sorted.length * b) / bands);
    const to = Math.floor((sorted.length * (b + 1)) / bands);
    const minAgeDays = b === 0 ? 0 : ageOf(windows, sorted[from]!);
    if (b > 0) result[b - 1]!.maxAgeDays = minAgeDays;
    let won = 0;
    for (let k = from; k < to; k++) won += windows.wonInWindow[sorted[k]!]!;
    result.push({ minAgeDays, maxAgeDays: null, wonInWindow: won / (to - from), snapshots: to - from });
  }
  return result;
}

/**
 * The conversion of the latest windows that have fully passed: the pipeline's in-window win rate
 * drifts (in maven-crm it halves over 2017 as deals that never close pile up), so the most recent
 * evidence beats a long average.
 */
const RECENT_DAYS = 56;
function recentWindows(windows: WindowColumns, rows: Int32Array, before: number): Int32Array {
  const from = before - RECENT_DAYS;
  return rows.filter((r) => windows.day[r]! <= before && windows.day[r]! >= from);
}

/**
 * How far the in-window count missed in the past, out of time: for each past snapshot date, the
 * rates from the windows that had passed by then predict its count, compared with what happened.
 * That error (at least 5%, 25% when untested) is how widely the simulation spreads the count.
 */
function conversionBacktest(windows: WindowColumns, all: Int32Array): QuarterOutlook['pace'] {
  const dates = [...new Set(windows.day)].sort((a, b) => a - b);
  const errors: number[] = [];
  for (const at of dates) {
    const bands = timingBands(windows, recentWindows(windows, all, at - WINDOW_DAYS));
    if (bands.length === 0) continue;
    let actual = 0;
    let predicted = 0;
    for (let r = 0; r < windows.count; r++) {
      if (windows.day[r] !== at) continue;
      actual += windows.wonInWindow[r]!;
      const age = ageOf(windows, r);
      const band = bands.find((b) => age >= b.minAgeDays && (b.maxAgeDays === null || age < b.maxAgeDays));
      predicted += band?.wonInWindow ?? 0;
    }
    if (actual > 0 && predicted > 0) errors.push(Math.log(predicted / actual));
  }
  const rms = Math.sqrt(errors.reduce((s, v) => s + v * v, 0) / Math.max(1, errors.length));
  return { windowsTested: errors.length, logError: errors.length < 2 ? 0.25 : Math.max(0.05, rms) };
}

/** Spread of monthly win rates beyond sampling noise, in log-odds (method of moments). */
function monthlyDrift(closed: Pick<ClosedTable, 'count' | 'won' | 'closedDay'>): number {
  const months = new Map<string, { wins: number; deals: number }>();
  for (let c = 0; c < closed.count; c++) {
    const month = isoDay(closed.closedDay[c]!).slice(0, 7);
    const m = months.get(month) ?? { wins: 0, deals: 0 };
    m.deals++;
    if (closed.won[c]) m.wins++;
    months.set(month, m);
  }
  const full = [...months.values()].filter((m) => m.deals >= 20);
  if (full.length < 3) return 0.25;
  const total = full.reduce((s, m) => s + m.deals, 0);
  const p = full.reduce((s, m) => s + m.wins, 0) / total;
  const observed = full.reduce((s, m) => s + (m.deals / total) * (m.wins / m.deals - p) ** 2, 0);
  const sampling = full.reduce((s, m) => s + (m.deals / total) * ((p * (1 - p)) / m.deals), 0);
  const between = Math.max(0, observed - sampling);
  return Math.sqrt(between) / Math.max(1e-6, p * (1 - p));
}
