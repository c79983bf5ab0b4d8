import type { PipelineDataset } from '../pipeline/records.js';
import { stateAsOf, type ClosedDeal, type PipelineState } from '../pipeline/state-as-of.js';
import { indexHistory, type HistoryIndex } from '../pipeline/history-index.js';
import { addDays, daysBetween, forEachOpenAt, type DealSnapshot } from './deal-snapshot.js';

/**
 * What the forecast learns from at an as-of date: snapshots of deals as they stood at earlier
 * dates, each labelled with how the deal closed, where it closed by the as-of date.
 *
 * Snapshots rather than one row per closed deal, because an open deal is scored part-way through its
 * life (its age, its stage and its silence so far), and a closed deal's final age is its outcome's
 * length, not something known while it was open. Snapshots taken at regular dates also weigh deals
 * as the open pipeline does: a long deal is open at more dates. Deals still open at the as-of date
 * have no label and are left out; that favours deals that close fast, so the level of the forecast
 * is the closed deals' win rate and the snapshots only teach how deals differ from it (and the
 * cross-validation that decides whether they differ at all is held to the same bias on both sides).
 */

export interface TrainingExample {
  snapshot: DealSnapshot;
  won: boolean;
  closedOn: string;
}

export interface TrainingSet {
  asOf: string;
  state: PipelineState;
  examples: TrainingExample[];
  /** Days a snapshot must precede the label cutoff for its deals' outcomes to count as known. */
  maturityDays: number;
  /**
   * Every deal open at a snapshot at least WINDOW_DAYS before the as-of date, and whether it was won
   * within WINDOW_DAYS of it. Fully observed, deals that never close included: a deal still open at
   * the as-of date was certainly not won in a window that ended before it.
   */
  windowExamples: { at: string; ageDays: number | null; wonInWindow: boolean }[];
}

/** The forecast window: the days after the as-of date whose wins make "the quarter". */
export const WINDOW_DAYS = 90;
/**
 * The window examples stay four-weekly whatever the labelled snapshots' spacing: the quarter's
 * timing bands and pace backtest were measured on that grid, and weekly windows would overlap so
 * much that their errors would look four times as well tested as they are.
 */
export const WINDOW_EVERY_DAYS = 28;

export interface TrainingOptions {
  /** Days between snapshot dates (default: weekly for a small history, else 28; see snapshotSpacing). */
  snapshotEveryDays?: number;
  /** How far back snapshots go (default 364 days). */
  lookbackDays?: number;
  /**
   * Snapshots closer than this to the as-of date are left out (default: the time by which four in
   * five closed deals had closed, at least 28 days): most of their deals have not closed yet, and
   * the few that have are the fast ones, which in most pipelines are the losses.
   */
  maturityDays?: number;
}

export function buildTrainingSet(
  dataset: PipelineDataset,
  asOf: string,
  options: TrainingOptions = {},
  index: HistoryIndex = indexHistory(dataset),
): TrainingSet {
  const lookback = options.lookbackDays ?? 364;
  const state = stateAsOf(dataset, asOf, index);
  const every = options.snapshotEveryDays ?? snapshotSpacing(state.closed.length, historyDays(state, asOf));
  const outcome = new Map<string, ClosedDeal>(state.closed.map((c) => [c.opportunity.id, c]));
  const examples: TrainingExample[] = [];
  const windowExamples: TrainingSet['windowExamples'] = [];
  const maturityDays = options.maturityDays ?? defaultMaturity(state.closed);
  if (outcome.size === 0) return { asOf, state, examples, maturityDays, windowExamples };
  // Every snapshot date is read from one index of what was known at the as-of date, deal by deal.
  const known = indexHistory(state.dataset);
  const backs = new Set<number>();
  for (let back = maturityDays; back <= lookback; back += every) backs.add(back);
  for (let back = WINDOW_DAYS; back <= lookback; back += WINDOW_EVERY_DAYS) backs.add(back);
  for (const back of [...backs].sort((a, b) => a - b)) {
    const at = addDays(asOf, -back);
    const windowEnd = addDays(at, WINDOW_DAYS);
    const labelled = back >= maturityDays && (back - maturityDays) % every === 0;
    const windowed = back >= WINDOW_DAYS && (back - WINDOW_DAYS) % WINDOW_EVERY_DAYS === 0;
    const existing = forEachOpenAt(known, at, (id, ageDays, snapshot) => {
      const closed = outcome.get(id);
      if (labelled && closed && closed.closedOn > at) {
        examples.push({ snapshot: snapshot(), won: closed.won, closedOn: closed.closedOn });
      }
      if (windowed) {
        windowExamples.push({
          at,
          ageDays,
          wonInWindow: closed !== undefined && closed.won && closed.closedOn <= windowEnd,
        });
      }
    });
    // Nothing existed yet, so nothing was visited: no earlier date has anything either.
    if (existing === 0) break;
  }
  examples.sort((a, b) => (a.snapshot.at < b.snapshot.at ? -1 : a.snapshot.at > b.snapshot.at ? 1 : 0));
  return { asOf, state, examples, maturityDays, windowExamples };
}

/**
 * Snapshots are weekly rather than every four weeks below this many closed deals, or when the
 * history is too short for this many four-weekly dates. A deal open for less than four weeks falls
 * between four-weekly dates more often than not, which a small history cannot spare; and the
 * time-ordered cross-validation needs dates enough to hold later blocks out. Otherwise weekly dates
 * would only multiply the rows (and the fitting time) by four for the same evidence.
 */
const WEEKLY_BELOW_CLOSED_DEALS = 1000;
const WEEKLY_BELOW_DATES = 12;

export const snapshotSpacing = (closedDeals: number, historyDays: number) =>
  closedDeals < WEEKLY_BELOW_CLOSED_DEALS || historyDays < WEEKLY_BELOW_DATES * 28 ? 7 : 28;

/** Days from the first deal's opening to the as-of date. */
function historyDays(state: PipelineState, asOf: string): number {
  let first: string | null = null;
  for (const d of [...state.closed, ...state.open])
    if (d.openedOn !== null && (first === null || d.openedOn < first)) first = d.openedOn;
  return first === null ? 0 : daysBetween(first, asOf);
}

function defaultMaturity(closed: readonly ClosedDeal[]): number {
  const durations = closed
    .filter((c) => c.openedOn !== null)
    .map((c) => daysBetween(c.openedOn!, c.closedOn))
    .sort((a, b) => a - b);
  const p80 = durations[Math.floor(durations.length * 0.8)] ?? 0;
  return Math.max(28, p80);
}
