import { fitLogistic, logit, sigmoid } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import { buildSlipEncoder, type SlipEncoder, type SlipFactorName } from './slip-features.js';
import type { SlipSnapshot, SlipTrainingSet } from './slip-training.js';
import {
  slipSnapshotTable,
  slipTrainingOf,
  type SlipSnapshotTable,
  type SlipTraining,
} from './slip-table.js';
import { allRows, rowsWhere } from './snapshot-table.js';
import { StringPool } from '../pipeline/string-pool.js';
import { NO_DAY } from '../pipeline/pipeline-columns.js';
import { isoDay } from '../hygiene/calendar-days.js';

/**
 * The slip warning: the chance an open deal does not close (won or lost) by the close date it shows.
 * It starts from the base rate, the share of earlier commitments that slipped, and moves only as far
 * as a penalized logistic regression earns on later time blocks it did not see: each fold trains on
 * the commitments whose close date had passed before the block began, so nothing is scored by a model
 * that knew its answer. When no penalty beats the base rate on those folds, the warning is the base
 * rate for every deal, and the summary says so.
 */

const PENALTIES = [1, 10, 100, 1000, 10000] as const;
const FOLDS = 3;
const MIN_FOLDS = 2;
const MIN_HELD_OUT = 300;
/** Relative Brier gain on the held-out blocks the features must show before they are used. */
const MIN_GAIN = 0.005;

export interface SlipFactor {
  factor: SlipFactorName;
  /** Shift in log-odds from the base rate; positive makes a slip more likely. */
  effect: number;
}

export interface SlipPrediction {
  /** Chance the deal is still open at the end of its close date, 0..1; null when that cannot be said. */
  probability: number | null;
  /** Why there is no probability: no close date, or one already behind the as-of date. */
  reason: string | null;
  factors: SlipFactor[];
}

export interface SlipModel {
  asOf: string;
  baseRate: number;
  /** Labelled snapshots, and the distinct commitments (deal and close date) among them. */
  examples: number;
  commitments: number;
  lambda: number | null;
  calibrationSlope: number | null;
  crossValidation: { folds: number; heldOut: number; baseBrier: number; modelBrier: number | null } | null;
  /** Held-out predictions of the chosen model (the base rate's when none), for its reliability. */
  outOfFold: Scored[];
  summary: string;
  /** A record snapshot's chance, or row `row` of a table over the training table's pool. */
  predict(snapshot: SlipSnapshot): SlipPrediction;
  predict(table: SlipSnapshotTable, row: number): SlipPrediction;
}

const laplace = (events: number, n: number) => (events + 1) / (n + 2);

const NOTHING_LEARNED = 'no close date has come due yet to learn slips from';

/** The model over a record slip training set: its snapshots and commitments made tables, then learned. */
export function fitSlipModel(training: SlipTrainingSet): SlipModel {
  const pool = new StringPool();
  const model = fitSlipModelOn(slipTrainingOf(training, pool));
  const predictTable = model.predict;
  // Each record snapshot is scored as a one-row table over the same pool.
  return {
    ...model,
    predict: ((snapshot: SlipSnapshot | SlipSnapshotTable, row?: number) =>
      row === undefined
        ? predictTable(slipSnapshotTable([snapshot as SlipSnapshot], pool), 0)
        : predictTable(snapshot as SlipSnapshotTable, row)) as SlipModel['predict'],
  };
}

