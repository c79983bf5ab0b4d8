import {
  buildEncoder,
  dealWeights,
  type FactorName,
  type FeatureEncoder,
  type GroupPrior,
} from './feature-encoder.js';
import { fitLogistic, logit, sigmoid, type SparseRows } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingSet } from './training-set.js';
import { StringPool } from '../pipeline/string-pool.js';
import {
  allRows,
  closedTable,
  exampleTable,
  rowsWhere,
  snapshotTable,
  type ClosedTable,
  type ExampleTable,
  type SnapshotTable,
} from './snapshot-table.js';
import { whatWasNotLearned } from './win-model-limits.js';

/**
 * The win probability of an open deal, learned as far as the evidence goes and no further:
 *
 * 1. The base rate of the deals closed before the as-of date.
 * 2. Stage, rep and product, each shrunk toward the base rate by its own evidence (feature-encoder.ts):
 *    this needs no held-out data, so it works from the first closed deals.
 * 3. Age, time in stage, engagement recency and amount, with a penalty chosen by time-ordered
 *    cross-validation: each validation fold is a later block of snapshot dates (or, when every deal
 *    closed too recently for that, of closing dates), scored by a model that saw only deals closed
 *    before the block began. The heaviest penalty (or none of these features at all) whose held-out
 *    Brier score is within one standard error of the best is taken, the standard error counted over
 *    deals, so thin evidence picks the simpler model by itself and no fixed number of held-out rows
 *    has to be reached first. The same folds drop the groups when the base rate beats them there
 *    by a standard error (by closing dates: unless they beat the base rate by one).
 */

/** The penalties tried on the deal features, heaviest first. */
export const PENALTIES = [10000, 1000, 100, 10, 1] as const;
const FOLDS = 3;
/**
 * A fold needs this many training snapshots, held-out snapshots and deals closed before it: fewer
 * and its Brier score is noise, which the standard-error rule would only have to wade through.
 */
const MIN_FOLD_TRAINING = 50;
const MIN_FOLD_HELD_OUT = 30;
const MIN_FOLD_CLOSED = 30;

export interface Factor {
  factor: FactorName;
  /** Shift in log-odds from the base rate; positive raises the chance. */
  effect: number;
}

export interface WinPrediction {
  probability: number;
  factors: Factor[];
}

export interface CrossValidation {
  folds: number;
  heldOut: number;
  baseBrier: number;
  /** Held-out Brier of stage, rep and product alone (no deal features), and of the base rate above. */
  groupsBrier: number;
  /** Held-out Brier of the model chosen. */
  chosenBrier: number;
  /** Held-out Brier per penalty on the deal features, and in how many folds it beat the base rate. */
  byPenalty: { lambda: number; brier: number; foldsBeaten: number }[];
}

export interface WinModel {
  asOf: string;
  baseRate: number;
  closedDeals: number;
  wonDeals: number;
  /** The chosen penalty on the deal features; null when they did not earn a place. */
  lambda: number | null;
  /** Stage, rep and product: how much each differs beyond chance, and its penalty (null: left out). */
  groups: GroupPrior[];
  crossValidation: CrossValidation | null;
  coefficients: { name: string; factor: FactorName; value: number }[];
  /** Held-out predictions from the cross-validation, for the calibration curve. */
  outOfFold: Scored[];
  ownerPriorDeals: number;
  productPriorDeals: number;
  /** What the data could not teach, in plain words, each with what the forecast does instead. */
  notLearned: string[];
  /** A record snapshot's chance, or row `row` of a table over the training table's pool. */
  predict(snapshot: DealSnapshot): WinPrediction;
  predict(table: SnapshotTable, row: number): WinPrediction;
}

/**
 * What the model learns from, as tables: the labelled snapshots, oldest date first, and the deals
 * closed by the as-of date, oldest close first, their names in the snapshots' pool.
 */
export interface WinTraining {
  asOf: string;
  examples: ExampleTable;
  closed: ClosedTable;
  maturityDays: number;
}

/** The model over a record training set: its snapshots and closed deals made tables, then learned. */
export function fitWinModel(training: TrainingSet): WinModel {
  const pool = new StringPool();
  const closed = closedTable(
    training.state.closed.map((c) => ({
      owner: c.opportunity.owner,
      product: c.opportunity.product,
      won: c.won,
      closedOn: c.closedOn,
    })),
    pool,
  );
  const examples = exampleTable(training.examples, pool);
  const model = fitWinModelOn({ asOf: training.asOf, examples, closed, maturityDays: training.maturityDays });
  const predictTable = model.predict;
  // Each record snapshot is scored as a one-row table over the same pool.
  return {
    ...model,
    predict: ((snapshot: DealSnapshot | SnapshotTable, row?: number) =>
      row === undefined
        ? predictTable(snapshotTable([snapshot as DealSnapshot], pool), 0)
        : predictTable(snapshot as SnapshotTable, row)) as WinModel['predict'],
  };
}

