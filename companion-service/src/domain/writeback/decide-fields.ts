import type { FieldUpdate, Insights } from '../insights/schema.js';
import type { FieldMapping } from '../insights/field-mapping.js';
import { convertForField, sameValue, toText, type FieldDescription } from './field-values.js';
import { trustFor } from './earned-trust.js';
import type { ExistingConversation, OpportunityView, TrustDecision } from './org-view.js';
import {
  emptySuggestion,
  externalKey,
  type FieldOutcome,
  type PlannedApply,
  type PlannedSuggestion,
} from './plan.js';
import { findPrevious, SETTLED } from './previous.js';

/**
 * The field decision: for each proposed value, under its field policy, whether it is applied, only
 * suggested, or left alone. A value a rep typed is overwritten only when the policy says Always; a
 * picklist value must be one the field has; nothing below the policy's confidence floor is proposed;
 * closed stages are only ever suggested; and a field auto-applies when its policy says so or when it
 * earned it through reps' decisions, until a run of rejections takes it back.
 */

export interface FieldDecisionInput {
  insights: Insights;
  sourceId: string;
  opportunity: OpportunityView;
  fields: Record<string, FieldDescription>;
  /** Account fields by API name, for policies that name the deal's account (company facts). */
  accountFields?: Record<string, FieldDescription>;
  policies: FieldMapping[];
  closedStages: string[];
  trust: TrustDecision[];
  existing: ExistingConversation | null;
  /** The org's currency (Scribe_Setting__mdt): an amount stated in another one is never applied as is. */
  orgCurrency: string;
}

export interface FieldDecisions {
  suggestions: PlannedSuggestion[];
  applies: PlannedApply[];
  outcomes: FieldOutcome[];
}

/** Whether the field's current value is one Pipeline Scribe applied itself and nobody changed since. */
function setByPolicy(opportunity: OpportunityView, field: string): boolean {
  const latest = opportunity.provenance.find((p) => p.field === field && p.revertedAt === null);
  return !!latest?.appliedByPolicy && sameValue(opportunity.values[field], latest.newValue);
}

/**
 * Objects beside the deal that field policies may name: their values are only ever suggested (a rep
 * applies them when accepting), so the integration user needs to read their fields, never edit them.
 */
export const SUGGEST_ONLY_OBJECTS: readonly string[] = ['Account'];

/** The record a policy's field lives on: the deal, or the deal's account for company facts. */
type Target =
  | { object: string; values: OpportunityView['values']; fields: Record<string, FieldDescription> }
  | { skip: string };

function targetOf(input: FieldDecisionInput, object: string, field: string): Target {
  if (object === 'Opportunity') return { object, values: input.opportunity.values, fields: input.fields };
  if (!SUGGEST_ONLY_OBJECTS.includes(object))
    return {
      skip: `the write-back updates opportunity and account fields; ${object}.${field} is left alone`,
    };
  if (!input.opportunity.accountId) return { skip: `the deal has no account to hold Account.${field}` };
  return { object, values: input.opportunity.accountValues ?? {}, fields: input.accountFields ?? {} };
}

