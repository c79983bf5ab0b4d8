import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from './records.js';
import {
  dealRowsFrom,
  dealRowsTo,
  indexHistory,
  lastRowOnOrBefore,
  rowAt,
  type HistoryIndex,
} from './history-index.js';

/**
 * The pipeline as it stood at the end of an as-of date, from what had happened by then and nothing
 * after: this is where a time-split forecast is kept from seeing the future.
 *
 * - A deal exists from its created date (maven: engage_date), or else its first history row.
 * - Its stage, amount, close date and probability at the as-of date come from its last history row
 *   dated on or before it. On one day, a closing row counts after the open ones, since exports drop
 *   the time of day and a deal that closed that day ended it closed.
 * - With no history at all, a deal closed now was open at the as-of date if it closed after it; what
 *   it looked like then is unknown (stage "Unknown", no amount, no close date), because its closed
 *   record shows only the outcome. A deal open now is taken as it is now, minus anything dated after
 *   the as-of date: without history that is the best there is, and the report says so.
 * - A deal with no date at all (maven's Prospecting rows have neither engage nor close date) is known
 *   only as of the export, so it counts at as-of dates on or after the latest date in the data.
 *
 * The history is indexed once (history-index.ts) and every as-of date is read from that index by
 * a binary search per deal, so today, a week ago and each of the forecast's training dates cost one
 * pass over the deals each, not a regrouping and a copy of the whole dataset.
 */

export interface ClosedDeal {
  /** The deal as it closed. */
  opportunity: PipelineOpportunity;
  openedOn: string | null;
  closedOn: string;
  won: boolean;
}

export interface OpenDeal {
  /** The deal as it stood at the as-of date (isClosed false). */
  opportunity: PipelineOpportunity;
  openedOn: string | null;
  /** True when its stage and amount at the as-of date come from history or an unchanged record. */
  stageKnown: boolean;
}

export interface PipelineState {
  asOf: string;
  open: OpenDeal[];
  /** Deals closed on or before the as-of date, oldest first. */
  closed: ClosedDeal[];
  /** What was known at the as-of date, in the shape every engine reads. */
  dataset: PipelineDataset;
  /** Deals left out because nothing dates them and the as-of date is before the export. */
  undatedLeftOut: number;
  /** The latest date anywhere in the data: roughly when it was exported. */
  latestDate: string | null;
}

export const UNKNOWN_STAGE = 'Unknown';

/**
 * Where one opportunity stood at a date, read from the index without building anything: `row` is
 * the history row its stage and amount come from (-1 for none), and the rest says how to read it.
 */
export interface DealThen {
  /** 'absent' when the deal did not exist yet (or is undated before the export). */
  kind: 'absent' | 'undated' | 'history' | 'record' | 'unknown';
  openedOn: string | null;
  row: number;
  unchangedSince: boolean;
  closed: boolean;
  won: boolean;
  /** The day it entered its stage then (history), or null. */
  enteredOn: string | null;
  stageKnown: boolean;
}

/** Reads opportunity `i` at `asOf` into `out` (reused across calls, so a pass allocates nothing). */
export function dealThen(index: HistoryIndex, i: number, asOf: string, out: DealThen): DealThen {
  const current = index.dataset.opportunities[i]!;
  const g = index.dealOf[i]!;
  const from = dealRowsFrom(index, g);
  const to = dealRowsTo(index, g);
  const openedOn = current.createdDate ?? (to > from ? rowAt(index, from).date : null);
  out.openedOn = openedOn;
  out.row = -1;
  out.unchangedSince = true;
  out.closed = false;
  out.won = false;
  out.enteredOn = null;
  out.stageKnown = false;
  if (openedOn === null) {
    if (index.latestDate !== null && asOf < index.latestDate) {
      out.kind = 'undated';
      return out;
    }
  } else if (openedOn > asOf) {
    out.kind = 'absent';
    return out;
  }
  if (to === from) return recordThen(current, asOf, out);
  const last = lastRowOnOrBefore(index, from, to, asOf);
  // Created by the as-of date but first recorded later: Salesforce writes a row when a deal is
  // created, so the first row still says what it was created as.
  const at = Math.max(last, from);
  const row = rowAt(index, at);
  const outcome = index.outcomeOf(row.stage, row);
  // First recorded as closed, after the as-of date: open then, in a stage nobody wrote down.
  if (last < from && outcome !== 'open') {
    out.kind = 'unknown';
    out.unchangedSince = false;
    return out;
  }
  let entered = at;
  while (entered > from && rowAt(index, entered - 1).stage === row.stage) entered--;
  out.kind = 'history';
  out.row = index.rows[at]!;
  out.unchangedSince = last === to - 1;
  out.closed = outcome !== 'open';
  out.won = outcome === 'won';
  out.enteredOn = last < from ? (current.createdDate ?? row.date) : rowAt(index, entered).date;
  out.stageKnown = true;
  return out;
}

function recordThen(current: PipelineOpportunity, asOf: string, out: DealThen): DealThen {
  if (current.isClosed) {
    if (current.closeDate === null) {
      out.kind = 'absent';
    } else if (current.closeDate <= asOf) {
      out.kind = 'record';
      out.closed = true;
      out.won = current.isWon;
      out.enteredOn = current.closeDate;
      out.stageKnown = true;
    } else {
      out.kind = 'unknown';
      out.unchangedSince = false;
    }
    return out;
  }
  out.kind = 'record';
  return out;
}

