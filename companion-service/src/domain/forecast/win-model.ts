import {
  buildEncoder,
  dealWeights,
  type FactorName,
  type FeatureEncoder,
  type GroupPrior,
} from './feature-encoder.js';
import { fitLogistic, logit, sigmoid, sparseRows, type SparseRows } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import { addDays, type DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample, TrainingSet } from './training-set.js';
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
  predict(snapshot: DealSnapshot): WinPrediction;
}

export function fitWinModel(training: TrainingSet): WinModel {
  const closed = training.state.closed;
  const wins = closed.filter((c) => c.won).length;
  const baseRate = laplace(wins, closed.length);
  const encoder = buildEncoder(training.examples, baseRate);

  const cv = crossValidate(training.examples, closed, training.maturityDays);
  const chosen = cv?.chosen ?? UNTESTED;
  const lambda = chosen.lambda;
  const encoded = encodeTraining(encoder, training.examples, baseRate);
  const coefficients =
    closed.length === 0 || training.examples.length === 0
      ? encoder.columns.map(() => 0)
      : fit(encoded, encoder, chosen);
  const base = logit(baseRate);
  const group = (factor: string) => encoder.groups.find((g) => g.factor === factor)!;
  return {
    asOf: training.asOf,
    baseRate,
    closedDeals: closed.length,
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
    predict(snapshot) {
      const x = encoder.encode(snapshot);
      const byFactor = new Map<FactorName, number>();
      encoder.columns.forEach((c, i) => {
        if (x[i] !== 0 && coefficients[i] !== 0)
          byFactor.set(c.factor, (byFactor.get(c.factor) ?? 0) + x[i]! * coefficients[i]!);
      });
      const factors = [...byFactor].map(([factor, effect]) => ({ factor, effect }));
      const probability = sigmoid(base + factors.reduce((s, f) => s + f.effect, 0));
      return {
        probability,
        factors: factors
          .filter((f) => Math.abs(f.effect) >= 0.005)
          .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)),
      };
    },
  };
}

/** (wins + 1) / (deals + 2): the base rate, and an honest 50% when nothing has closed yet. */
const laplace = (wins: number, deals: number) => (wins + 1) / (deals + 2);

interface Encoded {
  x: SparseRows;
  y: number[];
  weights: number[];
  offset: number[];
}

/** The training rows, encoded once and shared by every penalty tried on them. */
function encodeTraining(
  encoder: FeatureEncoder,
  examples: readonly TrainingExample[],
  baseRate: number,
): Encoded {
  const base = logit(baseRate);
  return {
    x: sparseRows(
      examples.map((e) => encoder.encode(e.snapshot)),
      encoder.columns.length,
    ),
    y: examples.map((e) => (e.won ? 1 : 0)),
    weights: dealWeights(examples),
    offset: examples.map(() => base),
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
  const renumber = new Int32Array(x.columns).fill(-1);
  let kept = 0;
  keep.forEach((k, i) => {
    if (k) renumber[i] = kept++;
  });
  const start = new Int32Array(x.rows + 1);
  const column: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    for (let e = x.start[r]!; e < x.start[r + 1]!; e++) {
      const to = renumber[x.column[e]!]!;
      if (to < 0) continue;
      column.push(to);
      value.push(x.value[e]!);
    }
    start[r + 1] = column.length;
  }
  return {
    rows: x.rows,
    columns: kept,
    start,
    column: Int32Array.from(column),
    value: Float64Array.from(value),
  };
}

interface HeldOut {
  probability: number;
  won: boolean;
  deal: string;
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

interface Fold {
  train: TrainingExample[];
  valid: TrainingExample[];
  known: { won: boolean; closedOn: string }[];
}

/**
 * Later blocks of snapshot dates, each scored by a model that saw only deals closed before the block
 * began: the forecast as it would have been made then.
 */
function snapshotFolds(
  examples: readonly TrainingExample[],
  closed: readonly { won: boolean; closedOn: string }[],
  maturityDays: number,
): Fold[] {
  const dates = [...new Set(examples.map((e) => e.snapshot.at))].sort();
  if (dates.length < FOLDS + 1) return [];
  const start = Math.floor(dates.length * 0.4);
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => dates[start + Math.floor(((dates.length - start) * k) / FOLDS)]!,
  );
  return blocks.map((from, k) => {
    const to = blocks[k + 1] ?? '9999-12-31';
    const matureBy = addDays(from, -maturityDays);
    return {
      train: examples.filter((e) => e.snapshot.at <= matureBy && e.closedOn < from),
      valid: examples.filter((e) => e.snapshot.at >= from && e.snapshot.at < to),
      known: closed.filter((c) => c.closedOn < from),
    };
  });
}

