import { fitLogistic, logit, sigmoid, sparseRows } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import { buildSlipEncoder, type SlipEncoder, type SlipFactorName } from './slip-features.js';
import type { SlipExample, SlipSnapshot, SlipTrainingSet } from './slip-training.js';

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
  predict(snapshot: SlipSnapshot): SlipPrediction;
}

const laplace = (events: number, n: number) => (events + 1) / (n + 2);

const NOTHING_LEARNED = 'no close date has come due yet to learn slips from';

export function fitSlipModel(training: SlipTrainingSet): SlipModel {
  const { examples } = training;
  const commitments = [...training.commitments.values()];
  const baseRate = laplace(commitments.filter((c) => c.slipped).length, commitments.length);
  const encoder = buildSlipEncoder(examples, commitments, baseRate);
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
    lambda === null ? encoder.columns.map(() => 0) : fit(encode(encoder, examples, baseRate), lambda);
  const base = logit(baseRate);
  const summary = describe(baseRate, commitments.length, lambda, cv);
  return {
    asOf: training.asOf,
    baseRate,
    examples: examples.length,
    commitments: commitments.length,
    lambda,
    calibrationSlope: slope,
    crossValidation: cv
      ? { folds: cv.folds, heldOut: cv.baseOutOfFold.length, baseBrier: cv.baseBrier, modelBrier }
      : null,
    outOfFold,
    summary,
    predict(s) {
      if (s.closeDate === null) return { probability: null, reason: 'no close date', factors: [] };
      // A 50% prior for every deal would read as a judgement about each; none is given until one is learned.
      if (commitments.length === 0) return { probability: null, reason: NOTHING_LEARNED, factors: [] };
      if (!(s.daysToClose >= 0))
        return { probability: null, reason: `close date ${s.closeDate} has already passed`, factors: [] };
      if (lambda === null) return { probability: baseRate, reason: null, factors: [] };
      const x = encoder.encode(s);
      const byFactor = new Map<SlipFactorName, number>();
      encoder.columns.forEach((c, i) =>
        byFactor.set(c.factor, (byFactor.get(c.factor) ?? 0) + x[i]! * beta[i]!),
      );
      const k = slope ?? 1;
      const factors = [...byFactor].map(([factor, effect]) => ({ factor, effect: k * effect }));
      return {
        probability: sigmoid(base + factors.reduce((sum, f) => sum + f.effect, 0)),
        reason: null,
        factors: factors
          .filter((f) => f.factor !== 'base rate')
          .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)),
      };
    },
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

function encode(encoder: SlipEncoder, examples: readonly SlipExample[], baseRate: number) {
  return {
    x: sparseRows(
      examples.map((e) => encoder.encode(e.snapshot, e.slipped)),
      encoder.columns.length,
    ),
    y: examples.map((e) => (e.slipped ? 1 : 0)),
    offset: examples.map(() => logit(baseRate)),
  };
}

const fit = (encoded: ReturnType<typeof encode>, lambda: number) =>
  fitLogistic({ ...encoded, lambda }).coefficients;

/** Later blocks of snapshot dates, each scored by a model fitted on what had come due before it. */
function crossValidate(training: SlipTrainingSet) {
  const { examples } = training;
  const dates = [...new Set(examples.map((e) => e.snapshot.at))].sort();
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
    const to = blocks[k + 1] ?? '9999-12-31';
    const train = examples.filter((e) => e.snapshot.closeDate! < from);
    const valid = examples.filter((e) => e.snapshot.at >= from && e.snapshot.at < to);
    const known = [...training.commitments.values()].filter((c) => c.dueOn < from);
    if (train.length < 50 || valid.length < 30 || known.length < 30) continue;
    folds++;
    const baseRate = laplace(known.filter((c) => c.slipped).length, known.length);
    const encoder = buildSlipEncoder(train, known, baseRate);
    const x = valid.map((e) => encoder.encode(e.snapshot));
    const asBase = valid.map((e) => ({ probability: baseRate, won: e.slipped, base: baseRate }));
    baseOutOfFold.push(...asBase);
    const foldBase = brierScore(asBase);
    const encoded = encode(encoder, train, baseRate);
    for (const lambda of PENALTIES) {
      const beta = fit(encoded, lambda);
      const predicted = valid.map((e, i) => ({
        probability: sigmoid(logit(baseRate) + x[i]!.reduce((s, v, j) => s + v * beta[j]!, 0)),
        won: e.slipped,
        base: baseRate,
      }));
      outOfFold.get(lambda)!.push(...predicted);
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
