import { columnsAsOf, type ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { GrowableColumn } from '../pipeline/growable-column.js';
import { NO_DAY, OPEN, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { UNKNOWN_STAGE } from '../pipeline/state-as-of.js';
import { stageOutcomes } from '../pipeline/stage-outcomes.js';
import type { ClosedTable, ExampleTable, SnapshotTable } from './snapshot-table.js';
import type { WindowColumns } from './quarter-outlook.js';
import { WINDOW_DAYS, type TrainingOptions } from './training-set.js';

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
  /** The history as it was known at the as-of date (see {@link knownHistory}). */
  known: KnownHistory;
}

const CLOSED_CATEGORY = { forecastCategory: 'Closed', probability: null };
const orNull = (x: number) => (Number.isNaN(x) ? null : x);

export function columnTrainingSet(
  columns: PipelineColumns,
  asOf: string,
  options: TrainingOptions = {},
  state: ColumnsAsOf = columnsAsOf(columns, asOf),
): ColumnTraining {
  const every = options.snapshotEveryDays ?? 28;
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
  const maturityDays = options.maturityDays ?? defaultMaturity(state, closedDeals, closedDay);
  const examples: ExampleColumns[] = [];
  const windows: WindowBucket[] = [];
  const done = (): ColumnTraining => ({
    asOf,
    state,
    closedDay,
    closed,
    // The dates were visited newest first; the examples run oldest first, the windows as visited.
    examples: ExampleColumns.table(strings, examples.toReversed()),
    windows: windowColumns(windows),
    maturityDays,
    known,
  });
  const known = knownHistory(columns, state);
  if (closed.count === 0) return done();

  const unknownStage = strings.intern(UNKNOWN_STAGE);
  const e = columns.engagement;
  const backs = new Set<number>();
  for (let back = maturityDays; back <= lookback; back += every) backs.add(back);
  for (let back = WINDOW_DAYS; back <= lookback; back += every) backs.add(back);
  const dates = [...backs]
    .sort((a, b) => a - b)
    .map((back) => ({
      at: asOfDay - back,
      labelled: back >= maturityDays && (back - maturityDays) % every === 0,
      windowed: back >= WINDOW_DAYS && (back - WINDOW_DAYS) % every === 0,
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
  for (let k = 0; k < n; k++) {
    const opened = state.openedDay[k]!;
    const i = state.row[k]!;
    const from = h.start[i]!;
    const cut = known.cut[k]!;
    for (let d = 0; d < dates.length; d++) {
      const { at, labelled, windowed } = dates[d]!;
      const windowEnd = at + WINDOW_DAYS;
      if (opened === NO_DAY) {
        if (known.latestDay !== NO_DAY && at < known.latestDay) continue;
      } else if (opened > at) continue;
      let kind: 'record' | 'unknown' | 'history';
      let last = -1;
      let row = -1;
      if (cut === from) {
        if (state.isClosed[k]) {
          const close = state.closeDay[k]!;
          if (close === NO_DAY) continue;
          if (close <= at) {
            existing[d]!++;
            continue;
          }
          kind = 'unknown';
        } else kind = 'record';
      } else {
        let lo = from;
        let hi = cut;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (h.day[known.rowAt(mid)]! <= at) lo = mid + 1;
          else hi = mid;
        }
        last = lo - 1;
        row = known.rowAt(Math.max(last, from));
        if (last < from && known.closes[row]) kind = 'unknown';
        else if (known.closes[row]) {
          existing[d]!++;
          continue;
        } else kind = 'history';
      }
      existing[d]!++;
      const ageDays = opened === NO_DAY ? NaN : at - opened;
      const dealClosed = state.isClosed[k] === 1;
      const closedOn = closedDay[k]!;
      if (windowed) {
        windows[d]!.day.push(at);
        windows[d]!.age.push(ageDays);
        windows[d]!.won.push(dealClosed && state.isWon[k] === 1 && closedOn <= windowEnd ? 1 : 0);
      }
      if (!(labelled && dealClosed && closedOn > at)) continue;

      let stage = state.stage[k]!;
      let amount = state.amount[k]!;
      let entered = onOrBefore(state.stageEnteredDay[k]!, at);
      if (kind === 'unknown') {
        stage = unknownStage;
        amount = NaN;
        entered = NO_DAY;
      } else if (kind === 'history') {
        const unchanged = last === cut - 1;
        stage = h.stage[row]!;
        amount = Number.isNaN(h.amount[row]!) ? (unchanged ? state.amount[k]! : NaN) : h.amount[row]!;
        if (last < from) entered = o.createdDay[i] !== NO_DAY ? o.createdDay[i]! : h.day[row]!;
        else {
          let first = last;
          while (first > from && h.stage[known.rowAt(first - 1)] === stage) first--;
          entered = h.day[known.rowAt(first)]!;
        }
      }
      const event = lastOnOrBefore(e.day, e.start[i]!, e.start[i + 1]!, at);
      const recorded = onOrBefore(state.lastActivityDay[k]!, at);
      const activity =
        event === NO_DAY ? recorded : recorded === NO_DAY || event > recorded ? event : recorded;
      examples[d]!.push(
        at,
        stage,
        o.owner[i]!,
        o.product[i]!,
        ageDays,
        entered === NO_DAY ? NaN : at - entered,
        activity === NO_DAY ? NaN : at - activity,
        amount,
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
  });
  return table;
}

const onOrBefore = (day: number, at: number) => (day !== NO_DAY && day <= at ? day : NO_DAY);

/** The latest of a deal's days (sorted, positions from..to) on or before `at`; NO_DAY for none. */
function lastOnOrBefore(days: Int32Array, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > from ? days[lo - 1]! : NO_DAY;
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

/**
 * The history as it was known at the as-of date: each deal's rows up to it (`cut`), whether each
 * row closed its deal by what the pipeline then said of its stage, and the rows' order, which on a
 * day with open and closing rows puts the closing ones last by that reading. That reading differs
 * from today's only for a stage no deal sat in then whose name does not say it is closed; a deal
 * with such a row has its rows re-ordered, every other deal keeps the columns' order.
 */
export interface KnownHistory {
  /** Each deal's rows known then are its rows from `history.start` up to `cut`. */
  cut: Int32Array;
  /** By history row: 1 when the row closed its deal, by what was known then. */
  closes: Uint8Array;
  latestDay: number;
  /** The row at a position of a deal's rows, in the order known then. */
  rowAt(position: number): number;
}

function knownHistory(columns: PipelineColumns, state: ColumnsAsOf): KnownHistory {
  const { history: h, strings, opportunities: o } = columns;
  const n = state.count;
  const cut = new Int32Array(n);
  let latestDay = NO_DAY;
  const see = (d: number) => {
    if (d !== NO_DAY && d > latestDay) latestDay = d;
  };
  const firstInStage = new Map<number, { stage: string; isClosed: boolean; isWon: boolean }>();
  for (let k = 0; k < n; k++) {
    const i = state.row[k]!;
    const from = h.start[i]!;
    let lo = from;
    let hi = h.start[i + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (h.day[mid]! <= state.asOfDay) lo = mid + 1;
      else hi = mid;
    }
    cut[k] = lo;
    if (lo > from) see(h.day[lo - 1]!);
    see(o.createdDay[i]!);
    see(state.lastActivityDay[k]!);
    if (state.isClosed[k]) see(state.closeDay[k]!);
    const stage = state.stage[k]!;
    if (!firstInStage.has(stage))
      firstInStage.set(stage, {
        stage: strings.value(stage)!,
        isClosed: state.isClosed[k] === 1,
        isWon: state.isWon[k] === 1,
      });
  }
  const outcomeOf = stageOutcomes([...firstInStage.values()]);
  const closes = new Uint8Array(h.day.length);
  const byStage = new Map<number, number>();
  let order: Int32Array | null = null;
  for (let k = 0; k < n; k++) {
    const i = state.row[k]!;
    const from = h.start[i]!;
    let differs = false;
    for (let r = from; r < cut[k]!; r++) {
      const stage = h.stage[r]!;
      let shut = byStage.get(stage);
      if (shut === undefined) {
        const name = strings.value(stage)!;
        const alone = outcomeOf(name);
        if (alone !== 'open' || outcomeOf(name, CLOSED_CATEGORY) === 'open') {
          shut = alone === 'open' ? 0 : 1;
          byStage.set(stage, shut);
        } else {
          const category = strings.value(h.forecastCategory[r]!);
          shut =
            outcomeOf(name, { forecastCategory: category, probability: orNull(h.probability[r]!) }) === 'open'
              ? 0
              : 1;
        }
      }
      closes[r] = shut;
      if (shut !== (h.outcome[r] === OPEN ? 0 : 1)) differs = true;
    }
    if (!differs) continue;
    if (order === null) {
      order = new Int32Array(h.day.length);
      for (let r = 0; r < order.length; r++) order[r] = r;
    }
    // An insertion sort by day, closing rows after open ones, keeping the columns' order otherwise.
    for (let p = from + 1; p < cut[k]!; p++) {
      const r = order[p]!;
      let q = p - 1;
      while (
        q >= from &&
        (h.day[order[q]!]! > h.day[r]! || (h.day[order[q]!] === h.day[r] && closes[order[q]!]! > closes[r]!))
      ) {
        order[q + 1] = order[q]!;
        q--;
      }
      order[q + 1] = r;
    }
  }
  const sorted = order;
  return {
    cut,
    closes,
    latestDay,
    rowAt: sorted === null ? (p: number) => p : (p: number) => sorted[p]!,
  };
}

interface WindowBucket {
  day: GrowableColumn<Int32Array>;
  age: GrowableColumn<Float64Array>;
  won: GrowableColumn<Uint8Array>;
}

/** Concatenates typed arrays of one kind. */
function joined<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(parts: T[], empty: T): T {
  const out = new (empty.constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part as never, at);
    at += part.length;
  }
  return out;
}

function windowColumns(buckets: WindowBucket[]): WindowColumns {
  const day = joined(
    buckets.map((b) => b.day.done()),
    new Int32Array(0),
  );
  return {
    count: day.length,
    day,
    ageDays: joined(
      buckets.map((b) => b.age.done()),
      new Float64Array(0),
    ),
    wonInWindow: joined(
      buckets.map((b) => b.won.done()),
      new Uint8Array(0),
    ),
  };
}

/** One date's labelled snapshots, as they are found. */
class ExampleColumns {
  readonly day = new GrowableColumn(Int32Array);
  readonly stage = new GrowableColumn(Uint32Array);
  readonly owner = new GrowableColumn(Uint32Array);
  readonly product = new GrowableColumn(Uint32Array);
  readonly ageDays = new GrowableColumn(Float64Array);
  readonly daysInStage = new GrowableColumn(Float64Array);
  readonly daysSinceActivity = new GrowableColumn(Float64Array);
  readonly amount = new GrowableColumn(Float64Array);
  readonly won = new GrowableColumn(Uint8Array);
  readonly closedDay = new GrowableColumn(Int32Array);

  push(
    day: number,
    stage: number,
    owner: number,
    product: number,
    ageDays: number,
    daysInStage: number,
    daysSinceActivity: number,
    amount: number,
    won: number,
    closedDay: number,
  ) {
    this.day.push(day);
    this.stage.push(stage);
    this.owner.push(owner);
    this.product.push(product);
    this.ageDays.push(ageDays);
    this.daysInStage.push(daysInStage);
    this.daysSinceActivity.push(daysSinceActivity);
    this.amount.push(amount);
    this.won.push(won);
    this.closedDay.push(closedDay);
  }

  /** The dates' snapshots one after the other, as one table. */
  static table(names: SnapshotTable['names'], dates: ExampleColumns[]): ExampleTable {
    const i32 = (pick: (d: ExampleColumns) => GrowableColumn<Int32Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Int32Array(0),
      );
    const u32 = (pick: (d: ExampleColumns) => GrowableColumn<Uint32Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Uint32Array(0),
      );
    const f64 = (pick: (d: ExampleColumns) => GrowableColumn<Float64Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Float64Array(0),
      );
    const day = i32((d) => d.day);
    return {
      count: day.length,
      names,
      day,
      stage: u32((d) => d.stage),
      owner: u32((d) => d.owner),
      product: u32((d) => d.product),
      ageDays: f64((d) => d.ageDays),
      daysInStage: f64((d) => d.daysInStage),
      daysSinceActivity: f64((d) => d.daysSinceActivity),
      amount: f64((d) => d.amount),
      won: joined(
        dates.map((d) => d.won.done()),
        new Uint8Array(0),
      ),
      closedDay: i32((d) => d.closedDay),
    };
  }
}
