import { buildEncoder, type FactorName, type FeatureEncoder } from './feature-encoder.js';
import { fitLogistic, logit, sigmoid, sparseRows } from './penalized-logistic.js';
import { brierScore, type Scored } from './scores.js';
import { addDays, type DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample, TrainingSet } from './training-set.js';

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

export function fitWinModel(training: TrainingSet): WinModel {
  const closed = training.state.closed.map((c) => ({
    owner: c.opportunity.owner,
    product: c.opportunity.product,
    won: c.won,
    closedOn: c.closedOn,
  }));
  const wins = closed.filter((c) => c.won).length;
  const baseRate = laplace(wins, closed.length);
  const encoder = buildEncoder(training.examples, closed, baseRate);

  const cv = crossValidate(training.examples, closed, training.maturityDays);
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
      : fit(encodeTraining(encoder, training.examples, baseRate), lambda);
  const base = logit(baseRate);
  return {
    asOf: training.asOf,
    baseRate,
    closedDeals: closed.length,
    wonDeals: wins,
    lambda,
    calibrationSlope: slope,
    crossValidation: cv?.summary ?? null,
    coefficients: encoder.columns.map((c, i) => ({ ...c, value: coefficients[i]! })),
    outOfFold,
    ownerPriorDeals: encoder.ownerRates.priorDeals,
    productPriorDeals: encoder.productRates.priorDeals,
    predict(snapshot) {
      if (lambda === null) return { probability: baseRate, factors: [] };
      const x = encoder.encode(snapshot);
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

/** The training rows, encoded once and shared by every penalty tried on them. */
function encodeTraining(encoder: FeatureEncoder, examples: readonly TrainingExample[], baseRate: number) {
  const base = logit(baseRate);
  return {
    x: sparseRows(
      examples.map((e) => encoder.encode(e.snapshot, e.won)),
      encoder.columns.length,
    ),
    y: examples.map((e) => (e.won ? 1 : 0)),
    offset: examples.map(() => base),
  };
}

function fit(encoded: ReturnType<typeof encodeTraining>, lambda: number): number[] {
  return fitLogistic({ ...encoded, lambda }).coefficients;
}

interface HeldOut extends Scored {
  base: number;
}

function crossValidate(
  examples: readonly TrainingExample[],
  closed: readonly { owner: string | null; product: string | null; won: boolean; closedOn: string }[],
  maturityDays: number,
) {
  const dates = [...new Set(examples.map((e) => e.snapshot.at))].sort();
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
    const to = blocks[k + 1] ?? '9999-12-31';
    const matureBy = addDays(from, -maturityDays);
    const train = examples.filter((e) => e.snapshot.at <= matureBy && e.closedOn < from);
    const valid = examples.filter((e) => e.snapshot.at >= from && e.snapshot.at < to);
    const known = closed.filter((c) => c.closedOn < from);
    if (train.length < 50 || valid.length < 30 || known.length < 30) continue;
    folds++;
    const baseRate = laplace(known.filter((c) => c.won).length, known.length);
    const encoder = buildEncoder(train, known, baseRate);
    const x = valid.map((e) => encoder.encode(e.snapshot));
    for (const e of valid) baseOutOfFold.push({ probability: baseRate, won: e.won, base: baseRate });
    const foldBase = brierScore(valid.map((e) => ({ probability: baseRate, won: e.won })));
    const encoded = encodeTraining(encoder, train, baseRate);
    for (const lambda of PENALTIES) {
      const beta = fit(encoded, lambda);
      const predicted = valid.map((e, i) => ({
        probability: sigmoid(logit(baseRate) + x[i]!.reduce((s, v, j) => s + v * beta[j]!, 0)),
        won: e.won,
        base: baseRate,
      }));
      outOfFold.get(lambda)!.push(...predicted);
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
