/**
 * npm run eval:forecast: the forecast judged on data where the answer is known.
 * 1. maven-crm time-split: at each as-of date, learn from what was known then, score the deals
 *    open then that have closed since; Brier and ECE against the base-rate baseline (the win rate of
 *    deals closed by the as-of date), and whether the P10-P90 range of won value in the next 90 days
 *    held the actual.
 * 2. Generated pipelines with known probabilities: Brier against the oracle's, and ECE; then the
 *    share of the signal captured from 150 closed deals up (learning-curve.ts), and a signal-free one.
 * 3. The stage calibration report on the salesforce-dev-org export.
 * 4. The slip warning (slip-eval.ts): Brier and ECE against the base rate.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHistory, readOpportunities } from '../../src/adapters/csv/index.js';
import { loadPipelineRules } from '../../src/adapters/metadata/package-metadata.js';
import { forecastPipeline } from '../../src/domain/forecast/forecast-pipeline.js';
import { addDays } from '../../src/domain/forecast/deal-snapshot.js';
import { brierScore, expectedCalibrationError, type Scored } from '../../src/domain/forecast/scores.js';
import { stateAsOf } from '../../src/domain/pipeline/state-as-of.js';
import type { PipelineDataset } from '../../src/domain/pipeline/records.js';
import { generatePipeline } from './generated-pipeline.js';
import { printLearningCurve, printSignalFree } from './learning-curve.js';
import { backtestQuarters, printBacktest } from './backtest.js';
import { slipSection } from './slip-eval.js';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
// The package's rules, for the forecast category cut-offs and the stage definitions.
const RULES = await loadPipelineRules();
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const f4 = (v: number) => v.toFixed(4);

export interface DateScore {
  asOf: string;
  scored: number;
  model: Scored[];
  baseline: Scored[];
}

/** Scores the forecast at one as-of date against how the open deals closed in the full data. */
export function scoreAsOf(
  dataset: PipelineDataset,
  asOf: string,
  outcomes: ReadonlyMap<string, boolean>,
  simulations = 0,
) {
  const forecast = forecastPipeline(dataset, asOf, {
    simulations,
    forecastCutoffs: RULES.thresholds.forecastCutoffs,
  });
  const known = stateAsOf(dataset, asOf).closed;
  const baseRate = known.length === 0 ? 0.5 : known.filter((c) => c.won).length / known.length;
  const scoredDeals = forecast.opportunities.filter((o) => outcomes.has(o.opportunityId));
  return {
    forecast,
    model: scoredDeals.map((o) => ({ probability: o.probability, won: outcomes.get(o.opportunityId)! })),
    baseline: scoredDeals.map((o) => ({ probability: baseRate, won: outcomes.get(o.opportunityId)! })),
  };
}

/** What the model used beyond the base rate, for a table's last column. */
export function describeLearned(model: {
  lambda: number | null;
  groups: readonly { factor: string; penalty: number | null }[];
}): string {
  const used = [
    ...model.groups.filter((g) => g.penalty !== null).map((g) => g.factor),
    ...(model.lambda === null ? [] : [`features (penalty ${model.lambda})`]),
  ];
  return used.length === 0 ? 'base rate' : used.join(', ');
}

async function maven() {
  const dataset = await readOpportunities(path.join(DATA, 'maven-crm/sales_pipeline.csv'));
  const final = stateAsOf(dataset, '9999-12-31');
  const outcomes = new Map(final.closed.map((c) => [c.opportunity.id, c.won]));
  console.log(
    '\n1. maven-crm time-split (learn from what was known at the as-of date; score the deals open then that closed since)',
  );
  console.log(
    'as-of       scored  base rate  realized  Brier model  Brier baseline  ratio   ECE model  ECE baseline  model',
  );
  const pooledModel: Scored[] = [];
  const pooledBase: Scored[] = [];
  let worst = 0;
  for (let month = 3; month <= 9; month++) {
    const asOf = addDays(`2017-${String(month + 1).padStart(2, '0')}-01`, -1);
    const { forecast, model, baseline } = scoreAsOf(dataset, asOf, outcomes);
    pooledModel.push(...model);
    pooledBase.push(...baseline);
    const ratio = brierScore(model) / brierScore(baseline);
    worst = Math.max(worst, ratio);
    const realized = model.filter((m) => m.won).length / model.length;
    console.log(
      `${asOf}  ${String(model.length).padStart(6)}  ${pct(baseline[0]!.probability).padStart(9)}  ${pct(realized).padStart(8)}  ${f4(brierScore(model)).padStart(11)}  ${f4(brierScore(baseline)).padStart(14)}  ${ratio.toFixed(3)}  ${f4(expectedCalibrationError(model)).padStart(9)}  ${f4(expectedCalibrationError(baseline)).padStart(12)}  ${describeLearned(forecast.model)}`,
    );
  }
  console.log(`worst Brier ratio to baseline: ${worst.toFixed(4)} (target <= 1.01)`);
  console.log(
    `pooled over the 7 dates: Brier ${f4(brierScore(pooledModel))} vs ${f4(brierScore(pooledBase))}; ECE ${f4(expectedCalibrationError(pooledModel))} vs baseline ${f4(expectedCalibrationError(pooledBase))} (target < 0.05)`,
  );

  const asOfs: string[] = [];
  for (let day = 0; addDays('2017-03-15', day) <= '2017-09-30'; day += 14)
    asOfs.push(addDays('2017-03-15', day));
  printBacktest(
    '   Backtest: P10-P90 and P50 of won value in the 90 days after each as-of date against what the deals open then booked (amounts: list price while open, close_value when won)',
    backtestQuarters(dataset, asOfs, RULES.thresholds.forecastCutoffs, 2000),
    'maven-crm has no forecast categories (its sales_pipeline.csv has no ForecastCategoryName or commit column), so there is no rep commit to compare',
  );
}