/** A list field's items ("Salesforce; NetSuite"), compared without case. */
function listItems(text: string | null): string[] {
  return (text ?? '')
    .split(/\s*[;\n]\s*/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/**
 * Merge: what the field holds plus the names it lacks, so nobody's entry is ever dropped; null when
 * the field already lists them all.
 */
function merged(current: string | null, proposed: string): string | null {
  const have = listItems(current);
  const known = new Set(have.map((t) => t.toLowerCase()));
  const added = listItems(proposed).filter((t) => !known.has(t.toLowerCase()) && known.add(t.toLowerCase()));
  return added.length === 0 ? null : [...have, ...added].join('; ');
}

function decideOne(input: FieldDecisionInput, update: FieldUpdate, out: FieldDecisions): void {
  const { opportunity, existing, sourceId } = input;
  const outcome = (kind: FieldOutcome['outcome'], reason: string, value: string | null = null): void => {
    out.outcomes.push({ field: update.field, outcome: kind, value, reason });
  };
  const policy = input.policies.find(
    (p) => p.isActive && p.objectName === update.object && p.fieldName === update.field,
  );
  if (!policy)
    return outcome('skipped', `no active Field_Policy__mdt record names ${update.object}.${update.field}`);
  const target = targetOf(input, update.object, update.field);
  if ('skip' in target) return outcome('skipped', target.skip);
  const field = target.fields[policy.fieldName];
  if (!field)
    return outcome(
      'skipped',
      `the org has no field ${target.object}.${policy.fieldName}; check ${policy.developerName}`,
    );
  if (update.confidence < policy.minimumConfidence) {
    return outcome(
      'skipped',
      `confidence ${update.confidence} is below the policy's floor of ${policy.minimumConfidence}`,
    );
  }
  const current = target.values[field.name];
  const currentText = toText(current);
  const isMerge = policy.overwritePolicy === 'Merge';
  const mergedText = isMerge ? merged(currentText, String(update.value)) : null;
  if (isMerge && mergedText === null)
    return outcome('unchanged', `${field.label} already lists "${String(update.value)}"`, currentText);
  if (mergedText !== null && field.length > 0 && mergedText.length > field.length) {
    return outcome(
      'skipped',
      `${field.label} holds ${field.length} characters and the merged list would not fit; nothing it lists is dropped, so a rep adds "${String(update.value)}"`,
    );
  }
  const converted = convertForField(field, mergedText ?? update.value);
  if (!converted.ok) return outcome('skipped', converted.problem);
  if (sameValue(current, converted.text))
    return outcome('unchanged', `${field.label} already holds "${converted.text}"`, converted.text);

  const isStage = policy.insight === 'stage';
  const previous = findPrevious(existing, {
    externalId: externalKey(sourceId, `${target.object}.${field.name}`),
    type: isStage ? 'Stage' : 'Field',
    targetField: field.name,
    proposedValue: converted.text,
    evidenceQuote: update.evidence.quote,
  });
  const reverted = existing?.provenance.find((p) => p.field === field.name && p.revertedAt !== null);
  if (reverted) {
    return outcome(
      'kept',
      `a rep reverted the value this conversation set on ${reverted.revertedAt}; it is not applied or proposed again`,
    );
  }
  if (previous?.status === 'Auto-applied') {
    return outcome(
      'kept',
      `applied before, and ${field.label} changed since to "${currentText ?? ''}"; the newer value stays`,
    );
  }
  if (previous && SETTLED.has(previous.status)) {
    return outcome(
      'kept',
      `a rep already decided this suggestion (${previous.status}); it is left as decided`,
    );
  }
  if (previous && !previous.externalId) {
    return outcome(
      'kept',
      `this conversation already has a suggestion for ${field.label} without an external id; it is left as it is`,
    );
  }
  const suggestionId = previous?.externalId ?? externalKey(sourceId, `${target.object}.${field.name}`);

  // A merge keeps every item the field holds, so a value a rep typed is never lost to it.
  const repValue = currentText !== null && !isMerge && !setByPolicy(opportunity, field.name);
  if (repValue && policy.overwritePolicy === 'Never') {
    return outcome(
      'skipped',
      `${field.label} holds "${currentText}", and its policy never replaces a value a rep typed`,
    );
  }
  const trust = trustFor(
    policy,
    input.trust.filter((d) => d.objectName === target.object && d.fieldName === field.name),
  );
  const wantsAuto = policy.mode === 'Auto-apply' ? !trust.demoted : trust.earned;
  const why: string[] = [];
  if (policy.mode === 'Auto-apply')
    why.push(trust.demoted ? `auto-apply paused: ${trust.explanation}` : 'the field policy auto-applies it');
  else if (policy.autoApplyAfterAccepted !== null) why.push(trust.explanation);
  const blockers: string[] = [];
  if (isStage && input.closedStages.includes(converted.text))
    blockers.push('a closed stage is only ever suggested');
  if (!field.updateable)
    blockers.push(`the integration user cannot edit ${field.label}, so a rep applies it`);
  if (SUGGEST_ONLY_OBJECTS.includes(target.object))
    blockers.push(
      `${field.label} is on the ${target.object.toLowerCase()}, which Pipeline Scribe only suggests to; a rep applies it`,
    );
  const currency =
    policy.insight === 'budget'
      ? input.insights.budget?.currency
      : policy.insight === 'annualRevenue'
        ? input.insights.annualRevenue?.currency
        : undefined;
  if (currency && currency !== input.orgCurrency && field.type === 'currency') {
    blockers.push(
      `the amount was stated in ${currency} and ${field.label} is kept in ${input.orgCurrency}; check it before accepting`,
    );
  }
  if (repValue && policy.overwritePolicy === 'If empty') {
    blockers.push(
      `${field.label} holds "${currentText}", which a rep typed; the policy fills it only when empty, so this replaces it only if the rep accepts`,
    );
  }
  const auto = wantsAuto && blockers.length === 0;
  const evidenceReasons = isStage
    ? (input.insights.stageSuggestion?.reasons ?? [])
    : [`said: "${update.evidence.quote}"`];
  const suggestion: PlannedSuggestion = {
    ...emptySuggestion(suggestionId, isStage ? 'Stage' : 'Field', converted.text),
    targetObject: target.object,
    targetField: field.name,
    opportunityId: opportunity.id,
    accountId: opportunity.accountId,
    valueAtSuggestion: currentText,
    confidence: update.confidence,
    evidence: update.evidence,
    reasons: [...evidenceReasons, ...why, ...blockers],
  };
  if (!auto) {
    const alreadyProposed = opportunity.pendingSuggestions.find(
      (p) =>
        p.targetField === field.name &&
        p.status === 'Pending' &&
        p.externalId !== suggestionId &&
        (!existing || p.conversationId !== existing.id) &&
        sameValue(converted.value, p.proposedValue),
    );
    if (alreadyProposed) {
      return outcome(
        'kept',
        `an earlier conversation's pending suggestion already proposes "${converted.text}"`,
        converted.text,
      );
    }
    out.suggestions.push(suggestion);
    return outcome(
      'suggested',
      [...why, ...blockers].join('; ') || 'the field policy asks a rep to decide',
      converted.text,
    );
  }
  out.suggestions.push({ ...suggestion, status: 'Auto-applied', appliedValue: converted.text });
  out.applies.push({
    field: field.name,
    value: converted.value,
    text: converted.text,
    previousText: currentText,
    suggestionExternalId: suggestionId,
    provenanceExternalId: externalKey(sourceId, `${opportunity.id}.${field.name}`),
    policy: `Field_Policy.${policy.developerName}`,
    confidence: update.confidence,
    evidence: update.evidence,
  });
  outcome('auto-applied', why.join('; '), converted.text);
}

export function decideFields(input: FieldDecisionInput): FieldDecisions {
  const out: FieldDecisions = { suggestions: [], applies: [], outcomes: [] };
  for (const update of input.insights.fieldUpdates) decideOne(input, update, out);
  return out;
}
