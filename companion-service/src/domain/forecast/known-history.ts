import type { ColumnsAsOf } from '../pipeline/columns-as-of.js';
import { NO_DAY, OPEN, type PipelineColumns } from '../pipeline/pipeline-columns.js';
import { stageOutcomes } from '../pipeline/stage-outcomes.js';

const CLOSED_CATEGORY = { forecastCategory: 'Closed', probability: null };
const orNull = (x: number) => (Number.isNaN(x) ? null : x);

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

export function knownHistory(columns: PipelineColumns, state: ColumnsAsOf): KnownHistory {
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
