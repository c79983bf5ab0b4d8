import type { PipelineState } from '../pipeline/state-as-of.js';
import { stageOutcomes } from '../pipeline/stage-outcomes.js';

/**
 * Each stage's stated probability against how often deals that reached it were won, for sales ops
 * to review the stage rules ("90 percent deals close 60 percent of the time"). A deal counts for
 * every open stage its history shows it in, once it has closed. The suggestion is the realized rate
 * pulled toward the stated one by PRIOR_DEALS pseudo-deals, so a stage with five closed deals is
 * nudged, not rewritten; below MIN_DEALS the report says the evidence is too thin to act on.
 */

export const PRIOR_DEALS = 10;
export const MIN_DEALS = 30;

export interface StatedStage {
  stageName: string;
  /** Default_Probability__c, 0..100. */
  defaultProbability: number;
  sortOrder: number;
  isClosed: boolean;
}

export interface StageCalibration {
  stage: string;
  /** 0..1; from the stage rules when given, else the probability most often recorded for the stage. */
  statedProbability: number | null;
  statedFrom: 'stage rules' | 'records' | null;
  reachedAndClosed: number;
  won: number;
  realizedWinRate: number | null;
  /** 95% Wilson score interval of the realized rate. */
  interval: { low: number; high: number } | null;
  suggestedProbability: number | null;
  /** Stated probability outside the interval: the rule is likely wrong. */
  outsideInterval: boolean;
  note: string;
}

export interface CalibrationReport {
  asOf: string;
  closedDeals: number;
  dealsWithHistory: number;
  stages: StageCalibration[];
  note: string | null;
}

/**
 * What the report counts, however the pipeline is held: for each open stage the deals whose
 * history shows them in it and the probabilities its rows recorded, and how each closed deal ended.
 * A deal is any key (an id, a position) as long as `reached` and `closed` use the same.
 */
export interface StageEvidence<Deal> {
  asOf: string;
  reached: Map<string, Set<Deal>>;
  /** Per stage, how many rows recorded each probability, in the order first recorded. */
  recorded: Map<string, Map<number, number>>;
  closed: Map<Deal, boolean>;
  closedDeals: number;
  dealsWithHistory: number;
}

export function stageCalibration(
  state: PipelineState,
  stated: readonly StatedStage[] = [],
): CalibrationReport {
  const { dataset } = state;
  const outcomeOf = stageOutcomes(dataset.opportunities);
  const closed = new Map(state.closed.map((c) => [c.opportunity.id, c.won]));
  const reached = new Map<string, Set<string>>();
  const recorded = new Map<string, Map<number, number>>();
  for (const change of dataset.history) {
    if (outcomeOf(change.stage, change) !== 'open') continue;
    const deals = reached.get(change.stage) ?? new Set<string>();
    deals.add(change.opportunityId);
    reached.set(change.stage, deals);
    if (change.probability !== null) {
      const counts = recorded.get(change.stage) ?? new Map<number, number>();
      counts.set(change.probability, (counts.get(change.probability) ?? 0) + 1);
      recorded.set(change.stage, counts);
    }
  }
  const dealsWithHistory = new Set(dataset.history.map((c) => c.opportunityId)).size;
  return calibrationReport(
    { asOf: state.asOf, reached, recorded, closed, closedDeals: state.closed.length, dealsWithHistory },
    stated,
  );
}

export function calibrationReport<Deal>(
  evidence: StageEvidence<Deal>,
  stated: readonly StatedStage[] = [],
): CalibrationReport {
  const { reached, recorded, closed, closedDeals, dealsWithHistory } = evidence;
  const order = new Map(stated.map((s) => [s.stageName, s.sortOrder]));
  const names = new Set([...reached.keys(), ...stated.filter((s) => !s.isClosed).map((s) => s.stageName)]);
  const stages = [...names]
    .sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b))
    .map((stage): StageCalibration => {
      const rule = stated.find((s) => s.stageName === stage);
      const mode = [...(recorded.get(stage) ?? new Map<number, number>())].sort(
        (a, b) => b[1] - a[1],
      )[0]?.[0];
      const statedProbability = rule ? rule.defaultProbability / 100 : mode !== undefined ? mode / 100 : null;
      const outcomes = [...(reached.get(stage) ?? [])]
        .filter((id) => closed.has(id))
        .map((id) => closed.get(id)!);
      const n = outcomes.length;
      const won = outcomes.filter(Boolean).length;
      const interval = n === 0 ? null : wilson(won, n);
      const suggested =
        n === 0
          ? null
          : statedProbability === null
            ? won / n
            : (won + PRIOR_DEALS * statedProbability) / (n + PRIOR_DEALS);
      const outside =
        interval !== null &&
        statedProbability !== null &&
        (statedProbability < interval.low || statedProbability > interval.high);
      return {
        stage,
        statedProbability,
        statedFrom: rule ? 'stage rules' : mode !== undefined ? 'records' : null,
        reachedAndClosed: n,
        won,
        realizedWinRate: n === 0 ? null : won / n,
        interval,
        suggestedProbability: suggested === null ? null : Math.round(suggested * 100) / 100,
        outsideInterval: outside,
        note:
          n === 0
            ? 'no closed deal has passed through this stage yet'
            : n < MIN_DEALS
              ? `only ${n} closed deal${n === 1 ? '' : 's'} reached this stage: too few to change the rule; the suggestion leans on the stated probability`
              : outside
                ? 'the stated probability is outside the 95% interval of the realized rate: review the stage rule'
                : 'the stated probability is consistent with the realized rate',
      };
    });
  return {
    asOf: evidence.asOf,
    closedDeals,
    dealsWithHistory,
    stages,
    note:
      dealsWithHistory === 0
        ? 'no stage history: which stages the closed deals passed through is unknown; export OpportunityHistory and pass --history'
        : closedDeals < MIN_DEALS
          ? `only ${closedDeals} closed deals: read every rate below as a hint, not a measurement`
          : null,
  };
}

/** The Wilson score interval: honest at small n and near 0 or 1, where the normal one is not. */
export function wilson(wins: number, n: number, z = 1.96): { low: number; high: number } {
  const p = wins / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
