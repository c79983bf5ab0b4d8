import type { PipelineDataset } from '../pipeline/records.js';
import { dayNumber } from '../hygiene/calendar-days.js';
import {
  dealThen,
  newDealThen,
  onOrBefore,
  UNKNOWN_STAGE,
  type PipelineState,
} from '../pipeline/state-as-of.js';
import type { HistoryIndex } from '../pipeline/history-index.js';

/** What the forecast knows about one open deal at one date: the features, nothing else. */
export interface DealSnapshot {
  id: string;
  at: string;
  stage: string;
  ageDays: number | null;
  daysInStage: number | null;
  daysSinceActivity: number | null;
  amount: number | null;
  owner: string | null;
  product: string | null;
  /** The stage's stated probability on the record then, 0..100. */
  statedProbability: number | null;
  closeDate: string | null;
}

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

/** Snapshots of the deals open in a pipeline state, with engagement recency from events and the record. */
export function snapshotsOf(state: PipelineState, dataset: PipelineDataset): DealSnapshot[] {
  const lastEvent = new Map<string, string>();
  for (const e of dataset.engagement) {
    if (e.date > state.asOf) continue;
    const seen = lastEvent.get(e.opportunityId);
    if (seen === undefined || e.date > seen) lastEvent.set(e.opportunityId, e.date);
  }
  return state.open.map(({ opportunity: o, openedOn }) => {
    const event = lastEvent.get(o.id) ?? null;
    const activity =
      [event, o.lastActivityDate]
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1) ?? null;
    return {
      id: o.id,
      at: state.asOf,
      stage: o.stage,
      ageDays: openedOn === null ? null : daysBetween(openedOn, state.asOf),
      daysInStage: o.stageEnteredDate === null ? null : daysBetween(o.stageEnteredDate, state.asOf),
      daysSinceActivity: activity === null ? null : daysBetween(activity, state.asOf),
      amount: o.amount,
      owner: o.owner,
      product: o.product,
      statedProbability: o.probability,
      closeDate: o.closeDate,
    };
  });
}

/** Days from a date to a day number, by day arithmetic; by Date.parse (as before) for anything else. */
function daysTo(date: string, toDay: number | null, to: string): number {
  const from = dayNumber(date);
  return from === null || toDay === null ? daysBetween(date, to) : toDay - from;
}

/**
 * The snapshots of the deals open at `at`, exactly as {@link snapshotsOf} over `stateAsOf` would give
 * them, read straight from the history index: no deal's record is rebuilt, and the engagement's last
 * event per deal is one pass over typed arrays. `existing` counts the deals that existed then, open
 * or closed. The forecast takes a dozen or more of these per run over the whole pipeline.
 */
export function snapshotsAt(
  index: HistoryIndex,
  at: string,
): { snapshots: DealSnapshot[]; existing: number } {
  const snapshots: DealSnapshot[] = [];
  const existing = forEachOpenAt(index, at, (_id, _age, snapshot) => snapshots.push(snapshot()));
  return { snapshots, existing };
}

/**
 * Calls `visit` for each deal open at `at`, in the data's order, with its id and age; the snapshot
 * itself is built only if the visitor asks for it, since most of a training date's open deals need
 * no more than their age. Returns how many deals existed then, open or closed.
 */
export function forEachOpenAt(
  index: HistoryIndex,
  at: string,
  visit: (id: string, ageDays: number | null, snapshot: () => DealSnapshot) => void,
): number {
  const { opportunities, history, engagement } = index.dataset;
  const lastEvent = new Int32Array(index.deals).fill(-1);
  for (let e = 0; e < engagement.length; e++) {
    const g = index.engagementDeal[e]!;
    const date = engagement[e]!.date;
    if (g < 0 || date > at) continue;
    const seen = lastEvent[g]!;
    if (seen < 0 || date > engagement[seen]!.date) lastEvent[g] = e;
  }
  const atDay = dayNumber(at);
  let existing = 0;
  const then = newDealThen();
  for (let i = 0; i < opportunities.length; i++) {
    dealThen(index, i, at, then);
    if (then.kind === 'absent' || then.kind === 'undated') continue;
    existing++;
    if (then.closed) continue;
    const o = opportunities[i]!;
    const ageDays = then.openedOn === null ? null : daysTo(then.openedOn, atDay, at);
    visit(o.id, ageDays, () => snapshotOf(i, ageDays));
  }
  return existing;

  function snapshotOf(i: number, ageDays: number | null): DealSnapshot {
    const o = opportunities[i]!;
    dealThen(index, i, at, then);
    let stage = o.stage;
    let amount = o.amount;
    let probability = o.probability;
    let closeDate = o.closeDate;
    let entered: string | null = onOrBefore(o.stageEnteredDate, at);
    if (then.kind === 'unknown') {
      stage = UNKNOWN_STAGE;
      amount = probability = null;
      closeDate = entered = null;
    } else if (then.kind === 'history') {
      const row = history[then.row]!;
      const unchanged = then.unchangedSince;
      stage = row.stage;
      amount = row.amount ?? (unchanged ? o.amount : null);
      probability = row.probability ?? (unchanged ? o.probability : null);
      closeDate = row.closeDate ?? (unchanged ? o.closeDate : null);
      entered = then.enteredOn;
    }
    const g = index.dealOf[i]!;
    const event = lastEvent[g]! < 0 ? null : engagement[lastEvent[g]!]!.date;
    const recorded = onOrBefore(o.lastActivityDate, at);
    const activity = event === null ? recorded : recorded === null || event > recorded ? event : recorded;
    return {
      id: o.id,
      at,
      stage,
      ageDays,
      daysInStage: entered === null ? null : daysTo(entered, atDay, at),
      daysSinceActivity: activity === null ? null : daysTo(activity, atDay, at),
      amount,
      owner: o.owner,
      product: o.product,
      statedProbability: probability,
      closeDate,
    };
  }
}
