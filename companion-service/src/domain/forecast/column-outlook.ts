import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { isoDay } from '../hygiene/calendar-days.js';
import { columnSlipTraining, ClosePushes, openSlipSnapshots } from './column-slip-training.js';
import { openSnapshots, type ColumnTraining } from './column-training.js';
import type { RecordedDeal } from './deal-history.js';
import { explainDeal, explanationReferenceOf } from './deal-explanation.js';
import type { DealOutlook, PipelineOutlook } from './deal-outlook.js';
import { recordedMovement, type RecordedMovement } from './recorded-movement.js';
import { reliabilityBins } from './scores.js';
import { fitSlipModelOn } from './slip-model.js';
import type { SnapshotTable } from './snapshot-table.js';
import type { WinModel, WinPrediction } from './win-model.js';

/**
 * deal-outlook.ts over columns: each open deal's drivers and slip chance, and the week's change in
 * the weighted forecast, from the training tables and the as-of states, figure for figure what the
 * record forecast gives. The slip warning learns from column snapshots (column-slip-training.ts);
 * only the deals that moved in or out of the open pipeline, or stayed in it, become records, which
 * recorded-movement.ts then reads as it reads the scan's recorded history.
 */

const value = (x: number) => (Number.isNaN(x) ? null : x);
const date = (day: number) => (day === NO_DAY ? null : isoDay(day));

export interface ColumnOutlook extends Omit<PipelineOutlook, 'deals'> {
  /** By open deal, in the order of the open snapshots. */
  deals: DealOutlook[];
}

export function columnOutlook(
  columns: PipelineColumns,
  training: ColumnTraining,
  model: Pick<WinModel, 'baseRate' | 'closedDeals' | 'predict'>,
  open: SnapshotTable & { deal: Int32Array },
  predictions: readonly WinPrediction[],
  weekAgo: ColumnsAsOf,
): ColumnOutlook {
  const slipModel = fitSlipModelOn(columnSlipTraining(columns, training));
  const slips = openSlipSnapshots(open, training, new ClosePushes(columns, training));
  const reference = explanationReferenceOf(training.examples, training.closed, model.baseRate);
  const { names } = open;
  const deals = predictions.map((p, r): DealOutlook => {
    const { probability, reason } = slipModel.predict(slips, r);
    return {
      drivers:
        p.factors.length === 0
          ? []
          : explainDeal(
              {
                stage: names.value(open.stage[r]!)!,
                ageDays: value(open.ageDays[r]!),
                daysInStage: value(open.daysInStage[r]!),
                daysSinceActivity: value(open.daysSinceActivity[r]!),
                amount: value(open.amount[r]!),
                owner: names.value(open.owner[r]!),
                product: names.value(open.product[r]!),
              },
              p.probability,
              p.factors,
              reference,
            ),
      closeDate: date(slips.closeDay[r]!),
      slip: { probability, reason },
    };
  });
  // While no deal has closed the model's 50% is a prior: the stage probability weighs the deal instead.
  const learned = model.closedDeals > 0;
  const weekChange = columnWeekChange(
    columns,
    training,
    weekAgo,
    Float64Array.from(predictions, (p) => (learned ? p.probability : NaN)),
    learned ? model : null,
  );
  const { predict, outOfFold, ...summary } = slipModel;
  void predict;
  return { deals, weekChange, slipModel: { ...summary, reliability: reliabilityBins(outOfFold) } };
}

const percent = (p: number) => (Number.isNaN(p) ? null : Math.round(p * 10_000) / 100);

/**
 * forecast-movement.ts's week over the as-of states: every deal open at either end, with its
 * record at the other end, as the deal histories the scan records. The deals closed (or absent) at
 * both ends change neither total nor any bucket, so they are not made into records at all. Each
 * side's deals go in as forecast-movement.ts puts them (the open ones in the data's order, then the
 * closed ones by close date), so ties in the moves' order fall the same way.
 */
function columnWeekChange(
  columns: PipelineColumns,
  training: ColumnTraining,
  weekAgo: ColumnsAsOf,
  probabilityToday: Float64Array,
  model: Pick<WinModel, 'predict'> | null,
): RecordedMovement {
  const { opportunities: o, ids, strings, history: h } = columns;
  const today = training.state;
  const recorded = (s: ColumnsAsOf, k: number, closedOn: number, probability: number): RecordedDeal => {
    const i = s.row[k]!;
    const closed = s.isClosed[k] === 1;
    return {
      opportunityId: ids.value(o.id[i]!)!,
      name: strings.value(o.name[i]!),
      riskScore: null,
      modelProbability: percent(probability),
      suggestedCategory: null,
      stage: strings.value(s.stage[k]!)!,
      stageProbability: value(s.probability[k]!),
      amount: value(s.amount[k]!),
      closeDate: date(closed ? closedOn : s.closeDay[k]!),
      forecastCategory: strings.value(s.forecastCategory[k]!),
      isClosed: closed,
      isWon: closed && s.isWon[k] === 1,
    };
  };
  const openToday = new Int32Array(o.count).fill(-1);
  const openBefore = new Int32Array(o.count).fill(-1);
  for (let k = 0; k < today.count; k++) if (!today.isClosed[k]) openToday[today.row[k]!] = k;
  for (let k = 0; k < weekAgo.count; k++) if (!weekAgo.isClosed[k]) openBefore[weekAgo.row[k]!] = k;

  const before = new Map<string, RecordedDeal>();
  const earlier = openSnapshots(columns, weekAgo);
  for (let r = 0; r < earlier.count; r++) {
    const k = earlier.deal[r]!;
    const probability = model === null ? NaN : model.predict(earlier, r).probability;
    const deal = recorded(weekAgo, k, NO_DAY, probability);
    before.set(deal.opportunityId, deal);
  }
  // Closed a week ago and open now: reopened. Their close is their last stage's start (or the record's).
  const reopened: { k: number; closedOn: number }[] = [];
  for (let k = 0; k < weekAgo.count; k++) {
    const i = weekAgo.row[k]!;
    if (!weekAgo.isClosed[k] || openToday[i]! < 0) continue;
    const closedOn = h.start[i] === h.start[i + 1] ? weekAgo.closeDay[k]! : weekAgo.stageEnteredDay[k]!;
    reopened.push({ k, closedOn });
  }
  reopened.sort((a, b) => a.closedOn - b.closedOn || a.k - b.k);
  for (const { k, closedOn } of reopened) {
    const deal = recorded(weekAgo, k, closedOn, NaN);
    before.set(deal.opportunityId, deal);
  }

  const after = new Map<string, RecordedDeal>();
  let r = 0;
  for (let k = 0; k < today.count; k++) {
    if (today.isClosed[k]) continue;
    const deal = recorded(today, k, NO_DAY, probabilityToday[r++]!);
    after.set(deal.opportunityId, deal);
  }
  for (const k of training.closed.deal) {
    if (openBefore[today.row[k]!]! < 0) continue;
    const deal = recorded(today, k, training.closedDay[k]!, NaN);
    after.set(deal.opportunityId, deal);
  }
  return recordedMovement(before, after, { from: weekAgo.asOf, to: today.asOf });
}
