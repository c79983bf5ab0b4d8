import { columnsAsOf, type ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { addDays, isoDay } from '../hygiene/calendar-days.js';
import { columnTrainingSet, openSnapshots } from './column-training.js';
import { columnStageCalibration, columnWeekMovement } from './column-movement.js';
import { columnOutlook } from './column-outlook.js';
import { describeModel, type ForecastOptions, type PipelineForecast } from './forecast-pipeline.js';
import { quarterOutlookOf } from './quarter-outlook.js';
import { reliabilityBins } from './scores.js';
import { fitWinModelOn } from './win-model.js';

/**
 * The whole forecast over the pipeline's columns: forecast-pipeline.ts's report, figure for figure.
 * Every step is a pass over typed arrays: the training snapshots are tables read from the columns,
 * the win model and the slip warning learn from those tables by the same code the record forecast
 * feeds its own snapshots through (made tables), and the quarter, the week's movement and the stage
 * calibration loop over the as-of states. No deal's record is built; only the report's own rows are.
 */

export interface ColumnForecastOptions extends ForecastOptions {
  /** The pipeline at the as-of date and a week before, when the caller has read them already. */
  today?: ColumnsAsOf;
  weekAgo?: ColumnsAsOf;
}

export function forecastColumns(
  columns: PipelineColumns,
  asOf: string,
  options: ColumnForecastOptions,
): PipelineForecast {
  const progress = options.onProgress ?? (() => {});
  progress('snapshots', 0, 4);
  const today = options.today ?? columnsAsOf(columns, asOf);
  if (today.asOf !== asOf) throw new Error(`the state given is as of ${today.asOf}, not ${asOf}`);
  const training = columnTrainingSet(columns, asOf, {}, today);
  progress('model', 1, 4);
  const model = fitWinModelOn(training);
  const open = openSnapshots(columns, today);
  const predictions = Array.from({ length: open.count }, (_, r) => model.predict(open, r));
  const { opportunities: o, ids, strings } = columns;
  const idOf = (r: number) => ids.value(o.id[today.row[open.deal[r]!]!]!)!;
  const probability = Float64Array.from(predictions, (p) => p.probability);
  progress('quarter', 2, 4);
  const quarter = quarterOutlookOf(
    asOf,
    { count: open.count, ageDays: open.ageDays, amount: open.amount, probability },
    training.windows,
    training.closed,
    model.baseRate,
    options.forecastCutoffs,
    { simulations: options.simulations, seed: options.seed },
  );
  progress('movement', 3, 4);
  const weekAgoDate = addDays(asOf, -7);
  const weekAgo = options.weekAgo ?? columnsAsOf(columns, weekAgoDate);
  if (weekAgo.asOf !== weekAgoDate)
    throw new Error(`the week-ago state given is as of ${weekAgo.asOf}, not ${weekAgoDate}`);
  const movement = columnWeekMovement(columns, today, weekAgo, training.closed.deal, training.closedDay);
  const outlook = columnOutlook(columns, training, model, open, predictions, weekAgo);
  const calibration = columnStageCalibration(columns, training, options.stageRules ?? []);
  progress('done', 4, 4);

  const notes: string[] = [];
  if (today.undatedLeftOut > 0) {
    const latest = columns.latestDay === NO_DAY ? null : isoDay(columns.latestDay);
    notes.push(
      `${today.undatedLeftOut} deals carry no date at all (maven's Prospecting rows) and count only from the export date, ${latest}`,
    );
  }
  let unknownStage = 0;
  for (let r = 0; r < open.count; r++) if (!today.stageKnown[open.deal[r]!]) unknownStage++;
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
  const { predict, outOfFold, ...summary } = model;
  void predict;
  const { inWindow, simulatedValues, ...quarterSummary } = quarter;
  return {
    asOf,
    model: { ...summary, reliability: reliabilityBins(outOfFold), summary: describeModel(model) },
    opportunities: Array.from({ length: open.count }, (_, r) => {
      const p = predictions[r]!;
      const k = open.deal[r]!;
      const i = today.row[k]!;
      const amount = today.amount[k]!;
      return {
        opportunityId: idOf(r),
        name: strings.value(o.name[i]!),
        owner: strings.value(o.owner[i]!),
        stage: strings.value(today.stage[k]!)!,
        amount: Number.isNaN(amount) ? null : amount,
        probability: p.probability,
        probabilityInWindow: inWindow[r]!,
        factors: p.factors,
        stageKnown: today.stageKnown[k] === 1,
        ...outlook.deals[r]!,
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
