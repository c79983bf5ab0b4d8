import type { PipelineDataset } from '../pipeline/records.js';
import { indexHistory, type HistoryIndex } from '../pipeline/history-index.js';
import { addDays, daysBetween, forEachOpenAt, type DealSnapshot } from './deal-snapshot.js';
import type { TrainingSet } from './training-set.js';

/**
 * What the slip warning learns from: deals as they stood at earlier dates, each with the close date
 * it showed then, labelled by whether it had closed (won or lost) by the end of that day.
 *
 * A snapshot is labelled only when its close date is on or before the as-of date: by then its
 * outcome is fully known whether the deal closed or is still open, so unlike the win model's labels
 * these are not biased toward deals that close fast. A close date already behind the snapshot's date
 * (an overdue deal) has slipped already; it teaches nothing about slipping and is left out.
 */

export interface SlipSnapshot extends DealSnapshot {
  /** Days from the snapshot's date to the close date it showed then. */
  daysToClose: number;
  /** How many times its close date had been moved later by then (OpportunityHistory). */
  pushes: number;
}

export interface SlipExample {
  snapshot: SlipSnapshot;
  slipped: boolean;
  /** The commitment: the deal and the close date it showed. Its label is known from that date on. */
  commitment: string;
}

export interface SlipTrainingSet {
  asOf: string;
  examples: SlipExample[];
  /** Whether each commitment (deal and close date) slipped, once each: the owners' slip rates count these. */
  commitments: Map<string, { owner: string | null; slipped: boolean; dueOn: string }>;
  /** The dates each deal's close date was pushed, as known at the as-of date. */
  pushDates: ReadonlyMap<string, readonly string[]>;
}

export const SNAPSHOT_EVERY_DAYS = 14;
export const LOOKBACK_DAYS = 364;
/**
 * The most deals the slip warning learns from. Past it, a fixed share of the deals, chosen by a hash
 * of their id (the same deals every run), is kept with all their snapshots: at 100,000 deals learning
 * from every one cost some 23 s of CPU against the forecast's 3 s (issue 17), while a penalized model
 * of a handful of features learns nothing more from the hundreds of thousands of snapshots past this.
 */
const MAX_LEARNING_DEALS = 10_000;

/** The share of a pipeline of `deals` deals the slip warning learns from. */
export const learningShare = (deals: number) => Math.min(1, MAX_LEARNING_DEALS / Math.max(1, deals));

/** A stable draw in [0, 1) for an id (FNV-1a), so the sample does not change between scans. */
export function unitDraw(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}

export const commitmentOf = (id: string, closeDate: string) => `${id}|${closeDate}`;

/** Each deal's dates on which a history row moved its close date later than the row before. */
export function pushDatesOf(dataset: PipelineDataset): Map<string, string[]> {
  const byDeal = new Map<string, { date: string; closeDate: string | null }[]>();
  for (const row of dataset.history) {
    const rows = byDeal.get(row.opportunityId) ?? [];
    rows.push({ date: row.date, closeDate: row.closeDate });
    byDeal.set(row.opportunityId, rows);
  }
  const pushes = new Map<string, string[]>();
  for (const [id, rows] of byDeal) {
    rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let previous: string | null = null;
    const dates: string[] = [];
    for (const row of rows) {
      if (row.closeDate === null) continue;
      if (previous !== null && row.closeDate > previous) dates.push(row.date);
      previous = row.closeDate;
    }
    if (dates.length) pushes.set(id, dates);
  }
  return pushes;
}

const pushesBy = (dates: readonly string[] | undefined, at: string) =>
  dates === undefined ? 0 : dates.filter((d) => d <= at).length;

/** A deal's snapshot with its days to close (NaN without a close date) and its pushes so far. */
export function slipSnapshot(
  s: DealSnapshot,
  pushDates: ReadonlyMap<string, readonly string[]>,
): SlipSnapshot {
  return {
    ...s,
    daysToClose: s.closeDate === null ? NaN : daysBetween(s.at, s.closeDate),
    pushes: pushesBy(pushDates.get(s.id), s.at),
  };
}

/**
 * The slip training set at `training.asOf`, from what was known then (the win model's training set
 * already holds that state). `index` may be passed when the caller has the known data indexed.
 */
export function buildSlipTrainingSet(
  training: Pick<TrainingSet, 'asOf' | 'state'>,
  index: HistoryIndex = indexHistory(training.state.dataset),
): SlipTrainingSet {
  const { asOf, state } = training;
  const closedOn = new Map(state.closed.map((c) => [c.opportunity.id, c.closedOn]));
  const pushDates = pushDatesOf(state.dataset);
  const withClose = (s: DealSnapshot): SlipSnapshot | null => {
    const slip = slipSnapshot(s, pushDates);
    return slip.daysToClose >= 0 ? slip : null;
  };

  const share = learningShare(state.dataset.opportunities.length);
  const examples: SlipExample[] = [];
  const commitments: SlipTrainingSet['commitments'] = new Map();
  for (let back = SNAPSHOT_EVERY_DAYS; back <= LOOKBACK_DAYS; back += SNAPSHOT_EVERY_DAYS) {
    const at = addDays(asOf, -back);
    const existing = forEachOpenAt(index, at, (id, _age, snapshot) => {
      if (share < 1 && unitDraw(id) >= share) return;
      const s = withClose(snapshot());
      if (s === null || s.closeDate! > asOf) return;
      const closed = closedOn.get(id);
      const slipped = closed === undefined || closed > s.closeDate!;
      const commitment = commitmentOf(id, s.closeDate!);
      examples.push({ snapshot: s, slipped, commitment });
      commitments.set(commitment, { owner: s.owner, slipped, dueOn: s.closeDate! });
    });
    if (existing === 0) break;
  }
  examples.sort((a, b) => (a.snapshot.at < b.snapshot.at ? -1 : a.snapshot.at > b.snapshot.at ? 1 : 0));

  return { asOf, examples, commitments, pushDates };
}