/** Rolling quarters on a generated pipeline whose reps keep their own forecast categories. */
function generatedBacktest() {
  const g = generatePipeline({ seed: 42, deals: 8000, repForecast: true });
  const asOfs = Array.from({ length: 12 }, (_, k) => addDays(g.start, 240 + 35 * k));
  printBacktest(
    '\n2c. Backtest on a generated pipeline (8,000 deals over two years) whose reps set their own forecast category and close date when a deal opens',
    backtestQuarters(g.dataset, asOfs, RULES.thresholds.forecastCutoffs, 1000),
    'none',
  );
}

function generated() {
  console.log(
    '\n2. Generated pipelines with known win probabilities (stage, engagement recency, owner skill)',
  );
  console.log(
    'seed  as-of       open  Brier model  Brier oracle  Brier base  model/oracle  ECE model  ECE oracle',
  );
  const pooledModel: Scored[] = [];
  const pooledOracle: Scored[] = [];
  for (const seed of [42, 7]) {
    const g = generatePipeline({ seed });
    const final = stateAsOf(g.dataset, '9999-12-31');
    const outcomes = new Map(final.closed.map((c) => [c.opportunity.id, c.won]));
    for (const day of [450, 550, 650]) {
      const asOf = addDays(g.start, day);
      const { forecast, model, baseline } = scoreAsOf(g.dataset, asOf, outcomes);
      const silence = new Map<string, number>();
      for (const e of g.dataset.engagement) {
        if (e.date <= asOf)
          silence.set(
            e.opportunityId,
            Math.min(
              silence.get(e.opportunityId) ?? Infinity,
              (Date.parse(asOf) - Date.parse(e.date)) / 86_400_000,
            ),
          );
      }
      const oracle = forecast.opportunities.map((o) => ({
        probability: g.oracle(o.opportunityId, silence.get(o.opportunityId)!),
        won: outcomes.get(o.opportunityId)!,
      }));
      pooledModel.push(...model);
      pooledOracle.push(...oracle);
      console.log(
        `${String(seed).padStart(4)}  ${asOf}  ${String(model.length).padStart(4)}  ${f4(brierScore(model)).padStart(11)}  ${f4(brierScore(oracle)).padStart(12)}  ${f4(brierScore(baseline)).padStart(10)}  ${(brierScore(model) / brierScore(oracle)).toFixed(3).padStart(12)}  ${f4(expectedCalibrationError(model)).padStart(9)}  ${f4(expectedCalibrationError(oracle)).padStart(10)}`,
      );
    }
  }
  console.log(
    `pooled (${pooledModel.length} deal-dates): Brier model ${f4(brierScore(pooledModel))} vs oracle ${f4(brierScore(pooledOracle))} = ${(brierScore(pooledModel) / brierScore(pooledOracle)).toFixed(4)} (target <= 1.05); ECE model ${f4(expectedCalibrationError(pooledModel))} (target < 0.03), oracle ${f4(expectedCalibrationError(pooledOracle))}`,
  );
}

async function devOrg() {
  console.log(
    '\n3. Stage calibration report: salesforce-dev-org (Opportunity.csv + OpportunityHistory.csv, stage rules from force-app)',
  );
  const dataset = await readOpportunities(path.join(DATA, 'salesforce-dev-org/Opportunity.csv'));
  const history = await readHistory(path.join(DATA, 'salesforce-dev-org/OpportunityHistory.csv'));
  const rules = RULES;
  const asOf = stateAsOf({ ...dataset, history }, '9999-12-31').latestDate!;
  const forecast = forecastPipeline({ ...dataset, history }, asOf, {
    forecastCutoffs: rules.thresholds.forecastCutoffs,
    stageRules: rules.stages.map((s) => ({
      stageName: s.stageName,
      defaultProbability: s.defaultProbability,
      sortOrder: s.sortOrder,
      isClosed: s.isClosed,
    })),
    simulations: 1000,
  });
  const c = forecast.calibration;
  console.log(
    `as of ${asOf}: ${c.closedDeals} closed deals, ${c.dealsWithHistory} with history. ${c.note ?? ''}`,
  );
  console.log('stage                    stated  reached&closed  won  realized  95% interval    suggested');
  for (const s of c.stages) {
    console.log(
      `${s.stage.padEnd(24)} ${(s.statedProbability === null ? '-' : pct(s.statedProbability)).padStart(6)}  ${String(s.reachedAndClosed).padStart(14)}  ${String(s.won).padStart(3)}  ${(s.realizedWinRate === null ? '-' : pct(s.realizedWinRate)).padStart(8)}  ${(s.interval ? `${pct(s.interval.low)}-${pct(s.interval.high)}` : '-').padEnd(14)}  ${s.suggestedProbability === null ? '-' : pct(s.suggestedProbability)}  ${s.note}`,
    );
  }
  console.log(`open deals forecast: ${forecast.opportunities.length}; ${forecast.model.summary}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = Date.now();
  await maven();
  generated();
  printLearningCurve(scoreAsOf, [150, 300, 600, 1500], [120, 365, 540], [1, 2, 3, 4, 5]);
  printSignalFree(scoreAsOf, [150, 600, 1500], 365, [1, 2, 3]);
  generatedBacktest();
  await devOrg();
  await slipSection();
  console.log(`\n(eval took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
