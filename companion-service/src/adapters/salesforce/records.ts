import type { Insights } from '../../domain/insights/schema.js';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import { toText } from '../../domain/writeback/field-values.js';
import type { PlannedApply, PlannedSuggestion } from '../../domain/writeback/plan.js';
import { conversationNotes } from '../../domain/notes/conversation-notes.js';

/**
 * The package's records as the write-back fills them: Conversation__c, Suggestion__c and
 * Field_Provenance__c bodies from the decision, with long text clipped to the fields' lengths.
 */

export const CONVERSATION_FIELDS = [
  'Name',
  'Source__c',
  'Source_Id__c',
  'Account__c',
  'Opportunity__c',
  'Occurred_At__c',
  'Content__c',
  'Summary__c',
  'Decisions__c',
  'Objections__c',
  'Next_Steps__c',
  'Stakeholders__c',
  'Budget_Signals__c',
  'Timeline_Signals__c',
  'Competitors_Mentioned__c',
  'Extractor__c',
  'Extractor_Version__c',
  'Language__c',
  'Processing_Status__c',
  'Processing_Error__c',
  // Set by conversation-write.ts when it logs the conversation as a Task or an Event.
  'Activity_Id__c',
] as const;

export const SUGGESTION_FIELDS = [
  'External_Id__c',
  'Conversation__c',
  'Opportunity__c',
  'Account__c',
  'Type__c',
  'Target_Object__c',
  'Target_Field__c',
  'Target_Record_Id__c',
  'Value_At_Suggestion__c',
  'Proposed_Value__c',
  'Confidence__c',
  'Evidence_Quote__c',
  'Evidence_Start__c',
  'Evidence_End__c',
  'Reasons__c',
  'Status__c',
  'Status_Reason__c',
  'Applied_Value__c',
  'Due_Date__c',
  'Task_Priority__c',
  'Contact_Title__c',
  'Contact_Role__c',
  'Contact_Email__c',
  'Contact_Phone__c',
  'Contact_Mobile__c',
] as const;

const LONG_TEXT = 32_768;
const CONTENT = 131_072;
const clip = (text: string | null, max = LONG_TEXT) =>
  text === null || text.length <= max ? text : text.slice(0, max - 1) + '…';
const orNull = (text: string) => (text.trim() === '' ? null : text);

export type SourceLabel = 'Gong Call' | 'Meeting' | 'Email' | 'Notes' | 'Voice Memo';

export interface ConversationRecordInput {
  insights: Insights;
  text: string;
  title: string;
  source: SourceLabel;
  sourceId: string;
  accountId: string | null;
  opportunityId: string | null;
  status: 'Processed' | 'Failed';
  error: string | null;
}

export function conversationRecord(input: ConversationRecordInput): Record<string, RecordValue> {
  const notes = conversationNotes(input.insights);
  const date = input.insights.source.meetingDate;
  return {
    Name: input.title.slice(0, 80),
    Source__c: input.source,
    Source_Id__c: input.sourceId,
    Account__c: input.accountId,
    Opportunity__c: input.opportunityId,
    Occurred_At__c: date ? `${date}T00:00:00.000Z` : null,
    Content__c: clip(input.text, CONTENT),
    Summary__c: clip(orNull(notes.summary)),
    Decisions__c: clip(orNull(notes.decisions)),
    Objections__c: clip(orNull(notes.objections)),
    Next_Steps__c: clip(orNull(notes.nextSteps)),
    Stakeholders__c: clip(orNull(notes.stakeholders)),
    Budget_Signals__c: clip(orNull(notes.budgetSignals)),
    Timeline_Signals__c: clip(orNull(notes.timelineSignals)),
    Competitors_Mentioned__c: clip(orNull(notes.competitors)),
    Extractor__c: input.insights.source.extractor.slice(0, 80),
    Extractor_Version__c: input.insights.source.extractorVersion.slice(0, 40),
    Language__c: input.insights.language?.slice(0, 35) ?? null,
    Processing_Status__c: input.status,
    Processing_Error__c: clip(input.error),
  };
}

export function suggestionRecord(s: PlannedSuggestion, conversation: string): Record<string, RecordValue> {
  return {
    External_Id__c: s.externalId,
    Conversation__c: conversation,
    Opportunity__c: s.opportunityId,
    Account__c: s.accountId,
    Type__c: s.type,
    Target_Object__c: s.targetObject,
    Target_Field__c: s.targetField,
    Target_Record_Id__c:
      s.targetRecordId ??
      (s.targetObject === 'Opportunity'
        ? s.opportunityId
        : s.targetObject === 'Account'
          ? s.accountId
          : null),
    Value_At_Suggestion__c: clip(s.valueAtSuggestion),
    Proposed_Value__c: clip(s.proposedValue),
    Confidence__c: Math.round(s.confidence * 100) / 100,
    Evidence_Quote__c: clip(s.evidence?.quote ?? null),
    Evidence_Start__c: s.evidence?.start ?? null,
    Evidence_End__c: s.evidence?.end ?? null,
    Reasons__c: clip(orNull(s.reasons.join('\n'))),
    Status__c: s.status,
    Status_Reason__c: clip(s.statusReason),
    Applied_Value__c: clip(s.appliedValue),
    Due_Date__c: s.dueDate,
    Task_Priority__c: s.taskPriority,
    Contact_Title__c: s.contactTitle,
    Contact_Role__c: s.contactRole,
    Contact_Email__c: s.contactEmail,
    Contact_Phone__c: s.contactPhone ?? null,
    Contact_Mobile__c: s.contactMobile ?? null,
  };
}

export interface ProvenanceContext {
  opportunityId: string;
  conversation: string;
  suggestion: string;
  extractor: string;
  extractorVersion: string;
  appliedAt: string;
}

export function provenanceRecord(a: PlannedApply, ctx: ProvenanceContext): Record<string, RecordValue> {
  return {
    External_Id__c: a.provenanceExternalId,
    Object_Name__c: 'Opportunity',
    Record_Id__c: ctx.opportunityId,
    Opportunity__c: ctx.opportunityId,
    Field_Name__c: a.field,
    Previous_Value__c: clip(a.previousText),
    New_Value__c: clip(a.text),
    Conversation__c: ctx.conversation,
    Suggestion__c: ctx.suggestion,
    Evidence_Quote__c: clip(a.evidence.quote),
    Evidence_Start__c: a.evidence.start,
    Evidence_End__c: a.evidence.end,
    Extractor__c: ctx.extractor.slice(0, 80),
    Extractor_Version__c: ctx.extractorVersion.slice(0, 40),
    Confidence__c: Math.round(a.confidence * 100) / 100,
    Applied_By_Policy__c: a.policy.slice(0, 80),
    Applied_At__c: ctx.appliedAt,
  };
}

/** The fields whose desired value differs from what the org holds (text forms compared). */
export function changedFields(
  desired: Record<string, RecordValue>,
  existing: Record<string, RecordValue> | null | undefined,
): Record<string, RecordValue> {
  if (!existing) return desired;
  const same = (a: RecordValue | undefined, b: RecordValue | undefined) => {
    if (typeof a === 'number' || typeof b === 'number')
      return a !== null && b !== null && Number(a) === Number(b);
    return toText(a ?? null) === toText(b ?? null);
  };
  return Object.fromEntries(Object.entries(desired).filter(([k, v]) => !same(v, existing[k])));
}