export function fitWinModelOn(training: WinTraining): WinModel {
  const { examples, closed } = training;
  let wins = 0;
  for (let c = 0; c < closed.count; c++) wins += closed.won[c]!;
  const baseRate = laplace(wins, closed.count);
  const all = allRows(examples.count);
  const encoder = buildEncoder(examples, all, baseRate);

  const cv = crossValidate(examples, closed, training.maturityDays);
  const chosen = cv?.chosen ?? UNTESTED;
  const lambda = chosen.lambda;
  const encoded = encodeTraining(encoder, examples, all, baseRate);
  const coefficients =
    closed.count === 0 || examples.count === 0 ? encoder.columns.map(() => 0) : fit(encoded, encoder, chosen);
  const base = logit(baseRate);
  const group = (factor: string) => encoder.groups.find((g) => g.factor === factor)!;
  const rowColumns = new Int32Array(encoder.columns.length);
  const rowValues = new Float64Array(encoder.columns.length);
  return {
    asOf: training.asOf,
    baseRate,
    closedDeals: closed.count,
    wonDeals: wins,
    lambda,
    groups: encoder.groups.map((g) =>
      chosen.groups ? g : { ...g, penalty: null, heldOutRejected: g.penalty !== null },
    ),
    crossValidation: cv?.summary ?? null,
    coefficients: encoder.columns.map((c, i) => ({
      name: c.name,
      factor: c.factor,
      value: coefficients[i]!,
    })),
    outOfFold: cv?.outOfFold ?? [],
    ownerPriorDeals: group('owner').priorDeals,
    productPriorDeals: group('product').priorDeals,
    notLearned: whatWasNotLearned(training, encoder, chosen, cv !== null),
    predict: ((table: SnapshotTable, row: number): WinPrediction => {
      const n = encoder.encodeRow(table, row, rowColumns, rowValues);
      // Each factor's effect summed over its columns, factors in the order first met (a handful).
      const factors: Factor[] = [];
      for (let e = 0; e < n; e++) {
        const i = rowColumns[e]!;
        if (coefficients[i] === 0) continue;
        const factor = encoder.columns[i]!.factor;
        const seen = factors.find((f) => f.factor === factor);
        if (seen) seen.effect += rowValues[e]! * coefficients[i]!;
        else factors.push({ factor, effect: 0 + rowValues[e]! * coefficients[i]! });
      }
      let sum = 0;
      for (const f of factors) sum += f.effect;
      const probability = sigmoid(base + sum);
      return {
        probability,
        factors: factors
          .filter((f) => Math.abs(f.effect) >= 0.005)
          .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)),
      };
    }) as WinModel['predict'],
  };
}

/** (wins + 1) / (deals + 2): the base rate, and an honest 50% when nothing has closed yet. */
const laplace = (wins: number, deals: number) => (wins + 1) / (deals + 2);

interface Encoded {
  x: SparseRows;
  y: Float64Array;
  weights: Float64Array;
  offset: Float64Array;
}

/** The training rows, encoded once and shared by every penalty tried on them. */
function encodeTraining(
  encoder: FeatureEncoder,
  examples: ExampleTable,
  rows: Int32Array,
  baseRate: number,
): Encoded {
  const y = new Float64Array(rows.length);
  for (let q = 0; q < rows.length; q++) y[q] = examples.won[rows[q]!]!;
  return {
    x: encoder.encodeRows(examples, rows),
    y,
    weights: dealWeights(examples, rows),
    offset: new Float64Array(rows.length).fill(logit(baseRate)),
  };
}

/**
 * Group columns carry their own evidence's penalty; the deal features the one chosen, or none at
 * all (their columns are left out of the fit, so their coefficients are exactly zero).
 */
function fit(encoded: Encoded, encoder: FeatureEncoder, { groups, lambda }: Candidate): number[] {
  const keep = encoder.columns.map((c) => (c.block === 'group' ? groups : lambda !== null));
  const penalty = encoder.columns.map((c) =>
    c.block === 'group' ? encoder.groups.find((g) => g.factor === c.factor)!.penalty! : lambda!,
  );
  const columns = keep.flatMap((k, i) => (k ? [i] : []));
  if (columns.length === 0) return encoder.columns.map(() => 0);
  const beta = fitLogistic({
    x: selectColumns(encoded.x, keep),
    y: encoded.y,
    weights: encoded.weights,
    offset: encoded.offset,
    lambda: columns.map((i) => penalty[i]!),
  }).coefficients;
  const all = encoder.columns.map(() => 0);
  columns.forEach((i, j) => (all[i] = beta[j]!));
  return all;
}

