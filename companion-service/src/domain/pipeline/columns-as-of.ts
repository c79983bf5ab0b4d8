import { NO_DAY, OPEN, WON, type PipelineColumns } from './pipeline-columns.js';
import { NO_STRING } from './string-pool.js';
import { UNKNOWN_STAGE } from './state-as-of.js';
import { dayNumber } from '../hygiene/calendar-days.js';

/**
 * The pipeline as it stood at the end of an as-of date, over columns: the same reading as
 * state-as-of.ts (see the rules there), kept as new opportunity columns for the deals that existed
 * then, each pointing back at its row in the source so the history, engagement and conversations
 * are shared, not copied. Today and a week ago are two of these over one set of columns.
 */

export interface ColumnsAsOf {
  asOf: string;
  asOfDay: number;
  source: PipelineColumns;
  /** How many deals existed at the as-of date. */
  count: number;
  /** The source opportunity row of each deal, in the data's order. */
  row: Int32Array;
  stage: Uint32Array;
  isClosed: Uint8Array;
  isWon: Uint8Array;
  amount: Float64Array;
  probability: Float64Array;
  forecastCategory: Uint32Array;
  closeDay: Int32Array;
  stageEnteredDay: Int32Array;
  lastActivityDay: Int32Array;
  nextStep: Uint32Array;
  nextStepDay: Int32Array;
  openedDay: Int32Array;
  /** Whether its stage then comes from history or an unchanged record. */
  stageKnown: Uint8Array;
  /** Deals left out because nothing dates them and the as-of date is before the export. */
  undatedLeftOut: number;
}

const onOrBefore = (d: number, asOf: number) => (d !== NO_DAY && d <= asOf ? d : NO_DAY);
const nullable = (x: number, keep: number) => (Number.isNaN(x) ? keep : x);

export function columnsAsOf(columns: PipelineColumns, asOf: string): ColumnsAsOf {
  const asOfDay = dayNumber(asOf);
  if (asOfDay === null) throw new Error(`as-of "${asOf}" is not a YYYY-MM-DD date`);
  const o = columns.opportunities;
  const h = columns.history;
  const n = o.count;
  const unknownStage = columns.strings.intern(UNKNOWN_STAGE);
  const out: ColumnsAsOf = {
    asOf,
    asOfDay,
    source: columns,
    count: 0,
    row: new Int32Array(n),
    stage: new Uint32Array(n),
    isClosed: new Uint8Array(n),
    isWon: new Uint8Array(n),
    amount: new Float64Array(n),
    probability: new Float64Array(n),
    forecastCategory: new Uint32Array(n),
    closeDay: new Int32Array(n),
    stageEnteredDay: new Int32Array(n),
    lastActivityDay: new Int32Array(n),
    nextStep: new Uint32Array(n),
    nextStepDay: new Int32Array(n),
    openedDay: new Int32Array(n),
    stageKnown: new Uint8Array(n),
    undatedLeftOut: 0,
  };
  let k = 0;
  for (let i = 0; i < n; i++) {
    const from = h.start[i]!;
    const to = h.start[i + 1]!;
    const created = o.createdDay[i]!;
    const opened = created !== NO_DAY ? created : to > from ? h.day[from]! : NO_DAY;
    if (opened === NO_DAY) {
      if (columns.latestDay !== NO_DAY && asOfDay < columns.latestDay) {
        out.undatedLeftOut++;
        continue;
      }
    } else if (opened > asOfDay) continue;

    // The record as it is, then what the as-of date changes.
    let stage = o.stage[i]!;
    let isClosed = o.isClosed[i]!;
    let isWon = o.isWon[i]!;
    let amount = o.amount[i]!;
    let probability = o.probability[i]!;
    let category = o.forecastCategory[i]!;
    let closeDay = o.closeDay[i]!;
    let entered = o.stageEnteredDay[i]!;
    let activity = o.lastActivityDay[i]!;
    let nextStep = o.nextStep[i]!;
    let nextStepDay = o.nextStepDay[i]!;
    let stageKnown = 0;
    let unknown = false;
    if (to === from) {
      if (isClosed) {
        if (closeDay === NO_DAY) continue;
        if (closeDay <= asOfDay) stageKnown = 1;
        else unknown = true;
      } else {
        entered = onOrBefore(entered, asOfDay);
        activity = onOrBefore(activity, asOfDay);
      }
    } else {
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (h.day[mid]! <= asOfDay) lo = mid + 1;
        else hi = mid;
      }
      const last = lo - 1;
      const at = Math.max(last, from);
      const outcome = h.outcome[at]!;
      if (last < from && outcome !== OPEN) unknown = true;
      else {
        let first = at;
        while (first > from && h.stage[first - 1] === h.stage[at]) first--;
        const unchanged = last === to - 1;
        stage = h.stage[at]!;
        isClosed = outcome === OPEN ? 0 : 1;
        isWon = outcome === WON ? 1 : 0;
        // Nothing recorded since that row: the record wins where the two disagree.
        amount = unchanged ? nullable(amount, h.amount[at]!) : h.amount[at]!;
        probability = unchanged ? nullable(probability, h.probability[at]!) : h.probability[at]!;
        category = unchanged && category !== NO_STRING ? category : h.forecastCategory[at]!;
        closeDay = unchanged && closeDay !== NO_DAY ? closeDay : h.closeDay[at]!;
        entered = last < from ? (created !== NO_DAY ? created : h.day[at]!) : h.day[first]!;
        activity = onOrBefore(activity, asOfDay);
        if (!unchanged) {
          nextStep = NO_STRING;
          nextStepDay = NO_DAY;
        }
        stageKnown = 1;
      }
    }
    if (unknown) {
      stage = unknownStage;
      isClosed = isWon = 0;
      amount = probability = NaN;
      category = NO_STRING;
      closeDay = entered = nextStepDay = NO_DAY;
      nextStep = NO_STRING;
      activity = onOrBefore(activity, asOfDay);
    }
    out.row[k] = i;
    out.stage[k] = stage;
    out.isClosed[k] = isClosed;
    out.isWon[k] = isWon;
    out.amount[k] = amount;
    out.probability[k] = probability;
    out.forecastCategory[k] = category;
    out.closeDay[k] = closeDay;
    out.stageEnteredDay[k] = entered;
    out.lastActivityDay[k] = activity;
    out.nextStep[k] = nextStep;
    out.nextStepDay[k] = nextStepDay;
    out.openedDay[k] = opened;
    out.stageKnown[k] = stageKnown;
    k++;
  }
  out.count = k;
  return out;
}
