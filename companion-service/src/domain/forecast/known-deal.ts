import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_DAY, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { UNKNOWN_STAGE } from '../pipeline/state-as-of.js';
import type { KnownHistory } from './known-history.js';

/** What {@link KnownDeal.read} finds: the deal did not exist yet (or is undated), had closed, or was open. */
export const ABSENT = 0;
export const CLOSED = 1;
export const OPEN = 2;

/** How an open deal's fields are read then: from its record, unknown, or from a history row. */
const RECORD = 0;
const UNKNOWN = 1;
const HISTORY = 2;

const onOrBefore = (day: number, at: number) => (day !== NO_DAY && day <= at ? day : NO_DAY);

/**
 * A deal at an earlier day, read from what was known at the as-of date (state-as-of.ts's rule, as
 * deal-snapshot.ts's forEachOpenAt applies it to the state's own records): the pipeline at the
 * as-of date, then the deal's history rows known then, by a binary search. `read` says whether the
 * deal was open; the fields of an open deal are worked out only when asked for, since most of a
 * training date's open deals need no more than their age. One reader is reused for every deal and
 * day, so a pass builds nothing per deal.
 */
export class KnownDeal {
  private readonly unknownStage: number;
  private k = 0;
  private i = 0;
  private at = 0;
  private from = 0;
  private cut = 0;
  private kind = RECORD;
  private last = -1;
  private row = -1;

  constructor(
    private readonly columns: PipelineColumns,
    private readonly state: ColumnsAsOf,
    private readonly known: KnownHistory,
  ) {
    this.unknownStage = columns.strings.intern(UNKNOWN_STAGE);
  }

  /** Reads deal `k` of the state (its position there) at day `at`: ABSENT, CLOSED or OPEN. */
  read(k: number, at: number): number {
    const { state, known } = this;
    const h = this.columns.history;
    const opened = state.openedDay[k]!;
    if (opened === NO_DAY) {
      if (known.latestDay !== NO_DAY && at < known.latestDay) return ABSENT;
    } else if (opened > at) return ABSENT;
    const i = state.row[k]!;
    const from = h.start[i]!;
    const cut = known.cut[k]!;
    this.k = k;
    this.i = i;
    this.at = at;
    this.from = from;
    this.cut = cut;
    this.last = -1;
    this.row = -1;
    if (cut === from) {
      if (!state.isClosed[k]) {
        this.kind = RECORD;
        return OPEN;
      }
      const close = state.closeDay[k]!;
      if (close === NO_DAY) return ABSENT;
      if (close <= at) return CLOSED;
      this.kind = UNKNOWN;
      return OPEN;
    }
    let lo = from;
    let hi = cut;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (h.day[known.rowAt(mid)]! <= at) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1;
    const row = known.rowAt(Math.max(last, from));
    this.last = last;
    this.row = row;
    // First recorded as closed, after that day: open then, in a stage nobody wrote down.
    if (last < from && known.closes[row]) {
      this.kind = UNKNOWN;
      return OPEN;
    }
    if (known.closes[row]) return CLOSED;
    this.kind = HISTORY;
    return OPEN;
  }

  /** Whether nothing was recorded between the row read and the as-of date: the record then stands. */
  private get unchanged() {
    return this.last === this.cut - 1;
  }

  /** The open deal's stage then (an id in the columns' strings). */
  stage(): number {
    if (this.kind === UNKNOWN) return this.unknownStage;
    if (this.kind === HISTORY) return this.columns.history.stage[this.row]!;
    return this.state.stage[this.k]!;
  }

  /** Its amount then; NaN for none. */
  amount(): number {
    if (this.kind === UNKNOWN) return NaN;
    const own = this.state.amount[this.k]!;
    if (this.kind === RECORD) return own;
    const then = this.columns.history.amount[this.row]!;
    return Number.isNaN(then) ? (this.unchanged ? own : NaN) : then;
  }

  /** The stage's stated probability on its record then, 0..100; NaN for none. */
  probability(): number {
    if (this.kind === UNKNOWN) return NaN;
    const own = this.state.probability[this.k]!;
    if (this.kind === RECORD) return own;
    const then = this.columns.history.probability[this.row]!;
    return Number.isNaN(then) ? (this.unchanged ? own : NaN) : then;
  }

  /** The close date it showed then, as a day; NO_DAY for none. */
  closeDay(): number {
    if (this.kind === UNKNOWN) return NO_DAY;
    const own = this.state.closeDay[this.k]!;
    if (this.kind === RECORD) return own;
    const then = this.columns.history.closeDay[this.row]!;
    return then !== NO_DAY ? then : this.unchanged ? own : NO_DAY;
  }

  /** The day it entered its stage then; NO_DAY when unknown. */
  enteredDay(): number {
    if (this.kind === UNKNOWN) return NO_DAY;
    if (this.kind === RECORD) return onOrBefore(this.state.stageEnteredDay[this.k]!, this.at);
    const { history: h, opportunities: o } = this.columns;
    const { known, last, from } = this;
    if (last < from) return o.createdDay[this.i] !== NO_DAY ? o.createdDay[this.i]! : h.day[this.row]!;
    const stage = h.stage[this.row]!;
    let first = last;
    while (first > from && h.stage[known.rowAt(first - 1)] === stage) first--;
    return h.day[known.rowAt(first)]!;
  }

  /** The day of its last activity by then, from its events and its record; NO_DAY for none. */
  activityDay(): number {
    const e = this.columns.engagement;
    const event = lastOnOrBefore(e.day, e.start[this.i]!, e.start[this.i + 1]!, this.at);
    const recorded = onOrBefore(this.state.lastActivityDay[this.k]!, this.at);
    return event === NO_DAY ? recorded : recorded === NO_DAY || event > recorded ? event : recorded;
  }
}

/** The latest of a deal's days (sorted, positions from..to) on or before `at`; NO_DAY for none. */
export function lastOnOrBefore(days: Int32Array, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > from ? days[lo - 1]! : NO_DAY;
}