function selectColumns(x: SparseRows, keep: readonly boolean[]): SparseRows {
  if (keep.every(Boolean)) return x;
  const renumber = new Int32Array(x.columns).fill(-1);
  let kept = 0;
  keep.forEach((k, i) => {
    if (k) renumber[i] = kept++;
  });
  let entries = 0;
  for (let e = 0; e < x.column.length; e++) if (renumber[x.column[e]!]! >= 0) entries++;
  const start = new Int32Array(x.rows + 1);
  const column = new Int32Array(entries);
  const value = new Float64Array(entries);
  let at = 0;
  for (let r = 0; r < x.rows; r++) {
    for (let e = x.start[r]!; e < x.start[r + 1]!; e++) {
      const to = renumber[x.column[e]!]!;
      if (to < 0) continue;
      column[at] = to;
      value[at++] = x.value[e]!;
    }
    start[r + 1] = at;
  }
  return { rows: x.rows, columns: kept, start, column, value };
}

interface HeldOut {
  probability: number;
  won: boolean;
  deal: number;
}

/** What the cross-validation chooses between: whether the groups enter, and the features' penalty. */
interface Candidate {
  groups: boolean;
  lambda: number | null;
}

/** From the simplest (the base rate alone) to the least penalized. */
const CANDIDATES: readonly Candidate[] = [
  { groups: false, lambda: null },
  { groups: true, lambda: null },
  ...PENALTIES.map((lambda) => ({ groups: true, lambda })),
];
/** With no held-out evidence the groups stand on their own test (feature-encoder.ts), the features do not. */
const UNTESTED: Candidate = { groups: true, lambda: null };

/** Rows of the training table, by position; `known` counts the deals closed before the fold began. */
interface Fold {
  train: Int32Array;
  valid: Int32Array;
  known: { deals: number; wins: number };
}

/** The closed deals that closed before a day. */
function closedBefore(closed: ClosedTable, day: number): Fold['known'] {
  let deals = 0;
  let wins = 0;
  for (let c = 0; c < closed.count; c++) {
    if (closed.closedDay[c]! >= day) continue;
    deals++;
    wins += closed.won[c]!;
  }
  return { deals, wins };
}

/**
 * Later blocks of snapshot dates, each scored by a model that saw only deals closed before the block
 * began: the forecast as it would have been made then.
 */
function snapshotFolds(examples: ExampleTable, closed: ClosedTable, maturityDays: number): Fold[] {
  const { day, closedDay } = examples;
  const dates = [...new Set(day)].sort((a, b) => a - b);
  if (dates.length < FOLDS + 1) return [];
  const start = Math.floor(dates.length * 0.4);
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => dates[start + Math.floor(((dates.length - start) * k) / FOLDS)]!,
  );
  return blocks.map((from, k) => {
    const to = blocks[k + 1] ?? Infinity;
    const matureBy = from - maturityDays;
    return {
      train: rowsWhere(examples.count, (r) => day[r]! <= matureBy && closedDay[r]! < from),
      valid: rowsWhere(examples.count, (r) => day[r]! >= from && day[r]! < to),
      known: closedBefore(closed, from),
    };
  });
}

/**
 * When every deal closed too recently for that (a first few months, or an export whose closes all
 * fall in its last weeks), later closes stand in for later dates: each block of closing dates is
 * scored by a model that saw only the deals closed before it. Still out of time, so a difference
 * that only the first deals to close showed does not carry over.
 */
function closingFolds(examples: ExampleTable, closed: ClosedTable): Fold[] {
  const closes = Array.from(closed.closedDay).sort((a, b) => a - b);
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => closes[Math.floor(closes.length * (0.4 + (0.6 * k) / FOLDS))]!,
  );
  const { closedDay } = examples;
  return blocks.map((from, k) => {
    const to = blocks[k + 1] ?? Infinity;
    return {
      train: rowsWhere(examples.count, (r) => closedDay[r]! < from),
      valid: rowsWhere(examples.count, (r) => closedDay[r]! >= from && closedDay[r]! < to),
      known: closedBefore(closed, from),
    };
  });
}

const usable = (f: Fold) =>
  f.train.length >= MIN_FOLD_TRAINING &&
  f.valid.length >= MIN_FOLD_HELD_OUT &&
  f.known.deals >= MIN_FOLD_CLOSED;

