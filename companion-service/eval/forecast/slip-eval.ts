/**
 * The slip warning judged on data where the answer is known (a section of npm run eval:forecast; it
 * also runs alone: node --import tsx eval/forecast/slip-eval.ts). At each as-of date the slip model
 * learns from what was known then and scores the open deals whose close date is on or after it;
 * each is judged by whether the full data has it closed by that close date. The baseline is the
 * base rate known at the as-of date: the share of earlier close dates that were missed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readOpportunities } from '../../src/adapters/csv/index.js';
import { addDays, snapshotsOf } from '../../src/domain/forecast/deal-snapshot.js';
import { brierScore, expectedCalibrationError, type Scored } from '../../src/domain/forecast/scores.js';
import { fitSlipModel } from '../../src/domain/forecast/slip-model.js';
import { buildSlipTrainingSet, slipSnapshot } from '../../src/domain/forecast/slip-training.js';
import { stateAsOf } from '../../src/domain/pipeline/state-as-of.js';
import type { PipelineDataset } from '../../src/domain/pipeline/records.js';
import { generateSlippingPipeline } from './generated-slips.js';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '-');
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

interface SlipScore {
  model: Scored[];
  baseline: Scored[];
  summary: string;
  lambda: number | null;
  baseRate: number;
  withoutCloseDate: number;
}

/** The slip warning at one as-of date against what happened to each open deal's close date. */
export function scoreSlipsAsOf(
  dataset: PipelineDataset,
  asOf: string,
  closedOn: ReadonlyMap<string, string>,
): SlipScore {
  const state = stateAsOf(dataset, asOf);
  const training = buildSlipTrainingSet({ asOf, state });
  const model = fitSlipModel(training);
  const model_: Scored[] = [];
  const baseline: Scored[] = [];
  let withoutCloseDate = 0;
  for (const s of snapshotsOf(state, state.dataset)) {
    const snapshot = slipSnapshot(s, training.pushDates);
    const predicted = model.predict(snapshot);
    if (predicted.probability === null) {
      if (s.closeDate === null) withoutCloseDate++;
      continue;
    }
    const closed = closedOn.get(s.id);
    const slipped = closed === undefined || closed > s.closeDate!;
    model_.push({ probability: predicted.probability, won: slipped });
    baseline.push({ probability: model.baseRate, won: slipped });
  }
  return {
    model: model_,
    baseline,
    summary: model.summary,
    lambda: model.lambda,
    baseRate: model.baseRate,
    withoutCloseDate,
  };
}

const header =
  'as-of       scored  base rate  realized  Brier model  Brier base  ratio   ECE model  ECE base  model';

function row(asOf: string, s: SlipScore, label = ''): string {
  const realized = s.model.filter((m) => m.won).length / s.model.length;
  return `${label}${asOf}  ${String(s.model.length).padStart(6)}  ${pct(s.baseRate).padStart(9)}  ${pct(realized).padStart(8)}  ${f4(brierScore(s.model)).padStart(11)}  ${f4(brierScore(s.baseline)).padStart(10)}  ${(brierScore(s.model) / brierScore(s.baseline)).toFixed(3)}  ${f4(expectedCalibrationError(s.model)).padStart(9)}  ${f4(expectedCalibrationError(s.baseline)).padStart(8)}  ${s.lambda === null ? 'base rate' : `features (penalty ${s.lambda})`}`;
}

function pooled(label: string, model: Scored[], baseline: Scored[]): string {
  return `${label} (${model.length} deal-dates): Brier model ${f4(brierScore(model))} vs base rate ${f4(brierScore(baseline))} (ratio ${(brierScore(model) / brierScore(baseline)).toFixed(3)}); ECE model ${f4(expectedCalibrationError(model))} vs base rate ${f4(expectedCalibrationError(baseline))}`;
}

export async function slipSection(): Promise<void> {
  console.log(
    '\n4. Slip warning: will an open deal miss its close date? (learn from the close dates that came due by the as-of date; score the open deals against the full data)',
  );
  const maven = await readOpportunities(path.join(DATA, 'maven-crm/sales_pipeline.csv'));
  const mavenClosed = new Map(
    stateAsOf(maven, '9999-12-31').closed.map((c) => [c.opportunity.id, c.closedOn]),
  );
  console.log('   maven-crm:');
  for (const month of [4, 7, 10]) {
    const asOf = addDays(`2017-${String(month).padStart(2, '0')}-01`, -1);
    const s = scoreSlipsAsOf(maven, asOf, mavenClosed);
    if (s.model.length === 0) {
      console.log(
        `   ${asOf}  no open deal shows a close date (${s.withoutCloseDate} open without one: the export keeps only the date a deal closed, not the date it was expected to). ${s.summary}`,
      );
    } else console.log(row(asOf, s, '   '));
  }

  console.log(
    '   generated pipelines with slip tendencies (reps optimistic by a known factor, pushes recorded in OpportunityHistory, silence at the start slows a deal):',
  );
  console.log(`   seed  ${header}`);
  const model: Scored[] = [];
  const baseline: Scored[] = [];
  for (const seed of [42, 7]) {
    const g = generateSlippingPipeline({ seed });
    const closedOn = new Map(
      stateAsOf(g.dataset, '9999-12-31').closed.map((c) => [c.opportunity.id, c.closedOn]),
    );
    for (const day of [240, 420, 600]) {
      const asOf = addDays(g.start, day);
      const s = scoreSlipsAsOf(g.dataset, asOf, closedOn);
      model.push(...s.model);
      baseline.push(...s.baseline);
      console.log(row(asOf, s, `   ${String(seed).padStart(4)}  `));
    }
  }
  console.log(`   ${pooled('pooled', model, baseline)} (target: model below base rate)`);

  console.log(
    '   signal-free: every close date is kept with the same 60% chance whatever the deal (the model must stay within 1% of the base rate):',
  );
  const freeModel: Scored[] = [];
  const freeBase: Scored[] = [];
  for (const seed of [42, 7]) {
    const g = generateSlippingPipeline({ seed, signalFree: true });
    const closedOn = new Map(
      stateAsOf(g.dataset, '9999-12-31').closed.map((c) => [c.opportunity.id, c.closedOn]),
    );
    for (const day of [240, 420, 600]) {
      const s = scoreSlipsAsOf(g.dataset, addDays(g.start, day), closedOn);
      freeModel.push(...s.model);
      freeBase.push(...s.baseline);
      console.log(row(addDays(g.start, day), s, `   ${String(seed).padStart(4)}  `));
    }
  }
  console.log(`   ${pooled('pooled', freeModel, freeBase)} (target: ratio <= 1.01)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = Date.now();
  await slipSection();
  console.log(`\n(slip eval took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
