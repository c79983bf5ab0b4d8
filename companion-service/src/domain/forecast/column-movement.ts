import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { isoDay } from '../hygiene/calendar-days.js';
import {
  calibrationReport,
  type CalibrationReport,
  type StatedStage,
} from '../calibration/stage-calibration.js';
import type { ColumnTraining } from './column-training.js';
import type { MovedDeal, MovementKind, WeekMovement } from './week-movement.js';

/**
 * The week's movement and the stage calibration over columns: week-movement.ts and
 * stage-calibration.ts read from the pipeline's columns, with the same buckets, order and figures.
 */

const date = (day: number) => (day === NO_DAY ? null : isoDay(day));
const value = (x: number) => (Number.isNaN(x) ? null : x);

/**
 * What moved between `weekAgo` and `today` (as-of minus 7 and the as-of date): the closed deals in
 * the order they closed (`closedDeals`, positions in `today`, with `closedDay`), then the open ones.
 */
export function columnWeekMovement(
  columns: PipelineColumns,
  today: ColumnsAsOf,
  weekAgo: ColumnsAsOf,
  closedDeals: Int32Array,
  closedDay: Int32Array,
): WeekMovement {
  const { opportunities: o, ids, strings } = columns;
  const before = new Int32Array(o.count).fill(-1);
  for (let k = 0; k < weekAgo.count; k++) if (!weekAgo.isClosed[k]) before[weekAgo.row[k]!] = k;
  const deals: MovedDeal[] = [];
  const move = (kind: MovementKind, i: number, amount: number, b: number, a: number) =>
    deals.push({
      id: ids.value(o.id[i]!)!,
      name: strings.value(o.name[i]!),
      kind,
      amount: value(amount),
      closeDateBefore: date(b),
      closeDateAfter: date(a),
    });

  for (const k of closedDeals) {
    const i = today.row[k]!;
    const was = before[i]!;
    if (was < 0) continue;
    const amount = Number.isNaN(today.amount[k]!) ? weekAgo.amount[was]! : today.amount[k]!;
    move(today.isWon[k] ? 'won' : 'lost', i, amount, weekAgo.closeDay[was]!, closedDay[k]!);
  }
  for (let k = 0; k < today.count; k++) {
    if (today.isClosed[k]) continue;
    const i = today.row[k]!;
    const was = before[i]!;
    const now = today.closeDay[k]!;
    if (was < 0) {
      move('new', i, today.amount[k]!, NO_DAY, now);
      continue;
    }
    const then = weekAgo.closeDay[was]!;
    if (then !== NO_DAY && then <= today.asOfDay) move('slipped', i, today.amount[k]!, then, now);
    else if (then !== NO_DAY && now !== NO_DAY && now !== then)
      move(now > then ? 'pushed' : 'pulled in', i, today.amount[k]!, then, now);
  }
  const kinds: MovementKind[] = ['new', 'won', 'lost', 'slipped', 'pushed', 'pulled in'];
  const counts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<MovementKind, number>;
  const amounts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<MovementKind, number>;
  for (const d of deals) {
    counts[d.kind]++;
    amounts[d.kind] += d.amount ?? 0;
  }
  return { from: weekAgo.asOf, to: today.asOf, counts, amounts, deals };
}

/**
 * The stage calibration from the history known at the as-of date: each deal's rows up to it, in
 * the columns' order, read open or closed as the pipeline then said.
 */
export function columnStageCalibration(
  columns: PipelineColumns,
  training: ColumnTraining,
  stated: readonly StatedStage[],
): CalibrationReport {
  const { history: h, strings } = columns;
  const { state, known } = training;
  // Stages by a small number, found through one array over the pool rather than a map per row.
  const slotOf = new Int32Array(strings.size).fill(-1);
  const stageOf: number[] = [];
  /** Per stage: the closed deals that reached it (the report counts outcomes, so only those), the probabilities recorded. */
  const reached: Set<number>[] = [];
  const recorded: Map<number, number>[] = [];
  const lastDeal: number[] = [];
  const closed = new Map<number, boolean>();
  let dealsWithHistory = 0;
  for (let k = 0; k < state.count; k++) {
    const dealClosed = state.isClosed[k] === 1;
    if (dealClosed) closed.set(k, state.isWon[k] === 1);
    const from = h.start[state.row[k]!]!;
    const to = known.cut[k]!;
    if (to > from) dealsWithHistory++;
    for (let r = from; r < to; r++) {
      if (known.closes[r]) continue;
      const stage = h.stage[r]!;
      let slot = slotOf[stage]!;
      if (slot < 0) {
        slotOf[stage] = slot = stageOf.length;
        stageOf.push(stage);
        reached.push(new Set());
        recorded.push(new Map());
        lastDeal.push(-1);
      }
      if (dealClosed && lastDeal[slot] !== k) {
        lastDeal[slot] = k;
        reached[slot]!.add(k);
      }
      const probability = h.probability[r]!;
      if (!Number.isNaN(probability)) {
        const counts = recorded[slot]!;
        counts.set(probability, (counts.get(probability) ?? 0) + 1);
      }
    }
  }
  const byName = <T>(values: T[]) =>
    new Map(stageOf.map((stage, slot) => [strings.value(stage)!, values[slot]!]));
  const recordedByName = new Map(
    stageOf.flatMap((stage, slot) =>
      recorded[slot]!.size > 0 ? [[strings.value(stage)!, recorded[slot]!] as const] : [],
    ),
  );
  return calibrationReport(
    {
      asOf: state.asOf,
      reached: byName(reached),
      recorded: recordedByName,
      closed,
      closedDeals: training.closed.count,
      dealsWithHistory,
    },
    stated,
  );
}
