import { createHash } from 'node:crypto';
import type { Evidence } from '../insights/schema.js';
import type { RecordValue } from './field-values.js';
import type { SuggestionStatus, SuggestionType } from './org-view.js';

/**
 * The write-back's decision for one conversation, before anything is written: the suggestions to
 * upsert, the field values to apply (each with its provenance), the older suggestions that went
 * stale, and an outcome per field saying what happened and why.
 */

export interface PlannedSuggestion {
  externalId: string;
  type: SuggestionType;
  targetObject: string | null;
  targetField: string | null;
  opportunityId: string | null;
  accountId: string | null;
  valueAtSuggestion: string | null;
  proposedValue: string;
  confidence: number;
  evidence: Evidence | null;
  reasons: string[];
  status: Extract<SuggestionStatus, 'Pending' | 'Auto-applied' | 'Failed'>;
  statusReason: string | null;
  appliedValue: string | null;
  dueDate: string | null;
  /** For a task: its Task Priority value. */
  taskPriority: TaskPriority | null;
  contactTitle: string | null;
  contactRole: string | null;
  contactEmail: string | null;
  /** The record a Field suggestion changes when it is not the deal: a contact's id. */
  targetRecordId?: string | null;
  /** A new contact's office and mobile numbers, as the conversation wrote them. */
  contactPhone?: string | null;
  contactMobile?: string | null;
}

/** Salesforce's standard Task Priority values. */
export type TaskPriority = 'High' | 'Normal' | 'Low';

export interface PlannedApply {
  field: string;
  /** Typed for the API (a number for a currency field, YYYY-MM-DD for a date). */
  value: RecordValue;
  text: string;
  previousText: string | null;
  suggestionExternalId: string;
  provenanceExternalId: string;
  policy: string;
  confidence: number;
  evidence: Evidence;
}

export interface StaleMark {
  id: string;
  reason: string;
}

/** `dropped`: the value its field would have taken was held back because its quote does not bear it out. */
export type FieldOutcomeKind =
  'auto-applied' | 'suggested' | 'unchanged' | 'kept' | 'skipped' | 'failed' | 'dropped';

export interface FieldOutcome {
  field: string;
  outcome: FieldOutcomeKind;
  value: string | null;
  reason: string;
}

export interface WriteDecision {
  suggestions: PlannedSuggestion[];
  applies: PlannedApply[];
  stale: StaleMark[];
  outcomes: FieldOutcome[];
}

const MAX_EXTERNAL_ID = 255;

/** External ids that make every write an upsert: the same conversation always yields the same keys. */
export function externalKey(sourceId: string, part: string): string {
  const key = `${sourceId}:${part}`;
  if (key.length <= MAX_EXTERNAL_ID) return key;
  const digest = createHash('sha256').update(sourceId).digest('hex').slice(0, 32);
  return `sha:${digest}:${part}`.slice(0, MAX_EXTERNAL_ID);
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'item'
  );
}

export function emptySuggestion(
  externalId: string,
  type: SuggestionType,
  proposedValue: string,
): PlannedSuggestion {
  return {
    externalId,
    type,
    targetObject: null,
    targetField: null,
    opportunityId: null,
    accountId: null,
    valueAtSuggestion: null,
    proposedValue,
    confidence: 0,
    evidence: null,
    reasons: [],
    status: 'Pending',
    statusReason: null,
    appliedValue: null,
    dueDate: null,
    taskPriority: null,
    contactTitle: null,
    contactRole: null,
    contactEmail: null,
  };
}

/**
 * When Salesforce refuses the applied values (a validation rule, a value the field will not take),
 * nothing is written for them: their suggestions are recorded as Failed with Salesforce's message,
 * so a rep sees why, and the rest of the decision stands.
 */
export function failApplies(decision: WriteDecision, reason: string): WriteDecision {
  const failed = new Set(decision.applies.map((a) => a.suggestionExternalId));
  const fields = new Set(decision.applies.map((a) => a.field));
  return {
    ...decision,
    applies: [],
    suggestions: decision.suggestions.map((s) =>
      failed.has(s.externalId) ? { ...s, status: 'Failed', statusReason: reason, appliedValue: null } : s,
    ),
    outcomes: decision.outcomes.map((o) =>
      o.outcome === 'auto-applied' && fields.has(o.field) ? { ...o, outcome: 'failed', reason } : o,
    ),
  };
}