function crossValidate(examples: ExampleTable, closed: ClosedTable, maturityDays: number) {
  let plan = snapshotFolds(examples, closed, maturityDays).filter(usable);
  const byClosing = plan.length === 0;
  if (byClosing && closed.count > 0) plan = closingFolds(examples, closed).filter(usable);
  const heldOut = CANDIDATES.map((): HeldOut[] => []);
  const baseHeldOut: HeldOut[] = [];
  const foldsBeaten = CANDIDATES.map(() => 0);
  let folds = 0;
  for (const { train, valid, known } of plan) {
    folds++;
    const baseRate = laplace(known.wins, known.deals);
    const encoder = buildEncoder(examples, train, baseRate);
    const x = encoder.encodeRows(examples, valid);
    const won = (q: number) => examples.won[valid[q]!] === 1;
    const deal = (q: number) => examples.deal[valid[q]!]!;
    const base = brierScore(Array.from(valid, (_, q) => ({ probability: baseRate, won: won(q) })));
    for (let q = 0; q < valid.length; q++)
      baseHeldOut.push({ probability: baseRate, won: won(q), deal: deal(q) });
    const encoded = encodeTraining(encoder, examples, train, baseRate);
    CANDIDATES.forEach((candidate, c) => {
      const beta = fit(encoded, encoder, candidate);
      // A row's non-zero features in column order: the zeros add nothing, so it is the dense product.
      const offset = logit(baseRate);
      const predicted = Array.from(valid, (_, q) => {
        let eta = 0;
        for (let e = x.start[q]!; e < x.start[q + 1]!; e++) eta += x.value[e]! * beta[x.column[e]!]!;
        return { probability: sigmoid(offset + eta), won: won(q), deal: deal(q) };
      });
      for (const p of predicted) heldOut[c]!.push(p);
      if (brierScore(predicted) < base) foldsBeaten[c]!++;
    });
  }
  if (folds === 0) return null;
  const briers = heldOut.map((h) => brierScore(h));
  // Stage, rep and product already passed their own test of evidence, so later snapshots drop them
  // only when the base rate does better by a standard error: a fold's model learns from fewer deals
  // than the final one, so its groups are noisier than the final model's. Later closes are weaker
  // evidence (the first deals to close are the fast ones, and what they show can vanish as the slow
  // ones close), so there the groups must be a standard error better, as the deal features must be.
  const simplest = byClosing
    ? withinOneStandardError(heldOut[0]!, heldOut[1]!)
      ? 0
      : 1
    : withinOneStandardError(heldOut[1]!, heldOut[0]!)
      ? 1
      : 0;
  const tried = [simplest, ...PENALTIES.map((_, i) => i + 2)];
  const best = tried.reduce((a, c) => (briers[c]! < briers[a]! ? c : a));
  const chosen = tried.find((c) => withinOneStandardError(heldOut[c]!, heldOut[best]!))!;
  return {
    chosen: CANDIDATES[chosen]!,
    outOfFold: heldOut[chosen]!.map(({ probability, won }) => ({ probability, won })),
    summary: {
      folds,
      heldOut: baseHeldOut.length,
      baseBrier: brierScore(baseHeldOut),
      groupsBrier: briers[1]!,
      chosenBrier: briers[chosen]!,
      byPenalty: PENALTIES.map((lambda, i) => ({
        lambda,
        brier: briers[i + 2]!,
        foldsBeaten: foldsBeaten[i + 2]!,
      })),
    } satisfies CrossValidation,
  };
}

/**
 * Whether a simpler candidate's held-out Brier is within one standard error of the best one's. The
 * difference is paired row by row and its standard error counted over deals, since one deal's
 * snapshots share its outcome and are not independent evidence.
 */
function withinOneStandardError(candidate: readonly HeldOut[], best: readonly HeldOut[]): boolean {
  const byDeal = new Map<number, number>();
  let total = 0;
  candidate.forEach((c, i) => {
    const d = (c.probability - (c.won ? 1 : 0)) ** 2 - (best[i]!.probability - (c.won ? 1 : 0)) ** 2;
    total += d;
    byDeal.set(c.deal, (byDeal.get(c.deal) ?? 0) + d);
  });
  const n = candidate.length;
  const mean = total / n;
  if (mean <= 0) return true;
  const rowsOf = new Map<number, number>();
  for (const c of candidate) rowsOf.set(c.deal, (rowsOf.get(c.deal) ?? 0) + 1);
  let variance = 0;
  for (const [deal, sum] of byDeal) variance += (sum - rowsOf.get(deal)! * mean) ** 2;
  const standardError = Math.sqrt(variance) / n;
  return mean <= standardError;
}