export function fitSlipModelOn(training: SlipTraining): SlipModel {
  const { examples, commitments } = training;
  let slipped = 0;
  for (let c = 0; c < commitments.count; c++) slipped += commitments.slipped[c]!;
  const baseRate = laplace(slipped, commitments.count);
  const all = allRows(examples.count);
  const encoder = buildSlipEncoder(examples, all, commitments, allRows(commitments.count), baseRate);
  const cv = crossValidate(training);

  let lambda: number | null = null;
  let slope: number | null = null;
  let outOfFold: Scored[] = cv?.baseOutOfFold ?? [];
  let modelBrier: number | null = null;
  if (cv && cv.folds >= MIN_FOLDS && cv.baseOutOfFold.length >= MIN_HELD_OUT) {
    const best = PENALTIES.map((l) => ({
      l,
      brier: brierScore(cv.outOfFold.get(l)!),
      beaten: cv.beaten.get(l)!,
    }))
      .filter((p) => p.brier < cv.baseBrier * (1 - MIN_GAIN) && p.beaten * 2 > cv.folds)
      .sort((a, b) => a.brier - b.brier)[0];
    if (best) {
      lambda = best.l;
      const held = cv.outOfFold.get(best.l)!;
      slope = calibrationSlope(held);
      outOfFold = held.map((h) => ({
        probability: slope === null ? h.probability : stretch(h.probability, h.base, slope),
        won: h.won,
      }));
      modelBrier = brierScore(outOfFold);
    }
  }
  const beta =
    lambda === null ? encoder.columns.map(() => 0) : fit(encode(encoder, training, all, baseRate), lambda);
  const base = logit(baseRate);
  const summary = describe(baseRate, commitments.count, lambda, cv);
  const x = new Float64Array(encoder.columns.length);
  return {
    asOf: training.asOf,
    baseRate,
    examples: examples.count,
    commitments: commitments.count,
    lambda,
    calibrationSlope: slope,
    crossValidation: cv
      ? { folds: cv.folds, heldOut: cv.baseOutOfFold.length, baseBrier: cv.baseBrier, modelBrier }
      : null,
    outOfFold,
    summary,
    predict: ((t: SlipSnapshotTable, r: number): SlipPrediction => {
      const closeDay = t.closeDay[r]!;
      if (closeDay === NO_DAY) return { probability: null, reason: 'no close date', factors: [] };
      // A 50% prior for every deal would read as a judgement about each; none is given until one is learned.
      if (commitments.count === 0) return { probability: null, reason: NOTHING_LEARNED, factors: [] };
      if (!(t.daysToClose[r]! >= 0))
        return {
          probability: null,
          reason: `close date ${isoDay(closeDay)} has already passed`,
          factors: [],
        };
      if (lambda === null) return { probability: baseRate, reason: null, factors: [] };
      encoder.encodeRow(t, r, null, x);
      // Each factor's effect summed over its columns, factors in the order first met (a handful).
      const sums: SlipFactor[] = [];
      for (let i = 0; i < encoder.columns.length; i++) {
        const factor = encoder.columns[i]!.factor;
        const seen = sums.find((f) => f.factor === factor);
        if (seen) seen.effect += x[i]! * beta[i]!;
        else sums.push({ factor, effect: 0 + x[i]! * beta[i]! });
      }
      const k = slope ?? 1;
      const factors = sums.map(({ factor, effect }) => ({ factor, effect: k * effect }));
      return {
        probability: sigmoid(base + factors.reduce((sum, f) => sum + f.effect, 0)),
        reason: null,
        factors: factors
          .filter((f) => f.factor !== 'base rate')
          .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)),
      };
    }) as SlipModel['predict'],
  };
}

function describe(
  baseRate: number,
  commitments: number,
  lambda: number | null,
  cv: ReturnType<typeof crossValidate>,
): string {
  if (commitments === 0)
    return 'No open deal showed a close date that has since come due, so there is nothing to learn slips from yet; no deal gets a slip chance until one does.';
  const base = `${(baseRate * 100).toFixed(1)}% of ${commitments} close dates that came due were missed`;
  if (lambda !== null)
    return `${base}; stage, days to the close date, earlier pushes, age, time in stage, engagement recency, amount and the owner's slip rate beat it on ${cv!.baseOutOfFold.length} held-out snapshots in ${cv!.folds} later time blocks (penalty ${lambda}).`;
  const why = cv
    ? `on ${cv.baseOutOfFold.length} held-out snapshots in ${cv.folds} later time blocks no feature set beat it consistently`
    : 'too little history to test the features against it';
  return `${base}; ${why}, so every deal with a close date gets the base rate.`;
}

interface HeldOut extends Scored {
  base: number;
}

