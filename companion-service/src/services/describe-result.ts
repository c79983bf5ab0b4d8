import type { Insights } from '../domain/insights/schema.js';
import type { MatchResult } from '../domain/matching/match-opportunity.js';
import type { WriteDecision } from '../domain/writeback/plan.js';
import type { WriteOutcome } from '../adapters/salesforce/conversation-write.js';
import type { ConversationResult } from '../domain/conversation-result.js';

/** The processing result as the API returns it, from the decision and what the write gave back. */

export interface ResultParts {
  id: string;
  sourceId: string;
  status: ConversationResult['status'];
  format: string | null;
  insights: Insights | null;
  match: MatchResult | null;
  decision: WriteDecision;
  outcome: WriteOutcome | null;
  errors: ConversationResult['errors'];
  refusal?: ConversationResult['refusal'];
  apiCalls: number;
  processedAt: string;
}

function describeMatch(match: MatchResult | null): ConversationResult['match'] {
  if (!match) return { kind: 'none', opportunity: null, account: null, reasons: [], candidates: [] };
  const candidates = (match.kind === 'opportunity' || match.kind === 'ambiguous' ? match.candidates : []).map(
    (c) => ({
      opportunityId: c.opportunity.id,
      name: c.opportunity.name,
      score: c.score,
      reasons: c.reasons,
    }),
  );
  if (match.kind === 'opportunity') {
    const o = match.opportunity;
    return {
      kind: 'opportunity',
      opportunity: { id: o.id, name: o.name, stageName: o.stageName },
      account: o.accountId ? { id: o.accountId, name: o.accountName } : null,
      reasons: match.reasons,
      candidates,
    };
  }
  const account =
    match.kind === 'none' || !match.accountId ? null : { id: match.accountId, name: match.accountName };
  return { kind: match.kind, opportunity: null, account, reasons: match.reasons, candidates };
}

export function describeResult(parts: ResultParts): ConversationResult {
  const ids = parts.outcome?.suggestionIds ?? {};
  const provenance = parts.outcome?.provenanceIds ?? {};
  return {
    id: parts.id,
    sourceId: parts.sourceId,
    status: parts.status,
    conversationRecordId: parts.outcome?.conversationId ?? null,
    format: parts.format,
    extractor: parts.insights
      ? `${parts.insights.source.extractor} ${parts.insights.source.extractorVersion}`
      : null,
    meetingDate: parts.insights?.source.meetingDate ?? null,
    match: describeMatch(parts.match),
    suggestions: parts.decision.suggestions.map((s) => ({
      id: ids[s.externalId] ?? null,
      externalId: s.externalId,
      type: s.type,
      field: s.targetField,
      currentValue: s.valueAtSuggestion,
      proposedValue: s.proposedValue,
      confidence: s.confidence,
      status: s.status,
      statusReason: s.statusReason,
      reasons: s.reasons,
      evidence: s.evidence?.quote ?? null,
    })),
    autoApplied: parts.decision.applies.map((a) => ({
      field: a.field,
      value: a.text,
      previousValue: a.previousText,
      policy: a.policy,
      provenanceId: provenance[a.provenanceExternalId] ?? null,
      evidence: a.evidence.quote,
    })),
    stale: parts.decision.stale.map((m) => ({ suggestionId: m.id, reason: m.reason })),
    fieldOutcomes: parts.decision.outcomes,
    dropped: parts.insights?.dropped ?? [],
    errors: parts.errors,
    refusal: parts.refusal ?? null,
    apiCalls: parts.apiCalls,
    changedOrg: parts.outcome?.wrote ?? false,
    processedAt: parts.processedAt,
  };
}
