import { forecastCategory, type ForecastCutoffs } from './forecast-category.js';
import type { ClosedDeal } from '../pipeline/state-as-of.js';
import { addDays, type DealSnapshot } from './deal-snapshot.js';
import { logit, sigmoid } from './penalized-logistic.js';
import { seededRandom } from './seeded-random.js';
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

export function quarterOutlook(
  asOf: string,
  scored: readonly ScoredDeal[],
  training: Pick<TrainingSet, 'windowExamples'>,
  closed: readonly ClosedDeal[],
  baseRate: number,
  cutoffs: ForecastCutoffs,
  options: { simulations?: number; seed?: number } = {},
): QuarterOutlook {
  const simulations = options.simulations ?? 4000;
  const timing = timingBands(recentWindows(training.windowExamples, asOf));
  const within = (s: DealSnapshot) => {
    const age = s.ageDays ?? 0;
    const band = timing.find((b) => age >= b.minAgeDays && (b.maxAgeDays === null || age < b.maxAgeDays));
    // No mature snapshots yet: every win is assumed to land in the window.
    return band === undefined ? 1 : Math.min(1, band.wonInWindow / Math.max(1e-6, baseRate));
  };
  const pace = conversionBacktest(training.windowExamples);
  // A tested pace already holds the win rate's drift in its error; untested, the monthly drift stands in.
  const drift = pace.windowsTested >= 2 ? 0 : monthlyDrift(closed);
  const inWindow = new Map<string, number>();
  const deals = scored.map((d) => {
    const q = within(d.snapshot);
    inWindow.set(d.snapshot.id, d.probability * q);
    return { amount: d.snapshot.amount, p: d.probability, q };
  });
  const valued = deals.filter((d) => d.amount !== null && d.amount > 0) as {
    amount: number;
    p: number;
    q: number;
  }[];

  const random = seededRandom(options.seed ?? 7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values = new Float64Array(simulations);
  const logits = Float64Array.from(valued, (d) => logit(d.p));
  // Without drift every simulation's shock is zero, so each deal's chance is the same in all of them
  // and is worked out once rather than once per simulation (the same numbers, bit for bit).
  const steady = drift === 0 ? Float64Array.from(valued, (d, i) => sigmoid(logits[i]! + 0) * d.q) : null;
  const amounts = Float64Array.from(valued, (d) => d.amount);
  for (let s = 0; s < simulations; s++) {
    const shock = drift * normal();
    const pacing = Math.exp(pace.logError * normal());
    let total = 0;
    if (steady !== null) {
      for (let i = 0; i < amounts.length; i++) if (random() < steady[i]! * pacing) total += amounts[i]!;
    } else {
      for (let i = 0; i < amounts.length; i++) {
        if (random() < sigmoid(logits[i]! + shock) * valued[i]!.q * pacing) total += amounts[i]!;
      }
    }
    values[s] = total;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const counts = poissonBinomial(deals.map((d) => d.p * d.q));
  const sum = (list: typeof valued) => list.reduce((s, d) => s + d.amount, 0);
  return {
    window: { from: addDays(asOf, 1), to: addDays(asOf, WINDOW_DAYS), days: WINDOW_DAYS },
    deals: deals.length,
    dealsWithoutAmount: deals.length - valued.length,
    expectedWins: deals.reduce((s, d) => s + d.p * d.q, 0),
    wins: { p10: quantile(counts, 0.1), p50: quantile(counts, 0.5), p90: quantile(counts, 0.9) },
    value: {
      expected: valued.reduce((s, d) => s + d.amount * d.p * d.q, 0),
      p10: at(0.1),
      p50: at(0.5),
      p90: at(0.9),
    },
    commit: sum(valued.filter((d) => forecastCategory(d.p * d.q, cutoffs) === 'Commit')),
    bestCase: sum(valued.filter((d) => forecastCategory(d.p * d.q, cutoffs) !== 'Pipeline')),
    pipeline: sum(valued),
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

/** Age bands of at least 200 mature snapshots each (at most 6), with how often they were won in the window. */
function timingBands(examples: TrainingSet['windowExamples']): QuarterOutlook['timing'] {
  const sorted = [...examples].sort((a, b) => (a.ageDays ?? 0) - (b.ageDays ?? 0));
  if (sorted.length < 200) return [];
  const bands = Math.min(6, Math.floor(sorted.length / 200));
  const result: QuarterOutlook['timing'] = [];
  for (let b = 0; b < bands; b++) {
    const slice = sorted.slice(
      Math.floor((sorted.length * b) / bands),
      Math.floor((sorted.length * (b + 1)) / bands),
    );
    const minAgeDays = b === 0 ? 0 : (slice[0]!.ageDays ?? 0);
    if (b > 0) result[b - 1]!.maxAgeDays = minAgeDays;
    result.push({
      minAgeDays,
      maxAgeDays: null,
      wonInWindow: slice.filter((s) => s.wonInWindow).length / slice.length,
      snapshots: slice.length,
    });
  }
  return result;
}

/**
 * The conversion of the latest windows that have fully passed: the pipeline's in-window win rate
 * drifts (in maven-crm it halves over 2017 as deals that never close pile up), so the most recent
 * evidence beats a long average.
 */
const RECENT_DAYS = 56;
function recentWindows(
  examples: TrainingSet['windowExamples'],
  asOf: string,
  before = addDays(asOf, -WINDOW_DAYS),
) {
  const from = addDays(before, -RECENT_DAYS);
  return examples.filter((e) => e.at <= before && e.at >= from);
}

/**
 * How far the in-window count missed in the past, out of time: for each past snapshot date, the
 * rates from the windows that had passed by then predict its count, compared with what happened.
 * That error (at least 5%, 25% when untested) is how widely the simulation spreads the count.
 */
function conversionBacktest(examples: TrainingSet['windowExamples']): QuarterOutlook['pace'] {
  const dates = [...new Set(examples.map((e) => e.at))].sort();
  const errors: number[] = [];
  for (const at of dates) {
    const bands = timingBands(recentWindows(examples, at, addDays(at, -WINDOW_DAYS)));
    if (bands.length === 0) continue;
    const now = examples.filter((e) => e.at === at);
    const actual = now.filter((e) => e.wonInWindow).length;
    const predicted = now.reduce((sum, e) => {
      const age = e.ageDays ?? 0;
      const band = bands.find((b) => age >= b.minAgeDays && (b.maxAgeDays === null || age < b.maxAgeDays));
      return sum + (band?.wonInWindow ?? 0);
    }, 0);
    if (actual > 0 && predicted > 0) errors.push(Math.log(predicted / actual));
  }
  const rms = Math.sqrt(errors.reduce((s, v) => s + v * v, 0) / Math.max(1, errors.length));
  return { windowsTested: errors.length, logError: errors.length < 2 ? 0.25 : Math.max(0.05, rms) };
}

/** Spread of monthly win rates beyond sampling noise, in log-odds (method of moments). */
function monthlyDrift(closed: readonly ClosedDeal[]): number {
  const months = new Map<string, { wins: number; deals: number }>();
  for (const c of closed) {
    const m = months.get(c.closedOn.slice(0, 7)) ?? { wins: 0, deals: 0 };
    m.deals++;
    if (c.won) m.wins++;
    months.set(c.closedOn.slice(0, 7), m);
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
