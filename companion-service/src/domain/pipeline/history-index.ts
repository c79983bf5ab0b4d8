import type { OpportunityChange, PipelineDataset } from './records.js';
import { stageOutcomes, type StageOutcome } from './stage-outcomes.js';

/**
 * The history of a dataset indexed once by deal, in typed arrays, so every as-of date reads a deal's
 * rows by a binary search instead of regrouping and copying the dataset. This is bookkeeping only;
 * what a deal was at a date (the rule) is state-as-of.ts, which reads through the functions below.
 */

/**
 * A dataset's history grouped by deal, built once and shared by every as-of date read from it. The
 * rows are not copied: `rows` holds indexes into `dataset.history`, deal by deal (deal `g`'s rows
 * are `rows[start[g]]` up to `rows[start[g + 1]]`), each deal's oldest first, a closing row after
 * the open ones of its day, then in the order the data gave them. A deal is an opportunity id;
 * opportunities sharing an id share its history, as they did when history was looked up by id.
 */
export interface HistoryIndex {
  dataset: PipelineDataset;
  outcomeOf: ReturnType<typeof stageOutcomes>;
  latestDate: string | null;
  /** The deal (id group) of each opportunity, in dataset order. */
  dealOf: Int32Array;
  deals: number;
  rows: Int32Array;
  start: Int32Array;
  /** Whether each history row closes its deal, by history row. */
  closes: Uint8Array;
  /** The deal of each history, engagement and conversation row; -1 when no opportunity has its id. */
  historyDeal: Int32Array;
  engagementDeal: Int32Array;
  conversationDeal: Int32Array;
}

/** A row whose forecast category alone would close it: a stage still open with it is open whatever a row says. */
const CLOSED_CATEGORY = { forecastCategory: 'Closed', probability: null };

export function indexHistory(dataset: PipelineDataset): HistoryIndex {
  const outcomeOf = stageOutcomes(dataset.opportunities);
  const dealById = new Map<string, number>();
  const dealOf = new Int32Array(dataset.opportunities.length);
  dataset.opportunities.forEach((o, i) => {
    let deal = dealById.get(o.id);
    if (deal === undefined) dealById.set(o.id, (deal = dealById.size));
    dealOf[i] = deal;
  });
  const deals = dealById.size;
  const dealsOf = (rows: readonly { opportunityId: string }[]) => {
    const out = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = dealById.get(rows[i]!.opportunityId) ?? -1;
    return out;
  };
  const history = dataset.history;
  const historyDeal = dealsOf(history);
  // A counting sort by deal keeps the data's order within each deal; an insertion sort per deal
  // then orders it by date (exports are nearly always in date order already, so this is linear).
  const start = new Int32Array(deals + 1);
  for (let r = 0; r < history.length; r++) if (historyDeal[r]! >= 0) start[historyDeal[r]! + 1]!++;
  for (let g = 0; g < deals; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, deals);
  const rows = new Int32Array(start[deals]!);
  for (let r = 0; r < history.length; r++) {
    const g = historyDeal[r]!;
    if (g >= 0) rows[fill[g]!++] = r;
  }
  const closes = new Uint8Array(history.length);
  const outcomes = new Map<string, StageOutcome>();
  for (let r = 0; r < history.length; r++) {
    const change = history[r]!;
    // The outcome depends on the stage alone unless the stage is unknown to the record and its name.
    let outcome = outcomes.get(change.stage);
    if (outcome === undefined) {
      const byStage = outcomeOf(change.stage);
      if (byStage !== 'open' || outcomeOf(change.stage, CLOSED_CATEGORY) === 'open') {
        outcomes.set(change.stage, byStage);
        outcome = byStage;
      } else outcome = outcomeOf(change.stage, change);
    }
    closes[r] = outcome === 'open' ? 0 : 1;
  }
  for (let g = 0; g < deals; g++) {
    for (let i = start[g]! + 1; i < start[g + 1]!; i++) {
      const r = rows[i]!;
      const date = history[r]!.date;
      let j = i - 1;
      while (j >= start[g]!) {
        const previous = rows[j]!;
        const pd = history[previous]!.date;
        if (pd < date || (pd === date && closes[previous]! <= closes[r]!)) break;
        rows[j + 1] = previous;
        j--;
      }
      rows[j + 1] = r;
    }
  }
  return {
    dataset,
    outcomeOf,
    latestDate: latestDateIn(dataset),
    dealOf,
    deals,
    rows,
    start,
    closes,
    historyDeal,
    engagementDeal: dealsOf(dataset.engagement),
    conversationDeal: dealsOf(dataset.conversations),
  };
}

/** Deal `g`'s rows are the positions from `dealRowsFrom` up to (not including) `dealRowsTo`, oldest first. */
export const dealRowsFrom = (index: HistoryIndex, g: number) => index.start[g]!;
export const dealRowsTo = (index: HistoryIndex, g: number) => index.start[g + 1]!;

/** The history row at a position of the deal-ordered rows. */
export const rowAt = (index: HistoryIndex, position: number): OpportunityChange =>
  index.dataset.history[index.rows[position]!]!;

/** The position of the deal's last row dated on or before `asOf`, or `from - 1` when none is. */
export function lastRowOnOrBefore(index: HistoryIndex, from: number, to: number, asOf: string): number {
  const history = index.dataset.history;
  const rows = index.rows;
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history[rows[mid]!]!.date <= asOf) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function latestDateIn(dataset: PipelineDataset): string | null {
  let latest: string | null = null;
  const see = (date: string | null) => {
    if (date !== null && (latest === null || date > latest)) latest = date;
  };
  for (const o of dataset.opportunities) {
    see(o.createdDate);
    see(o.lastActivityDate);
    if (o.isClosed) see(o.closeDate);
  }
  for (const c of dataset.history) see(c.date);
  return latest;
}
