import type { TrustDecision } from './org-view.js';

/**
 * What Suggestion_Decided__e and Opportunity_Changed__e leave behind: a durable log of reps'
 * decisions (the evidence earned trust is computed from) and the deals waiting to be re-scored by
 * the pipeline-intelligence engine. Both take the same event twice as once. The Postgres versions
 * are in adapters/postgres/pubsub-event-stores.ts; these in-memory ones serve tests.
 */

export const DECISIONS = ['Accepted', 'Edited', 'Rejected', 'Stale', 'Failed'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface SuggestionDecision {
  eventId: string;
  suggestionId: string;
  externalId: string | null;
  decision: Decision;
  opportunityId: string | null;
  targetObject: string | null;
  targetField: string | null;
  targetRecordId: string | null;
  proposedValue: string | null;
  appliedValue: string | null;
  confidence: number | null;
  decidedById: string | null;
  /** ISO 8601. */
  decidedAt: string;
  message: string | null;
}

export interface SuggestionDecisionLog {
  /** False when this event was recorded before. */
  record(decision: SuggestionDecision): Promise<boolean>;
  /** The newest decisions on a field, for earned trust. */
  recentForField(objectName: string, fieldName: string, limit: number): Promise<TrustDecision[]>;
}

export interface RescoreRequest {
  opportunityId: string;
  /** Which of StageName, Amount, CloseDate changed; empty for a new deal. */
  changedFields: string[];
  isNew: boolean;
  eventId: string;
  requestedAt: string;
}

/** Deals the pipeline-intelligence engine should score again; one open request per deal. */
export interface RescoreRequests {
  request(request: RescoreRequest): Promise<void>;
  pending(limit: number): Promise<RescoreRequest[]>;
  /** Closes the requests made up to `requestedUpTo`; a newer one for the same deal stays open. */
  markDone(opportunityIds: string[], requestedUpTo: string): Promise<void>;
}

export function trustOutcome(decision: Decision): TrustDecision['outcome'] | null {
  if (decision === 'Accepted') return 'accepted';
  if (decision === 'Edited') return 'edited';
  if (decision === 'Rejected') return 'rejected';
  return null;
}

export class MemoryDecisionLog implements SuggestionDecisionLog {
  readonly decisions: SuggestionDecision[] = [];

  async record(decision: SuggestionDecision): Promise<boolean> {
    if (this.decisions.some((d) => d.eventId === decision.eventId)) return false;
    this.decisions.push(decision);
    return true;
  }

  async recentForField(objectName: string, fieldName: string, limit: number): Promise<TrustDecision[]> {
    return this.decisions
      .filter((d) => d.targetObject === objectName && d.targetField === fieldName)
      .flatMap((d) => {
        const outcome = trustOutcome(d.decision);
        return outcome ? [{ objectName, fieldName, outcome, at: d.decidedAt }] : [];
      })
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, limit);
  }
}

export class MemoryRescoreRequests implements RescoreRequests {
  readonly open = new Map<string, RescoreRequest>();

  async request(request: RescoreRequest): Promise<void> {
    const before = this.open.get(request.opportunityId);
    const changedFields = [...new Set([...(before?.changedFields ?? []), ...request.changedFields])];
    this.open.set(request.opportunityId, {
      ...request,
      changedFields,
      isNew: request.isNew || (before?.isNew ?? false),
    });
  }

  async pending(limit: number): Promise<RescoreRequest[]> {
    return [...this.open.values()].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).slice(0, limit);
  }

  async markDone(opportunityIds: string[], requestedUpTo: string): Promise<void> {
    for (const id of opportunityIds) {
      const open = this.open.get(id);
      if (open && open.requestedAt <= requestedUpTo) this.open.delete(id);
    }
  }
}
