import { z } from 'zod';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import type { OpportunityView, SuggestionView, TrustDecision } from '../../domain/writeback/org-view.js';
import type { OrgSnapshot } from './org-rules.js';
import { childRecordsOf } from './responses.js';

/**
 * The rows the conversation read brings back, checked with zod, and their mapping to the views the
 * write decision works on.
 */

const Str = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
export const SuggestionRowSchema = z.looseObject({
  Id: z.string(),
  External_Id__c: Str,
  Conversation__c: Str,
  Conversation__r: z.looseObject({ Occurred_At__c: Str }).nullish(),
  Type__c: Str,
  Target_Field__c: Str,
  Value_At_Suggestion__c: Str,
  Proposed_Value__c: Str,
  Evidence_Quote__c: Str,
  Status__c: z
    .string()
    .nullish()
    .transform((v) => v ?? 'Pending'),
});
export const ProvenanceRowSchema = z.looseObject({
  Id: z.string(),
  External_Id__c: Str,
  Field_Name__c: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  New_Value__c: Str,
  Applied_By_Policy__c: Str,
  Applied_At__c: Str,
  Reverted_At__c: Str,
});
export const OpportunityRowSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  AccountId: Str,
  Account: z.looseObject({ Name: Str }).nullish(),
  StageName: z.string(),
  IsClosed: z.boolean(),
  OwnerId: Str,
  Owner: z.looseObject({ IsActive: z.boolean().nullish() }).nullish(),
  OpportunityContactRoles: childRecordsOf(
    z.looseObject({
      ContactId: z.string(),
      Role: Str,
      IsPrimary: z.boolean().nullish(),
      Contact: z.looseObject({ Name: Str, Email: Str }).nullish(),
    }),
  ),
  Scribe_Suggestions__r: childRecordsOf(SuggestionRowSchema),
  Field_Provenance__r: childRecordsOf(ProvenanceRowSchema),
});
export const ContactRowSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Email: Str,
  AccountId: Str,
  Account: z.looseObject({ Name: Str }).nullish(),
});
export const ConversationRowSchema = z.looseObject({
  Id: z.string(),
  Opportunity__c: Str,
  Account__c: Str,
  Suggestions__r: childRecordsOf(SuggestionRowSchema),
  Field_Provenance__r: childRecordsOf(ProvenanceRowSchema),
});
export const TrustRowSchema = z.looseObject({
  Target_Object__c: Str,
  Target_Field__c: Str,
  Status__c: z.string(),
  Decided_At__c: Str,
  LastModifiedDate: z.string(),
  Field_Provenance__r: childRecordsOf(z.looseObject({ Reverted_At__c: Str })),
});

export function toSuggestion(row: z.infer<typeof SuggestionRowSchema>): SuggestionView {
  return {
    id: row.Id,
    externalId: row.External_Id__c,
    conversationId: row.Conversation__c,
    conversationOccurredAt: row.Conversation__r?.Occurred_At__c ?? null,
    type: row.Type__c as SuggestionView['type'],
    targetField: row.Target_Field__c,
    valueAtSuggestion: row.Value_At_Suggestion__c,
    proposedValue: row.Proposed_Value__c,
    evidenceQuote: row.Evidence_Quote__c,
    status: row.Status__c as SuggestionView['status'],
  };
}

export function toProvenance(row: z.infer<typeof ProvenanceRowSchema>) {
  return {
    id: row.Id,
    externalId: row.External_Id__c,
    field: row.Field_Name__c,
    newValue: row.New_Value__c,
    appliedByPolicy: row.Applied_By_Policy__c,
    appliedAt: row.Applied_At__c,
    revertedAt: row.Reverted_At__c,
  };
}

export function toOpportunity(
  row: z.infer<typeof OpportunityRowSchema>,
  snapshot: OrgSnapshot,
): OpportunityView {
  const values: Record<string, RecordValue> = {};
  const accountValues: Record<string, RecordValue> = {};
  const account = (row.Account ?? {}) as Record<string, unknown>;
  for (const m of snapshot.rules.fieldMappings) {
    // A contact policy's Title or Phone is the contact's, never the deal's; an Account policy's is the account's.
    if (m.objectName !== 'Opportunity' && m.objectName !== 'Account') continue;
    const [from, into] = m.objectName === 'Account' ? [account, accountValues] : [row, values];
    const v = (from as Record<string, unknown>)[m.fieldName];
    if (v !== undefined) into[m.fieldName] = v as RecordValue;
  }
  return {
    id: row.Id,
    name: row.Name,
    accountId: row.AccountId,
    accountName: row.Account?.Name ?? null,
    stageName: row.StageName,
    isClosed: row.IsClosed,
    // Work can be assigned only to an active user; a departed rep's deal logs its activity as ours.
    activeOwnerId: row.Owner?.IsActive === true ? (row.OwnerId ?? null) : null,
    values,
    accountValues,
    contactRoles: row.OpportunityContactRoles.map((r) => ({
      contactId: r.ContactId,
      contactName: r.Contact?.Name ?? null,
      email: r.Contact?.Email ?? null,
      role: r.Role,
      isPrimary: r.IsPrimary === true,
    })),
    pendingSuggestions: row.Scribe_Suggestions__r.map(toSuggestion),
    provenance: row.Field_Provenance__r.map(toProvenance),
  };
}

export function trustDecisions(rows: z.infer<typeof TrustRowSchema>[]): TrustDecision[] {
  const out: TrustDecision[] = [];
  for (const row of rows) {
    if (!row.Target_Object__c || !row.Target_Field__c) continue;
    const reverted = row.Field_Provenance__r.find((p) => p.Reverted_At__c)?.Reverted_At__c;
    const base = { objectName: row.Target_Object__c, fieldName: row.Target_Field__c };
    if (reverted) out.push({ ...base, outcome: 'rejected', at: reverted });
    else if (row.Status__c === 'Accepted')
      out.push({ ...base, outcome: 'accepted', at: row.Decided_At__c ?? row.LastModifiedDate });
    else if (row.Status__c === 'Edited')
      out.push({ ...base, outcome: 'edited', at: row.Decided_At__c ?? row.LastModifiedDate });
    else if (row.Status__c === 'Rejected')
      out.push({ ...base, outcome: 'rejected', at: row.Decided_At__c ?? row.LastModifiedDate });
  }
  return out;
}
