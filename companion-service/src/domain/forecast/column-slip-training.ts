import { GrowableColumn } from '../pipeline/growable-column.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import type { ColumnTraining } from './column-training.js';
import { KnownDeal, OPEN } from './known-deal.js';
import type { SnapshotTable } from './snapshot-table.js';
import type { CommitmentTable, SlipExampleTable, SlipSnapshotTable, SlipTraining } from './slip-table.js';
import { learningShare, LOOKBACK_DAYS, SNAPSHOT_EVERY_DAYS, unitDraw } from './slip-training.js';

/**
 * The slip warning's training set read straight from the pipeline's columns: what slip-training.ts
 * builds from records (see the reasons there), with the same snapshots, commitments and order, as
 * typed columns. Each snapshot date is one pass over the sampled deals (known-deal.ts reads each
 * from what was known at the as-of date); no deal's record is built.
 */

/** A deal's close-date pushes: rows of its known history that moved the close date later. */
export class ClosePushes {
  constructor(
    private readonly columns: PipelineColumns,
    private readonly training: Pick<ColumnTraining, 'state' | 'known'>,
  ) {}

  /**
   * How many times deal `k` of the state had its close date moved later by day `at`: its history
   * rows known at the as-of date in the columns' order (by day), each one with a close date later
   * than the last close date before it (slip-training.ts's pushDatesOf).
   */
  by(k: number, at: number): number {
    const h = this.columns.history;
    const { state, known } = this.training;
    let previous = NO_DAY;
    let pushes = 0;
    for (let r = h.start[state.row[k]!]!; r < known.cut[k]!; r++) {
      const close = h.closeDay[r]!;
      if (close === NO_DAY) continue;
      if (previous !== NO_DAY && close > previous && h.day[r]! <= at) pushes++;
      previous = close;
    }
    return pushes;
  }
}

/** One date's labelled slip snapshots, as they are found. */
class SlipColumns {
  readonly day = new GrowableColumn(Int32Array);
  readonly stage = new GrowableColumn(Uint32Array);
  readonly owner = new GrowableColumn(Uint32Array);
  readonly product = new GrowableColumn(Uint32Array);
  readonly ageDays = new GrowableColumn(Float64Array);
  readonly daysInStage = new GrowableColumn(Float64Array);
  readonly daysSinceActivity = new GrowableColumn(Float64Array);
  readonly amount = new GrowableColumn(Float64Array);
  readonly statedProbability = new GrowableColumn(Float64Array);
  readonly closeDay = new GrowableColumn(Int32Array);
  readonly daysToClose = new GrowableColumn(Float64Array);
  readonly pushes = new GrowableColumn(Float64Array);
  readonly slipped = new GrowableColumn(Uint8Array);
}

/** A (deal, close date) pair as one number: deal ids stay below 2^30, days within ±2^22 (years 0 to 9999). */
const commitmentKey = (deal: number, closeDay: number) => deal * 8_388_608 + (closeDay + 4_194_304);

