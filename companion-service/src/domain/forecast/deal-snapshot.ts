import type { PipelineDataset } from '../pipeline/records.js';
import type { PipelineState } from '../pipeline/state-as-of.js';

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
