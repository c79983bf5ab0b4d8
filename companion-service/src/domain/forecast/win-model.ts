import { identity, tableEncoder, type FactorName, type TableEncoder } from './feature-encoder.js';
import { fitLogistic, logit, sigmoid, type SparseRows } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingSet } from './training-set.js';
import { StringPool } from '../pipeline/string-pool.js';
import {
  closedTable,
  exampleTable,
  snapshotTable,
  type ClosedTable,
  type ExampleTable,
  type SnapshotTable,
} from './snapshot-table.js';

/**
 * The win probability of an open deal: the base rate of the deals closed before the as-of date,
 * moved by a penalized logistic regression only as far as time-ordered cross-validation shows the
 * features earn. Each validation fold is a later block of snapshot dates, scored by a model that
 * saw only deals closed before the block began, against the base rate known at that time. When no
 * penalty beats the base rate on those held-out folds, the forecast is the base rate, and it says so.
 */

export const PENALTIES = [1, 10, 100, 1000, 10000] as const;
/** Relative Brier gain on held-out folds the features must show before they are used. */
const MIN_GAIN = 0.005;
/** Fewer held-out folds or snapshots than this cannot tell signal from drift. */
const MIN_FOLDS = 2;
const MIN_HELD_OUT = 300;
const FOLDS = 3;

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
  /** Held-out Brier per penalty, and in how many folds it beat the base rate. */
  byPenalty: { lambda: number; brier: number; foldsBeaten: number }[];
}

export interface WinModel {
  asOf: string;
  baseRate: number;
  closedDeals: number;
  wonDeals: number;
  /** The chosen L2 penalty; null when the features did not beat the base rate. */
  lambda: number | null;
  /** Shrinks (below 1) or stretches the model's log-odds around the base rate; null when not needed. */
  calibrationSlope: number | null;
  crossValidation: CrossValidation | null;
  coefficients: { name: string; factor: FactorName; value: number }[];
  /** Held-out predictions from the cross-validation, for the calibration curve. */
  outOfFold: Scored[];
  ownerPriorDeals: number;
  productPriorDeals: number;
  predict(snapshot: DealSnapshot): WinPrediction;
}

/** The model as the column forecast uses it: it scores rows of a snapshot table. */
export interface TableWinModel extends Omit<WinModel, 'predict'> {
  predictRow(table: SnapshotTable, r: number): WinPrediction;
}

/** What the model learns from, as tables: the labelled snapshots (by date) and the closed deals. */
export interface WinModelInput {
  asOf: string;
  examples: ExampleTable;
  /** Closed by the as-of date, oldest close first; ids in the examples' pool. */
  closed: ClosedTable;
  maturityDays: number;
}

/** The model over a record training set: its snapshots and closed deals made tables, then fitted. */
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
  const { predictRow, ...model } = fitWinModelOn({
    asOf: training.asOf,
    examples: exampleTable(training.examples, pool),
    closed,
    maturityDays: training.maturityDays,
  });
  return { ...model, predict: (snapshot) => predictRow(snapshotTable([snapshot], pool), 0) };
}

