import type { PipelineDataset } from '../pipeline/records.js';
import { indexHistory } from '../pipeline/history-index.js';
import {
  stageCalibration,
  type CalibrationReport,
  type StatedStage,
} from '../calibration/stage-calibration.js';
import { snapshotsOf } from './deal-snapshot.js';
import { quarterOutlook, type QuarterOutlook } from './quarter-outlook.js';
import type { ForecastCutoffs } from './forecast-category.js';
import { reliabilityBins, type ReliabilityBin } from './scores.js';
import { buildTrainingSet } from './training-set.js';
import { weekMovement, type WeekMovement } from './week-movement.js';
import { fitWinModel, type Factor, type WinModel } from './win-model.js';
import { pipelineOutlook, type DealOutlook, type PipelineOutlook } from './deal-outlook.js';

/**
 * The whole forecast at an as-of date, from what was known then. Pure: the caller reads the files.
 * This is the forecast over records; the scan and `scribe forecast` run column-forecast.ts, which
 * gives the same report from the pipeline's columns and is tested against this one.
 */

export interface OpportunityForecast extends DealOutlook {
  opportunityId: string;
  name: string | null;
  owner: string | null;
  stage: string;
  amount: number | null;
  /** Chance the deal is won at all, 0..1. */
  probability: number;
  /** Chance it is won inside the quarter window. */
  probabilityInWindow: number;
  factors: Factor[];
  stageKnown: boolean;
}

export interface PipelineForecast extends Pick<PipelineOutlook, 'weekChange' | 'slipModel'> {
  asOf: string;
  model: Omit<WinModel, 'predict' | 'outOfFold'> & { reliability: ReliabilityBin[]; summary: string };
  opportunities: OpportunityForecast[];
  quarter: Omit<QuarterOutlook, 'inWindow' | 'simulatedValues'>;
  simulatedValues: number[];
  movement: WeekMovement;
  calibration: CalibrationReport;
  notes: string[];
}

export interface ForecastOptions {
  /** The Scribe settings' forecast category cut-offs, for the quarter's commit and best case. */
  forecastCutoffs: ForecastCutoffs;
  stageRules?: readonly StatedStage[];
  simulations?: number;
  seed?: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

export function forecastPipeline(
  dataset: PipelineDataset,
  asOf: string,
  options: ForecastOptions,
): PipelineForecast {
  const progress = options.onProgress ?? (() => {});
  progress('snapshots', 0, 4);
  // One index of the history serves the as-of state, the training snapshots and the week's movement.
  const index = indexHistory(dataset);
  const training = buildTrainingSet(dataset, asOf, {}, index);
  progress('model', 1, 4);
  const model = fitWinModel(training);
  const open = snapshotsOf(training.state, training.state.dataset);
  const predictions = open.map((s) => ({ snapshot: s, ...model.predict(s) }));
  progress('quarter', 2, 4);
  const quarter = quarterOutlook(
    asOf,
    predictions.map((p) => ({ snapshot: p.snapshot, probability: p.probability })),
    training,
    training.state.closed,
    model.baseRate,
    options.forecastCutoffs,
    { simulations: options.simulations, seed: options.seed },
  );
  progress('movement', 3, 4);
  const movement = weekMovement(dataset, asOf, index);
  const outlook = pipelineOutlook(dataset, training, model, predictions, index);
  const calibration = stageCalibration(training.state, options.stageRules ?? []);
  progress('done', 4, 4);

  const stageOf = new Map(training.state.open.map((d) => [d.opportunity.id, d]));
  const notes: string[] = [];
  if (training.state.undatedLeftOut > 0) {
    notes.push(
      `${training.state.undatedLeftOut} deals carry no date at all (maven's Prospecting rows) and count only from the export date, ${training.state.latestDate}`,
    );
  }
  const unknownStage = training.state.open.filter((d) => !d.stageKnown).length;
  if (unknownStage > 0) {
    notes.push(
      `${unknownStage} open deals have no stage history: their stage then is unknown or taken from the record as it is now; pass --history for the stage they had`,
    );
  }
  notes.push(...model.notLearned);
  if (quarter.deals > 0 && quarter.dealsWithoutAmount === quarter.deals) {
    notes.push(
      `none of the ${quarter.deals} open deals has an amount, so the quarter's value cannot be forecast (every value is 0); the win counts still stand`,
    );
  }
  // The report carries the model's figures, not its function.
  const { predict, outOfFold, ...summary } = model;
  void predict;
  const { inWindow, simulatedValues, ...quarterSummary } = quarter;
  return {
    asOf,
    model: { ...summary, reliability: reliabilityBins(outOfFold), summary: describeModel(model) },
    opportunities: predictions.map((p) => {
      const deal = stageOf.get(p.snapshot.id)!;
      return {
        opportunityId: p.snapshot.id,
        name: deal.opportunity.name,
        owner: deal.opportunity.owner,
        stage: p.snapshot.stage,
        amount: p.snapshot.amount,
        probability: p.probability,
        probabilityInWindow: inWindow.get(p.snapshot.id) ?? 0,
        factors: p.factors,
        stageKnown: deal.stageKnown,
        ...outlook.deals.get(p.snapshot.id)!,
      };
    }),
    quarter: quarterSummary,
    simulatedValues,
    movement,
    weekChange: outlook.weekChange,
    slipModel: outlook.slipModel,
    calibration,
    notes,
  };
}

/** The model in a sentence, for the report. */
export function describeModel(model: Omit<WinModel, 'predict'>): string {
  const base = `${(model.baseRate * 100).toFixed(1)}% of ${model.closedDeals} deals closed by the as-of date were won`;
  const groups = model.groups
    .filter((g) => g.penalty !== null)
    .map((g) => (g.factor === 'owner' ? 'rep' : g.factor));
  const learned = [
    ...groups,
    ...(model.lambda === null
      ? []
      : [
          `age, time in stage, engagement recency and amount (penalty ${model.lambda}, chosen on later held-out snapshots)`,
        ]),
  ];
  if (learned.length === 0)
    return `${base}; nothing beyond that could be learned, so every open deal gets the base rate.`;
  return `${base}; each deal moves from there by ${learned.join(', ')}, each shrunk toward the base rate as far as its evidence is thin.`;
}