/**
 * When every deal closed too recently for that (a first few months, or an export whose closes all
 * fall in its last weeks), later closes stand in for later dates: each block of closing dates is
 * scored by a model that saw only the deals closed before it. Still out of time, so a difference
 * that only the first deals to close showed does not carry over.
 */
function closingFolds(
  examples: readonly TrainingExample[],
  closed: readonly { won: boolean; closedOn: string }[],
): Fold[] {
  const closes = closed.map((c) => c.closedOn).sort();
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => closes[Math.floor(closes.length * (0.4 + (0.6 * k) / FOLDS))]!,
  );
  return blocks.map((from, k) => {
    const to = blocks[k + 1] ?? '9999-12-31';
    return {
      train: examples.filter((e) => e.closedOn < from),
      valid: examples.filter((e) => e.closedOn >= from && e.closedOn < to),
      known: closed.filter((c) => c.closedOn < from),
    };
  });
}

const usable = (f: Fold) =>
  f.train.length >= MIN_FOLD_TRAINING &&
  f.valid.length >= MIN_FOLD_HELD_OUT &&
  f.known.length >= MIN_FOLD_CLOSED;

function crossValidate(
  examples: readonly TrainingExample[],
  closed: readonly { won: boolean; closedOn: string }[],
  maturityDays: number,
) {
  let plan = snapshotFolds(examples, closed, maturityDays).filter(usable);
  const byClosing = plan.length === 0;
  if (byClosing && closed.length > 0) plan = closingFolds(examples, closed).filter(usable);
  const heldOut = CANDIDATES.map((): HeldOut[] => []);
  const baseHeldOut: HeldOut[] = [];
  const foldsBeaten = CANDIDATES.map(() => 0);
  let folds = 0;
  for (const { train, valid, known } of plan) {
    folds++;
    const baseRate = laplace(known.filter((c) => c.won).length, known.length);
    const encoder = buildEncoder(train, baseRate);
    const x = valid.map((e) => encoder.encode(e.snapshot));
    const base = brierScore(valid.map((e) => ({ probability: baseRate, won: e.won })));
    for (const e of valid) baseHeldOut.push({ probability: baseRate, won: e.won, deal: e.snapshot.id });
    const encoded = encodeTraining(encoder, train, baseRate);
    CANDIDATES.forEach((candidate, c) => {
      const beta = fit(encoded, encoder, candidate);
      const predicted = valid.map((e, i) => ({
        probability: sigmoid(logit(baseRate) + x[i]!.reduce((s, v, j) => s + v * beta[j]!, 0)),
        won: e.won,
        deal: e.snapshot.id,
      }));
      heldOut[c]!.push(...predicted);
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
  const byDeal = new Map<string, number>();
  let total = 0;
  candidate.forEach((c, i) => {
    const d = (c.probability - (c.won ? 1 : 0)) ** 2 - (best[i]!.probability - (c.won ? 1 : 0)) ** 2;
    total += d;
    byDeal.set(c.deal, (byDeal.get(c.deal) ?? 0) + d);
  });
  const n = candidate.length;
  const mean = total / n;
  if (mean <= 0) return true;
  const rowsOf = new Map<string, number>();
  for (const c of candidate) rowsOf.set(c.deal, (rowsOf.get(c.deal) ?? 0) + 1);
  let variance = 0;
  for (const [deal, sum] of byDeal) variance += (sum - rowsOf.get(deal)! * mean) ** 2;
  const standardError = Math.sqrt(variance) / n;
  return mean <= standardError;
}