export function fitWinModelOn(training: WinModelInput): TableWinModel {
  const { examples, closed } = training;
  let wins = 0;
  for (let c = 0; c < closed.count; c++) wins += closed.won[c]!;
  const baseRate = laplace(wins, closed.count);
  const all = identity(examples.count);
  const encoder = tableEncoder(examples, all, closed, closed.count, baseRate);

  const cv = crossValidate(examples, closed, training.maturityDays);
  let lambda: number | null = null;
  let slope: number | null = null;
  let outOfFold: Scored[] = cv?.baseOutOfFold ?? [];
  if (cv && cv.summary.folds >= MIN_FOLDS && cv.summary.heldOut >= MIN_HELD_OUT) {
    const earning = cv.summary.byPenalty.filter(
      (p) => p.brier < cv.summary.baseBrier * (1 - MIN_GAIN) && p.foldsBeaten === cv.summary.folds,
    );
    const best = earning.reduce<(typeof earning)[number] | null>(
      (a, b) => (a === null || b.brier < a.brier ? b : a),
      null,
    );
    if (best) {
      lambda = best.lambda;
      const oof = cv.outOfFold.get(best.lambda)!;
      slope = calibrationSlope(oof);
      outOfFold = oof.map((o) => ({
        probability: slope === null ? o.probability : stretch(o.probability, o.base, slope),
        won: o.won,
      }));
    }
  }

  const coefficients =
    lambda === null
      ? encoder.columns.map(() => 0)
      : fit(encodeTraining(encoder, examples, all, baseRate), lambda);
  const base = logit(baseRate);
  const x = new Float64Array(encoder.columns.length);
  return {
    asOf: training.asOf,
    baseRate,
    closedDeals: closed.count,
    wonDeals: wins,
    lambda,
    calibrationSlope: slope,
    crossValidation: cv?.summary ?? null,
    coefficients: encoder.columns.map((c, i) => ({ ...c, value: coefficients[i]! })),
    outOfFold,
    ownerPriorDeals: encoder.ownerRates.priorDeals,
    productPriorDeals: encoder.productRates.priorDeals,
    predictRow(table, r) {
      if (lambda === null) return { probability: baseRate, factors: [] };
      encoder.encodeRow(table, r, null, x);
      const byFactor = new Map<FactorName, number>();
      encoder.columns.forEach((c, i) =>
        byFactor.set(c.factor, (byFactor.get(c.factor) ?? 0) + x[i]! * coefficients[i]!),
      );
      const k = slope ?? 1;
      const factors = [...byFactor].map(([factor, effect]) => ({ factor, effect: k * effect }));
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

interface EncodedTraining {
  x: SparseRows;
  y: Float64Array;
  offset: Float64Array;
}

/** The training rows, encoded once and shared by every penalty tried on them. */
function encodeTraining(
  encoder: TableEncoder,
  examples: ExampleTable,
  rows: Int32Array,
  baseRate: number,
): EncodedTraining {
  const base = logit(baseRate);
  const y = new Float64Array(rows.length);
  for (let q = 0; q < rows.length; q++) y[q] = examples.won[rows[q]!]!;
  return {
    x: encoder.encodeRows(examples, rows, examples.won),
    y,
    offset: new Float64Array(rows.length).fill(base),
  };
}

function fit(encoded: EncodedTraining, lambda: number): number[] {
  return fitLogistic({ ...encoded, lambda }).coefficients;
}

interface HeldOut extends Scored {
  base: number;
}

/** The rows whose value passes `keep`, in order. */
function rowsWhere(count: number, keep: (r: number) => boolean): Int32Array {
  const rows = new Int32Array(count);
  let n = 0;
  for (let r = 0; r < count; r++) if (keep(r)) rows[n++] = r;
  return rows.slice(0, n);
}

function crossValidate(examples: ExampleTable, closed: ClosedTable, maturityDays: number) {
  const dates: number[] = [];
  // The examples come in date order, so their distinct dates are the changes along them.
  for (let r = 0; r < examples.count; r++)
    if (r === 0 || examples.day[r] !== examples.day[r - 1]) dates.push(examples.day[r]!);
  if (dates.length < FOLDS + 1) return null;
  const start = Math.floor(dates.length * 0.4);
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => dates[start + Math.floor(((dates.length - start) * k) / FOLDS)]!,
  );
  const outOfFold = new Map<number, HeldOut[]>(PENALTIES.map((l) => [l, []]));
  const baseOutOfFold: HeldOut[] = [];
  const foldsBeaten = new Map<number, number>(PENALTIES.map((l) => [l, 0]));
  let folds = 0;
  for (let k = 0; k < FOLDS; k++) {
    const from = blocks[k]!;
    const to = blocks[k + 1] ?? Infinity;
    const matureBy = from - maturityDays;
    const train = rowsWhere(
      examples.count,
      (r) => examples.day[r]! <= matureBy && examples.closedDay[r]! < from,
    );
    const valid = rowsWhere(examples.count, (r) => examples.day[r]! >= from && examples.day[r]! < to);
    // Closed deals come oldest first, so those known by the fold's start are a prefix.
    let known = 0;
    while (known < closed.count && closed.closedDay[known]! < from) known++;
    if (train.length < 50 || valid.length < 30 || known < 30) continue;
    folds++;
    let knownWins = 0;
    for (let c = 0; c < known; c++) knownWins += closed.won[c]!;
    const baseRate = laplace(knownWins, known);
    const encoder = tableEncoder(examples, train, closed, known, baseRate);
    const x = encoder.encodeRows(examples, valid, null);
    const won = (q: number) => examples.won[valid[q]!] === 1;
    for (let q = 0; q < valid.length; q++)
      baseOutOfFold.push({ probability: baseRate, won: won(q), base: baseRate });
    const foldBase = brierScore(Array.from(valid, (_, q) => ({ probability: baseRate, won: won(q) })));
    const encoded = encodeTraining(encoder, examples, train, baseRate);
    for (const lambda of PENALTIES) {
      const beta = fit(encoded, lambda);
      // The sum over a row's non-zero features: the zeros add nothing, so it is the dense product.
      const predicted = Array.from(valid, (_, q) => {
        let eta = 0;
        for (let e = x.start[q]!; e < x.start[q + 1]!; e++) eta += x.value[e]! * beta[x.column[e]!]!;
        return { probability: sigmoid(logit(baseRate) + eta), won: won(q), base: baseRate };
      });
      const held = outOfFold.get(lambda)!;
      for (const p of predicted) held.push(p);
      if (brierScore(predicted) < foldBase) foldsBeaten.set(lambda, foldsBeaten.get(lambda)! + 1);
    }
  }
  if (folds === 0) return null;
  return {
    outOfFold,
    baseOutOfFold,
    summary: {
      folds,
      heldOut: baseOutOfFold.length,
      baseBrier: brierScore(baseOutOfFold),
      byPenalty: PENALTIES.map((lambda) => ({
        lambda,
        brier: brierScore(outOfFold.get(lambda)!),
        foldsBeaten: foldsBeaten.get(lambda)!,
      })),
    } satisfies CrossValidation,
  };
}

const stretch = (p: number, base: number, slope: number) =>
  sigmoid(logit(base) + slope * (logit(p) - logit(base)));

/**
 * A one-number calibration map: the slope on the model's log-odds around the base rate, fitted on
 * held-out predictions, kept only when it lowers their Brier score by at least half a percent. Its
 * centre stays at the base rate, so it can temper the model but not move the level.
 */
function calibrationSlope(heldOut: readonly HeldOut[]): number | null {
  const fitted = fitLogistic({
    x: heldOut.map((h) => [logit(h.probability) - logit(h.base)]),
    y: heldOut.map((h) => (h.won ? 1 : 0)),
    offset: heldOut.map((h) => logit(h.base)),
    lambda: 0,
  }).coefficients[0]!;
  const slope = Math.min(1.5, Math.max(0, fitted));
  const before = brierScore(heldOut);
  const after = brierScore(
    heldOut.map((h) => ({ probability: stretch(h.probability, h.base, slope), won: h.won })),
  );
  return after < before * 0.995 ? slope : null;
}
