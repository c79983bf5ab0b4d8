/**
 * How much of the available signal the forecast captures as a team's history grows: generated
 * pipelines whose true win probabilities are known, cut at the date their N-th deal closed, for
 * several N and several lengths of history before that date.
 *
 * Share of signal = (Brier_base - Brier_model) / (Brier_base - Brier_oracle), where the base rate is
 * the win rate of the deals closed by the as-of date and the oracle is the true probability. With the
 * true probability p known, a forecast q's expected Brier on a deal is (q - p)^2 + p(1 - p), so the
 * expected share is 1 - sum (model - p)^2 / sum (base - p)^2: the same ratio with the coin flips of the
 * outcomes integrated out, which is what lets a pipeline of a few dozen open deals be read at all.
 * The realized share (from the outcomes) is printed beside it, pooled over the seeds.
 */
import { daysBetween } from '../../src/domain/forecast/deal-snapshot.js';
import { brierScore, expectedCalibrationError, type Scored } from '../../src/domain/forecast/scores.js';
import { stateAsOf } from '../../src/domain/pipeline/state-as-of.js';
import { generatePipeline, type GeneratedPipeline } from './generated-pipeline.js';
import type { scoreAsOf } from './run-forecast-eval.js';

/** Days a generated deal stays open on average (the generator's 1 / CLOSE_PER_DAY). */
const MEAN_OPEN_DAYS = 40;

export interface LearningCell {
  closedDeals: number;
  historyDays: number;
  seeds: number;
  /** Open deals scored, pooled over the seeds. */
  scored: number;
  /** Expected share of signal captured (outcomes integrated out); NaN on a signal-free pipeline. */
  share: number;
  realizedShare: number;
  brierModel: number;
  brierBase: number;
  brierOracle: number;
  /** Expected Brier of the model over the base rate's, from the true probabilities. */
  expectedRatio: number;
  eceModel: number;
  eceBase: number;
  /** How many of the seeds' models used features beyond the base rate. */
  learned: number;
}

type Score = typeof scoreAsOf;

/**
 * A pipeline created at a steady pace for `historyDays` (plus a margin), cut at the day its
 * `closedDeals`-th deal closed. The pace makes about that many deals close by `historyDays`.
 */
export function pipelineWithClosedDeals(
  closedDeals: number,
  historyDays: number,
  seed: number,
  signal = true,
): { g: GeneratedPipeline; asOf: string } {
  const closedByThen = historyDays - MEAN_OPEN_DAYS * (1 - Math.exp(-historyDays / MEAN_OPEN_DAYS));
  const perDay = closedDeals / closedByThen;
  const days = historyDays + 90;
  const g = generatePipeline({ deals: Math.ceil(perDay * days), days, seed, signal });
  const closes = stateAsOf(g.dataset, '9999-12-31')
    .closed.map((c) => c.closedOn)
    .sort();
  // The as-of date is the N-th close; deals closing later that same day count as closed too.
  return { g, asOf: closes[closedDeals - 1]! };
}

/** Days since each deal's customer last engaged, at the end of `asOf`. */
export function silenceAt(g: GeneratedPipeline, asOf: string): Map<string, number> {
  const last = new Map<string, string>();
  for (const e of g.dataset.engagement) {
    if (e.date <= asOf && (last.get(e.opportunityId) ?? '') < e.date) last.set(e.opportunityId, e.date);
  }
  return new Map([...last].map(([id, date]) => [id, daysBetween(date, asOf)]));
}

