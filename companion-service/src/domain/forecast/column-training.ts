import { columnsAsOf, type ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { GrowableColumn } from '../pipeline/growable-column.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { knownHistory, type KnownHistory } from './known-history.js';
import { ABSENT, CLOSED, KnownDeal, lastOnOrBefore } from './known-deal.js';
import { ExampleColumns, windowColumns, type WindowBucket } from './snapshot-buckets.js';
import type { ClosedTable, ExampleTable, SnapshotTable } from './snapshot-table.js';
import type { WindowColumns } from './quarter-outlook.js';
import { snapshotSpacing, WINDOW_DAYS, WINDOW_EVERY_DAYS, type TrainingOptions } from './training-set.js';

/**
 * The forecast's training set read straight from the pipeline's columns: what training-set.ts
 * builds from records (see the reasons there), with the same snapshots in the same order, as typed
 * columns. The rule for "what was known then" is the records' own, applied twice: the pipeline at
 * the as-of date (columns-as-of.ts), then each earlier snapshot date read from that, so history
 * recorded after the as-of date never reaches a snapshot. A snapshot date costs one pass over the
 * deals with a binary search in each deal's rows; no deal's record is built.
 */

export interface ColumnTraining {
  asOf: string;
  /** The pipeline at the as-of date. */
  state: ColumnsAsOf;
  /** The day each deal of the state closed on (NO_DAY while open). */
  closedDay: Int32Array;
  /** Closed by the as-of date, oldest close first; `deal` is each one's position in the state. */
  closed: ClosedTable & { deal: Int32Array };
  examples: ExampleTable;
  windows: WindowColumns;
  maturityDays: number;
  /** The history as it was known at the as-of date (known-history.ts). */
  known: KnownHistory;
}

export function columnTrainingSet(
  columns: PipelineColumns,
  asOf: string,
  options: TrainingOptions = {},
  state: ColumnsAsOf = columnsAsOf(columns, asOf),
): ColumnTraining {
  const lookback = options.lookbackDays ?? 364;
  const { opportunities: o, history: h, strings } = columns;
  const asOfDay = state.asOfDay;
  const n = state.count;

  const closedDay = new Int32Array(n).fill(NO_DAY);
  const closedDeals: number[] = [];
  for (let k = 0; k < n; k++) {
    if (!state.isClosed[k]) continue;
    const i = state.row[k]!;
    // A deal closed with no history closed on its record's close date, else when its last stage began.
    closedDay[k] = h.start[i] === h.start[i + 1] ? state.closeDay[k]! : state.stageEnteredDay[k]!;
    closedDeals.push(k);
  }
  closedDeals.sort((a, b) => closedDay[a]! - closedDay[b]! || a - b);
  const closed = {
    count: closedDeals.length,
    deal: Int32Array.from(closedDeals),
    owner: Uint32Array.from(closedDeals, (k) => o.owner[state.row[k]!]!),
    product: Uint32Array.from(closedDeals, (k) => o.product[state.row[k]!]!),
    won: Uint8Array.from(closedDeals, (k) => state.isWon[k]!),
    closedDay: Int32Array.from(closedDeals, (k) => closedDay[k]!),
  };
  let firstOpened = NO_DAY;
  for (let k = 0; k < n; k++) {
    const opened = state.openedDay[k]!;
    if (opened !== NO_DAY && (firstOpened === NO_DAY || opened < firstOpened)) firstOpened = opened;
  }
  const historyDays = firstOpened === NO_DAY ? 0 : asOfDay - firstOpened;
  const every = options.snapshotEveryDays ?? snapshotSpacing(closedDeals.length, historyDays);
  const maturityDays = options.maturityDays ?? defaultMaturity(state, closedDeals, closedDay);
  const examples: ExampleColumns[] = [];
  const windows: WindowBucket[] = [];
  const done = (): ColumnTraining => ({
    asOf,
    state,
    closedDay,
    closed,
    // The dates were visited newest first; the examples run oldest first, the windows as visited.
    examples: ExampleColumns.table(strings, columns.ids.size, examples.toReversed()),
    windows: windowColumns(windows),
    maturityDays,
    known,
  });
  const known = knownHistory(columns, state);
  if (closed.count === 0) return done();

  const backs = new Set<number>();
  for (let back = maturityDays; back <= lookback; back += every) backs.add(back);
  for (let back = WINDOW_DAYS; back <= lookback; back += WINDOW_EVERY_DAYS) backs.add(back);
  const dates = [...backs]
    .sort((a, b) => a - b)
    .map((back) => ({
      at: asOfDay - back,
      labelled: back >= maturityDays && (back - maturityDays) % every === 0,
      windowed: back >= WINDOW_DAYS && (back - WINDOW_DAYS) % WINDOW_EVERY_DAYS === 0,
    }));
  const existing = new Int32Array(dates.length);
  for (let d = 0; d < dates.length; d++) {
    examples.push(new ExampleColumns());
    windows.push({
      day: new GrowableColumn(Int32Array),
      age: new GrowableColumn(Float64Array),
      won: new GrowableColumn(Uint8Array),
    });
  }
  // Deal by deal, every date in turn: a deal's rows are read once for all its dates, not once per
  // date across the whole history (at a million deals, that is most of the cost in cache misses).
  const deal = new KnownDeal(columns, state, known);
  for (let k = 0; k < n; k++) {
    const opened = state.openedDay[k]!;
    const i = state.row[k]!;
    const dealClosed = state.isClosed[k] === 1;
    const closedOn = closedDay[k]!;
    for (let d = 0; d < dates.length; d++) {
      const { at, labelled, windowed } = dates[d]!;
      const status = deal.read(k, at);
      if (status === ABSENT) continue;
      existing[d]!++;
      if (status === CLOSED) continue;
      const ageDays = opened === NO_DAY ? NaN : at - opened;
      if (windowed) {
        windows[d]!.day.push(at);
        windows[d]!.age.push(ageDays);
        windows[d]!.won.push(dealClosed && state.isWon[k] === 1 && closedOn <= at + WINDOW_DAYS ? 1 : 0);
      }
      if (!(labelled && dealClosed && closedOn > at)) continue;
      const entered = deal.enteredDay();
      const activity = deal.activityDay();
      examples[d]!.push(
        at,
        o.id[i]!,
        deal.stage(),
        o.owner[i]!,
        o.product[i]!,
        ageDays,
        entered === NO_DAY ? NaN : at - entered,
        activity === NO_DAY ? NaN : at - activity,
        deal.amount(),
        deal.probability(),
        state.isWon[k]!,
        closedOn,
      );
    }
  }
  // Nothing existed at a date, so nothing earlier existed either: the older dates are left out.
  const kept = existing.indexOf(0);
  if (kept >= 0) {
    examples.length = kept + 1;
    windows.length = kept + 1;
  }
  return done();
}

/** The deals open at the as-of date as snapshots then; `deal` is each one's position in the state. */
export function openSnapshots(
  columns: PipelineColumns,
  state: ColumnsAsOf,
): SnapshotTable & { deal: Int32Array } {
  const o = columns.opportunities;
  const e = columns.engagement;
  const at = state.asOfDay;
  const deals: number[] = [];
  for (let k = 0; k < state.count; k++) if (!state.isClosed[k]) deals.push(k);
  const m = deals.length;
  const table = {
    count: m,
    deal: Int32Array.from(deals),
    names: columns.strings,
    day: new Int32Array(m).fill(at),
    stage: new Uint32Array(m),
    owner: new Uint32Array(m),
    product: new Uint32Array(m),
    ageDays: new Float64Array(m),
    daysInStage: new Float64Array(m),
    daysSinceActivity: new Float64Array(m),
    amount: new Float64Array(m),
    statedProbability: new Float64Array(m),
  };
  deals.forEach((k, r) => {
    const i = state.row[k]!;
    const opened = state.openedDay[k]!;
    const entered = state.stageEnteredDay[k]!;
    const event = lastOnOrBefore(e.day, e.start[i]!, e.start[i + 1]!, at);
    const recorded = state.lastActivityDay[k]!;
    const activity = event === NO_DAY ? recorded : recorded === NO_DAY || event > recorded ? event : recorded;
    table.stage[r] = state.stage[k]!;
    table.owner[r] = o.owner[i]!;
    table.product[r] = o.product[i]!;
    table.ageDays[r] = opened === NO_DAY ? NaN : at - opened;
    table.daysInStage[r] = entered === NO_DAY ? NaN : at - entered;
    table.daysSinceActivity[r] = activity === NO_DAY ? NaN : at - activity;
    table.amount[r] = state.amount[k]!;
    table.statedProbability[r] = state.probability[k]!;
  });
  return table;
}

/** The time by which four in five closed deals had closed, at least 28 days (training-set.ts). */
function defaultMaturity(state: ColumnsAsOf, closedDeals: number[], closedDay: Int32Array): number {
  const durations: number[] = [];
  for (const k of closedDeals)
    if (state.openedDay[k] !== NO_DAY) durations.push(closedDay[k]! - state.openedDay[k]!);
  durations.sort((a, b) => a - b);
  const p80 = durations[Math.floor(durations.length * 0.8)] ?? 0;
  return Math.max(28, p80);
}