function encode(encoder: SlipEncoder, training: SlipTraining, rows: Int32Array, baseRate: number) {
  const { examples } = training;
  const y = new Float64Array(rows.length);
  for (let q = 0; q < rows.length; q++) y[q] = examples.slipped[rows[q]!]!;
  return {
    x: encoder.encodeRows(examples, rows, examples.slipped),
    y,
    offset: new Float64Array(rows.length).fill(logit(baseRate)),
  };
}

const fit = (encoded: ReturnType<typeof encode>, lambda: number) =>
  fitLogistic({ ...encoded, lambda }).coefficients;

/** Later blocks of snapshot dates, each scored by a model fitted on what had come due before it. */
function crossValidate(training: SlipTraining) {
  const { examples, commitments } = training;
  const { day, closeDay, slipped } = examples;
  const dates = [...new Set(day)].sort((a, b) => a - b);
  if (dates.length < FOLDS + 1) return null;
  const start = Math.floor(dates.length * 0.4);
  const blocks = Array.from(
    { length: FOLDS },
    (_, k) => dates[start + Math.floor(((dates.length - start) * k) / FOLDS)]!,
  );
  const outOfFold = new Map<number, HeldOut[]>(PENALTIES.map((l) => [l, []]));
  const beaten = new Map<number, number>(PENALTIES.map((l) => [l, 0]));
  const baseOutOfFold: HeldOut[] = [];
  let folds = 0;
  for (let k = 0; k < FOLDS; k++) {
    const from = blocks[k]!;
    const to = blocks[k + 1] ?? Infinity;
    const train = rowsWhere(examples.count, (r) => closeDay[r]! < from);
    const valid = rowsWhere(examples.count, (r) => day[r]! >= from && day[r]! < to);
    const known = rowsWhere(commitments.count, (c) => commitments.dueDay[c]! < from);
    if (train.length < 50 || valid.length < 30 || known.length < 30) continue;
    folds++;
    let knownSlipped = 0;
    for (const c of known) knownSlipped += commitments.slipped[c]!;
    const baseRate = laplace(knownSlipped, known.length);
    const encoder = buildSlipEncoder(examples, train, commitments, known, baseRate);
    const x = encoder.encodeRows(examples, valid, null);
    const asBase = Array.from(valid, (r) => ({
      probability: baseRate,
      won: slipped[r] === 1,
      base: baseRate,
    }));
    for (const b of asBase) baseOutOfFold.push(b);
    const foldBase = brierScore(asBase);
    const encoded = encode(encoder, training, train, baseRate);
    for (const lambda of PENALTIES) {
      const beta = fit(encoded, lambda);
      // A row's non-zero features in column order: the zeros add nothing, so it is the dense product.
      const offset = logit(baseRate);
      const predicted = Array.from(valid, (r, q) => {
        let eta = 0;
        for (let e = x.start[q]!; e < x.start[q + 1]!; e++) eta += x.value[e]! * beta[x.column[e]!]!;
        return { probability: sigmoid(offset + eta), won: slipped[r] === 1, base: baseRate };
      });
      const held = outOfFold.get(lambda)!;
      for (const p of predicted) held.push(p);
      if (brierScore(predicted) < foldBase) beaten.set(lambda, beaten.get(lambda)! + 1);
    }
  }
  if (folds === 0) return null;
  return { folds, outOfFold, beaten, baseOutOfFold, baseBrier: brierScore(baseOutOfFold) };
}

const stretch = (p: number, base: number, slope: number) =>
  sigmoid(logit(base) + slope * (logit(p) - logit(base)));

/** The slope on the held-out log-odds around the base rate, kept only when it lowers their Brier by half a percent. */
function calibrationSlope(heldOut: readonly HeldOut[]): number | null {
  const fitted = fitLogistic({
    x: heldOut.map((h) => [logit(h.probability) - logit(h.base)]),
    y: heldOut.map((h) => (h.won ? 1 : 0)),
    offset: heldOut.map((h) => logit(h.base)),
    lambda: 0,
  }).coefficients[0]!;
  const slope = Math.min(1.5, Math.max(0, fitted));
  const after = brierScore(
    heldOut.map((h) => ({ probability: stretch(h.probability, h.base, slope), won: h.won })),
  );
  return after < brierScore(heldOut) * 0.995 ? slope : null;
}
