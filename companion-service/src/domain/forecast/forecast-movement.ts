import type { PipelineDataset } from '../pipeline/records.js';
import type { HistoryIndex } from '../pipeline/history-index.js';
import { stateAsOf, type PipelineState } from '../pipeline/state-as-of.js';
import type { RecordedDeal } from './deal-history.js';
import { addDays, snapshotsOf, type DealSnapshot } from './deal-snapshot.js';
import { recordedMovement, type RecordedMovement } from './recorded-movement.js';

/**
 * The week's change in the forecast for a pipeline read from files, where no scan recorded last
 * week's scores: the deals as they stood a week before the as-of date and at it, each weighted by the
 * same model, then split into in, out, slipped, up and down exactly as the scan's recorded history is
 * (recorded-movement.ts), so the buckets add up to the cent to the change in the weighted pipeline.
 * One model at both ends keeps the movement to what the deals did; a model refitted a week earlier
 * would add its own drift, which no rep can act on.
 */

/** The model's win probability (0..1) of an open deal's snapshot; null while it learned nothing. */
export type WinProbability = (snapshot: DealSnapshot) => number | null;

const percent = (p: number | null) => (p === null ? null : Math.round(p * 10_000) / 100);

function recorded(state: PipelineState, probability: WinProbability): Map<string, RecordedDeal> {
  const deals = new Map<string, RecordedDeal>();
  const snapshots = new Map(snapshotsOf(state, state.dataset).map((s) => [s.id, s]));
  for (const { opportunity: o } of state.open) {
    deals.set(o.id, {
      opportunityId: o.id,
      name: o.name,
      riskScore: null,
      modelProbability: percent(probability(snapshots.get(o.id)!)),
      suggestedCategory: null,
      stage: o.stage,
      stageProbability: o.probability,
      amount: o.amount,
      closeDate: o.closeDate,
      forecastCategory: o.forecastCategory,
      isClosed: false,
      isWon: false,
    });
  }
  for (const c of state.closed) {
    deals.set(c.opportunity.id, {
      opportunityId: c.opportunity.id,
      name: c.opportunity.name,
      riskScore: null,
      modelProbability: null,
      suggestedCategory: null,
      stage: c.opportunity.stage,
      stageProbability: c.opportunity.probability,
      amount: c.opportunity.amount,
      closeDate: c.closedOn,
      forecastCategory: c.opportunity.forecastCategory,
      isClosed: true,
      isWon: c.won,
    });
  }
  return deals;
}

export function forecastWeekChange(
  dataset: PipelineDataset,
  now: PipelineState,
  probability: WinProbability,
  index: HistoryIndex,
): RecordedMovement {
  const from = addDays(now.asOf, -7);
  return recordedMovement(
    recorded(stateAsOf(dataset, from, index), probability),
    recorded(now, probability),
    {
      from,
      to: now.asOf,
    },
  );
}