export function columnSlipTraining(columns: PipelineColumns, training: ColumnTraining): SlipTraining {
  const { state, closedDay } = training;
  const { opportunities: o, ids } = columns;
  const asOfDay = state.asOfDay;
  const share = learningShare(state.count);
  const sampled: number[] = [];
  for (let k = 0; k < state.count; k++)
    if (share >= 1 || unitDraw(ids.value(o.id[state.row[k]!]!)!) < share) sampled.push(k);

  const deal = new KnownDeal(columns, state, training.known);
  const pushes = new ClosePushes(columns, training);
  const commitmentOf = new Map<number, number>();
  const commitment = {
    owner: new GrowableColumn(Uint32Array),
    slipped: new GrowableColumn(Uint8Array),
    dueDay: new GrowableColumn(Int32Array),
  };
  // Newest date first, as slip-training.ts meets the commitments: their order sets the owners' order.
  const dates: SlipColumns[] = [];
  for (let back = SNAPSHOT_EVERY_DAYS; back <= LOOKBACK_DAYS; back += SNAPSHOT_EVERY_DAYS) {
    const at = asOfDay - back;
    const rows = new SlipColumns();
    dates.push(rows);
    for (const k of sampled) {
      if (deal.read(k, at) !== OPEN) continue;
      const closeDay = deal.closeDay();
      if (closeDay === NO_DAY || closeDay < at || closeDay > asOfDay) continue;
      const i = state.row[k]!;
      const slipped = !state.isClosed[k] || closedDay[k]! > closeDay ? 1 : 0;
      const key = commitmentKey(o.id[i]!, closeDay);
      if (!commitmentOf.has(key)) {
        commitmentOf.set(key, commitmentOf.size);
        commitment.owner.push(o.owner[i]!);
        commitment.slipped.push(slipped);
        commitment.dueDay.push(closeDay);
      }
      const opened = state.openedDay[k]!;
      const entered = deal.enteredDay();
      const activity = deal.activityDay();
      rows.day.push(at);
      rows.stage.push(deal.stage());
      rows.owner.push(o.owner[i]!);
      rows.product.push(o.product[i]!);
      rows.ageDays.push(opened === NO_DAY ? NaN : at - opened);
      rows.daysInStage.push(entered === NO_DAY ? NaN : at - entered);
      rows.daysSinceActivity.push(activity === NO_DAY ? NaN : at - activity);
      rows.amount.push(deal.amount());
      rows.statedProbability.push(deal.probability());
      rows.closeDay.push(closeDay);
      rows.daysToClose.push(closeDay - at);
      rows.pushes.push(pushes.by(k, at));
      rows.slipped.push(slipped);
    }
  }
  const commitments: CommitmentTable = {
    count: commitmentOf.size,
    owner: commitment.owner.done(),
    slipped: commitment.slipped.done(),
    dueDay: commitment.dueDay.done(),
  };
  return { asOf: state.asOf, examples: joinOldestFirst(columns.strings, dates), commitments };
}

/** The dates' snapshots, oldest date first (each date's in the deals' order), as one table. */
function joinOldestFirst(names: SnapshotTable['names'], newestFirst: SlipColumns[]): SlipExampleTable {
  const dates = newestFirst.toReversed();
  const join = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(
    pick: (d: SlipColumns) => GrowableColumn<T>,
  ): T => {
    const parts = dates.map((d) => pick(d).done());
    const out = new (parts[0]!.constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part as never, at);
      at += part.length;
    }
    return out;
  };
  const day = join((d) => d.day);
  return {
    count: day.length,
    names,
    day,
    stage: join((d) => d.stage),
    owner: join((d) => d.owner),
    product: join((d) => d.product),
    ageDays: join((d) => d.ageDays),
    daysInStage: join((d) => d.daysInStage),
    daysSinceActivity: join((d) => d.daysSinceActivity),
    amount: join((d) => d.amount),
    statedProbability: join((d) => d.statedProbability),
    closeDay: join((d) => d.closeDay),
    daysToClose: join((d) => d.daysToClose),
    pushes: join((d) => d.pushes),
    slipped: join((d) => d.slipped),
  };
}

/** The open deals' snapshots with the close date each shows at the as-of date and its pushes so far. */
export function openSlipSnapshots(
  open: SnapshotTable & { deal: Int32Array },
  training: Pick<ColumnTraining, 'state'>,
  pushes: ClosePushes,
): SlipSnapshotTable {
  const { state } = training;
  const closeDay = Int32Array.from(open.deal, (k) => state.closeDay[k]!);
  return {
    ...open,
    closeDay,
    daysToClose: Float64Array.from(closeDay, (c) => (c === NO_DAY ? NaN : c - state.asOfDay)),
    pushes: Float64Array.from(open.deal, (k) => pushes.by(k, state.asOfDay)),
  };
}