/** The opportunity as it stood, from a {@link dealThen} reading. */
function opportunityThen(index: HistoryIndex, i: number, asOf: string, then: DealThen): PipelineOpportunity {
  const current = index.dataset.opportunities[i]!;
  if (then.kind === 'unknown') {
    return {
      ...current,
      stage: UNKNOWN_STAGE,
      isClosed: false,
      isWon: false,
      amount: null,
      probability: null,
      forecastCategory: null,
      closeDate: null,
      stageEnteredDate: null,
      ...recentOnly(current, asOf, false),
    };
  }
  if (then.kind === 'record') {
    if (current.isClosed) return current;
    return {
      ...current,
      stageEnteredDate: onOrBefore(current.stageEnteredDate, asOf),
      ...recentOnly(current, asOf, true),
    };
  }
  const row = index.dataset.history[then.row]!;
  const unchangedSince = then.unchangedSince;
  return {
    ...current,
    stage: row.stage,
    isClosed: then.closed,
    isWon: then.won,
    // Nothing recorded since that row: the record is how the deal stands, and it wins where the two
    // disagree (a real org's export had every row's close date years before the record's own).
    amount: unchangedSince ? (current.amount ?? row.amount) : row.amount,
    probability: unchangedSince ? (current.probability ?? row.probability) : row.probability,
    forecastCategory: unchangedSince
      ? (current.forecastCategory ?? row.forecastCategory)
      : row.forecastCategory,
    closeDate: unchangedSince ? (current.closeDate ?? row.closeDate) : row.closeDate,
    stageEnteredDate: then.enteredOn,
    ...recentOnly(current, asOf, unchangedSince),
  };
}

export function stateAsOf(
  dataset: PipelineDataset,
  asOf: string,
  index: HistoryIndex = indexHistory(dataset),
): PipelineState {
  const open: OpenDeal[] = [];
  const closed: ClosedDeal[] = [];
  const known: PipelineOpportunity[] = [];
  const knownDeal = new Uint8Array(index.deals);
  let undatedLeftOut = 0;
  const then = newDealThen();
  const opportunities = index.dataset.opportunities;
  for (let i = 0; i < opportunities.length; i++) {
    dealThen(index, i, asOf, then);
    if (then.kind === 'undated') undatedLeftOut++;
    if (then.kind === 'undated' || then.kind === 'absent') continue;
    const opportunity = opportunityThen(index, i, asOf, then);
    known.push(opportunity);
    knownDeal[index.dealOf[i]!] = 1;
    if (opportunity.isClosed) {
      closed.push({
        opportunity,
        openedOn: then.openedOn,
        closedOn: then.enteredOn!,
        won: opportunity.isWon,
      });
    } else {
      open.push({ opportunity, openedOn: then.openedOn, stageKnown: then.stageKnown });
    }
  }
  closed.sort((a, b) => (a.closedOn < b.closedOn ? -1 : a.closedOn > b.closedOn ? 1 : 0));
  return {
    asOf,
    open,
    closed,
    undatedLeftOut,
    latestDate: index.latestDate,
    dataset: {
      opportunities: known,
      history: knownBy(index.dataset.history, index.historyDeal, knownDeal, asOf),
      contacts: index.dataset.contacts,
      engagement: knownBy<EngagementEvent>(index.dataset.engagement, index.engagementDeal, knownDeal, asOf),
      conversations: knownBy<ConversationSignal>(
        index.dataset.conversations,
        index.conversationDeal,
        knownDeal,
        asOf,
      ),
      ...(index.dataset.knownFields ? { knownFields: index.dataset.knownFields } : {}),
    },
  };
}

export const newDealThen = (): DealThen => ({
  kind: 'absent',
  openedOn: null,
  row: -1,
  unchangedSince: true,
  closed: false,
  won: false,
  enteredOn: null,
  stageKnown: false,
});

/** The rows dated by the as-of date of deals known then; the same array when that is all of them. */
function knownBy<T extends { date: string }>(
  rows: readonly T[],
  dealOf: Int32Array,
  knownDeal: Uint8Array,
  asOf: string,
): readonly T[] {
  let keep = 0;
  for (let r = 0; r < rows.length; r++)
    if (dealOf[r]! >= 0 && knownDeal[dealOf[r]!] && rows[r]!.date <= asOf) keep++;
  if (keep === rows.length) return rows;
  const out = new Array<T>(keep);
  let k = 0;
  for (let r = 0; r < rows.length; r++)
    if (dealOf[r]! >= 0 && knownDeal[dealOf[r]!] && rows[r]!.date <= asOf) out[k++] = rows[r]!;
  return out;
}

/** Activity is kept only if dated by the as-of date; the next step only if nothing changed since. */
function recentOnly(current: PipelineOpportunity, asOf: string, unchangedSince: boolean) {
  return {
    lastActivityDate: onOrBefore(current.lastActivityDate, asOf),
    nextStep: unchangedSince ? current.nextStep : null,
    nextStepDate: unchangedSince ? current.nextStepDate : null,
  };
}

export const onOrBefore = (date: string | null, asOf: string) =>
  date !== null && date <= asOf ? date : null;

export type { OpportunityChange };