export function learningCell(
  score: Score,
  closedDeals: number,
  historyDays: number,
  seeds: readonly number[],
  signal = true,
): LearningCell {
  const model: Scored[] = [];
  const base: Scored[] = [];
  const oracle: Scored[] = [];
  let modelGap = 0;
  let baseGap = 0;
  let learned = 0;
  for (const seed of seeds) {
    const { g, asOf } = pipelineWithClosedDeals(closedDeals, historyDays, seed, signal);
    const outcomes = new Map(stateAsOf(g.dataset, '9999-12-31').closed.map((c) => [c.opportunity.id, c.won]));
    const scored = score(g.dataset, asOf, outcomes);
    if (scored.forecast.model.lambda !== null || scored.forecast.model.groups.some((x) => x.penalty !== null))
      learned++;
    const silence = silenceAt(g, asOf);
    scored.forecast.opportunities.forEach((o, i) => {
      const p = g.oracle(o.opportunityId, silence.get(o.opportunityId)!);
      const won = outcomes.get(o.opportunityId)!;
      const b = scored.baseline[i]!.probability;
      model.push({ probability: o.probability, won });
      base.push({ probability: b, won });
      oracle.push({ probability: p, won });
      modelGap += (o.probability - p) ** 2;
      baseGap += (b - p) ** 2;
    });
  }
  const brierModel = brierScore(model);
  const brierBase = brierScore(base);
  const brierOracle = brierScore(oracle);
  const noise = oracle.reduce((s, o) => s + o.probability * (1 - o.probability), 0);
  return {
    closedDeals,
    historyDays,
    seeds: seeds.length,
    scored: model.length,
    share: signal ? 1 - modelGap / baseGap : NaN,
    realizedShare: signal ? (brierBase - brierModel) / (brierBase - brierOracle) : NaN,
    brierModel,
    brierBase,
    brierOracle,
    expectedRatio: (modelGap + noise) / (baseGap + noise),
    eceModel: expectedCalibrationError(model),
    eceBase: expectedCalibrationError(base),
    learned,
  };
}

const pct = (v: number) => (Number.isNaN(v) ? '-' : `${(v * 100).toFixed(0)}%`);
const f4 = (v: number) => v.toFixed(4);

export function printLearningCurve(
  score: Score,
  sizes: readonly number[],
  histories: readonly number[],
  seeds: readonly number[],
): LearningCell[] {
  console.log(
    `\n2a. Learning early: generated pipelines cut at the day their N-th deal closed, after H days of history (${seeds.length} seeds pooled per row)`,
  );
  console.log(
    'closed N  history H  scored  share (expected)  share (realized)  Brier model  Brier base  Brier oracle  ECE model  ECE base  learned',
  );
  const cells: LearningCell[] = [];
  for (const n of sizes) {
    for (const h of histories) {
      const c = learningCell(score, n, h, seeds);
      cells.push(c);
      console.log(
        `${String(n).padStart(8)}  ${`${h} d`.padStart(9)}  ${String(c.scored).padStart(6)}  ${pct(c.share).padStart(16)}  ${pct(c.realizedShare).padStart(16)}  ${f4(c.brierModel).padStart(11)}  ${f4(c.brierBase).padStart(10)}  ${f4(c.brierOracle).padStart(12)}  ${f4(c.eceModel).padStart(9)}  ${f4(c.eceBase).padStart(8)}  ${`${c.learned}/${c.seeds}`.padStart(7)}`,
      );
    }
  }
  const worst = cells.reduce((a, c) => Math.min(a, c.share), Infinity);
  console.log(`lowest expected share: ${pct(worst)} (target >= 80% from 150 closed deals up)`);
  return cells;
}

export function printSignalFree(
  score: Score,
  sizes: readonly number[],
  historyDays: number,
  seeds: readonly number[],
): LearningCell[] {
  console.log(
    `\n2b. A signal-free generated pipeline (every deal the same chance; same stages, owners, amounts, engagement), ${historyDays} days of history, ${seeds.length} seeds pooled`,
  );
  console.log(
    'closed N  scored  expected Brier model/base  Brier model  Brier base  ECE model  ECE base  learned',
  );
  const cells: LearningCell[] = [];
  for (const n of sizes) {
    const c = learningCell(score, n, historyDays, seeds, false);
    cells.push(c);
    console.log(
      `${String(n).padStart(8)}  ${String(c.scored).padStart(6)}  ${c.expectedRatio.toFixed(4).padStart(25)}  ${f4(c.brierModel).padStart(11)}  ${f4(c.brierBase).padStart(10)}  ${f4(c.eceModel).padStart(9)}  ${f4(c.eceBase).padStart(8)}  ${`${c.learned}/${c.seeds}`.padStart(7)}`,
    );
  }
  const worst = cells.reduce((a, c) => Math.max(a, c.expectedRatio), 0);
  console.log(`worst expected Brier ratio to the base rate: ${worst.toFixed(4)} (target <= 1.01)`);
  return cells;
}
