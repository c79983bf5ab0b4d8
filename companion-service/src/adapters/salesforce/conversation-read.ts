import type { MatchHints } from '../../domain/matching/match-opportunity.js';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import type {
  ContactView,
  ExistingConversation,
  OpportunityView,
  TrustDecision,
} from '../../domain/writeback/org-view.js';
import type { OrgSnapshot } from './org-rules.js';
import type { CompositeSubrequest, SalesforceApi } from './salesforce-client.js';
import { bodyOf, queryPath, queryResultOf, soqlList, soqlString, withAllPages } from './responses.js';
import {
  ContactRowSchema,
  ConversationRowSchema,
  OpportunityRowSchema,
  toOpportunity,
  toProvenance,
  toSuggestion,
  TrustRowSchema,
  trustDecisions,
} from './conversation-rows.js';
import { CONVERSATION_FIELDS, SUGGESTION_FIELDS } from './records.js';

/**
 * The one read per conversation: a composite of at most five queries that brings the candidate
 * deals (with contact roles, pending suggestions and provenance), the contacts the participants are,
 * what earlier processing of this conversation wrote, and the reps' decisions earned trust counts.
 */

export interface ConversationRead {
  contacts: ContactView[];
  linked: OpportunityView | null;
  open: OpportunityView[];
  existing: ExistingConversation | null;
  /** The existing records as Salesforce holds them, to write only what changed. */
  existingConversationFields: Record<string, RecordValue> | null;
  existingSuggestionFields: Record<string, Record<string, RecordValue>>;
  trust: TrustDecision[];
}

const MAX_HINTS = 20;
const MAX_CANDIDATES = 20;
/**
 * The newest decisions earned trust is judged on, and the most pending suggestions (the newest) and
 * contact roles (the primary first) of one deal read: each fits the smallest page Salesforce answers a query or a child relationship with
 * (200 rows), so the read stays one call. More would page, a call per page.
 */
const TRUST_WINDOW = 200;
const PENDING_WINDOW = 200;
// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const PROVENANCE_FIELDS =
  'Id, External_Id__c, Field_Name__c, New_Value__c, Applied_By_Policy__c, Applied_At__c, Reverted_At__c';
const PENDING_FIELDS =
  'Id, External_Id__c, Conversation__c, Conversation__r.Occurred_At__c, Type__c, Target_Field__c, Value_At_Suggestion__c, Proposed_Value__c, Status__c';

/**
 * The deals' pending suggestions are read for what uses them (an earlier proposal of the same value,
 * and marking stale ones): field and stage suggestions only. Task and contact suggestions wait for a
 * rep without bound, and read here they would page the deal's child rows past the first batch
 * (a second call) on a busy deal.
 */
function opportunitySelect(snapshot: OrgSnapshot): string {
  const base = [
    'Id',
    'Name',
    'AccountId',
    'Account.Name',
    'StageName',
    'IsClosed',
    'OwnerId',
    'Owner.IsActive',
  ];
  const policyFields = snapshot.rules.fieldMappings
    .filter((m) => m.objectName === 'Opportunity' && snapshot.opportunityFields[m.fieldName])
    .map((m) => m.fieldName);
  // Company facts live on the deal's account, read through the relationship in the same query.
  const accountFields = snapshot.rules.fieldMappings
    .filter((m) => m.objectName === 'Account' && snapshot.accountFields?.[m.fieldName])
    .map((m) => `Account.${m.fieldName}`);
  const fields = [...new Set([...base, ...policyFields, ...accountFields])];
  return `SELECT ${fields.join(', ')},
    (SELECT ContactId, Contact.Name, Contact.Email, Role, IsPrimary FROM OpportunityContactRoles ORDER BY IsPrimary DESC LIMIT ${PENDING_WINDOW}),
    (SELECT ${PENDING_FIELDS} FROM Scribe_Suggestions__r WHERE Status__c = 'Pending' AND Type__c IN ('Field', 'Stage') ORDER BY CreatedDate DESC LIMIT ${PENDING_WINDOW}),
    (SELECT ${PROVENANCE_FIELDS} FROM Field_Provenance__r ORDER BY Applied_At__c DESC LIMIT 50)
    FROM Opportunity`;
}

/**
 * The contact fields the contact policies name, those the integration user can read (describe leaves
 * out what field-level security hides; a query naming one would fail), beside Id, Name and Email.
 */
function contactSelect(snapshot: OrgSnapshot): string[] {
  const readable = snapshot.contactFields ?? {};
  const policyFields = snapshot.rules.fieldMappings
    .filter((m) => m.objectName === 'Contact' && readable[m.fieldName])
    .map((m) => m.fieldName);
  return [...new Set(['Id', 'Name', 'Email', ...policyFields])];
}

export function buildReadRequests(
  hints: MatchHints,
  sourceId: string,
  snapshot: OrgSnapshot,
): CompositeSubrequest[] {
  const requests: CompositeSubrequest[] = [];
  const emails = hints.emails.slice(0, MAX_HINTS);
  const names = hints.names.slice(0, MAX_HINTS);
  const who = [
    emails.length ? `Email IN (${soqlList(emails)})` : '',
    names.length ? `Name IN (${soqlList(names)})` : '',
  ]
    .filter(Boolean)
    .join(' OR ');
  const linkedId = hints.requestedOpportunityId ?? hints.crmOpportunityId;
  if (who) {
    requests.push({
      method: 'GET',
      referenceId: 'contacts',
      path: queryPath(
        `SELECT ${contactSelect(snapshot).join(', ')}, AccountId, Account.Name FROM Contact WHERE ${who} LIMIT 50`,
      ),
    });
  }
  // Without a link in the request or the source, the deal this conversation was linked to before.
  const linkedWhere =
    linkedId && ID.test(linkedId)
      ? `Id = ${soqlString(linkedId)}`
      : `Id IN (SELECT Opportunity__c FROM Conversation__c WHERE Source_Id__c = ${soqlString(sourceId)})`;
  requests.push({
    method: 'GET',
    referenceId: 'linked',
    path: queryPath(`${opportunitySelect(snapshot)} WHERE ${linkedWhere}`),
  });
  const account =
    hints.requestedAccountId && ID.test(hints.requestedAccountId) ? hints.requestedAccountId : null;
  const accounts = account
    ? `AccountId = ${soqlString(account)}`
    : who
      ? `AccountId IN (SELECT AccountId FROM Contact WHERE ${who})`
      : '';
  if (accounts) {
    requests.push({
      method: 'GET',
      referenceId: 'open',
      path: queryPath(
        `${opportunitySelect(snapshot)} WHERE IsClosed = false AND ${accounts} ORDER BY CloseDate LIMIT ${MAX_CANDIDATES}`,
      ),
    });
  }
  requests.push({
    method: 'GET',
    referenceId: 'conversation',
    path: queryPath(
      `SELECT Id, ${CONVERSATION_FIELDS.join(', ')},
        (SELECT Id, ${SUGGESTION_FIELDS.join(', ')}, Conversation__r.Occurred_At__c FROM Suggestions__r),
        (SELECT ${PROVENANCE_FIELDS} FROM Field_Provenance__r)
       FROM Conversation__c WHERE Source_Id__c = ${soqlString(sourceId)}`,
    ),
  });
  const trustFields = snapshot.rules.fieldMappings
    .filter(
      (m) =>
        m.objectName === 'Opportunity' &&
        (m.autoApplyAfterAccepted !== null || m.demoteAfterRejections !== null),
    )
    .map((m) => m.fieldName);
  if (trustFields.length > 0) {
    requests.push({
      method: 'GET',
      referenceId: 'trust',
      path: queryPath(
        `SELECT Target_Object__c, Target_Field__c, Status__c, Decided_At__c, LastModifiedDate,
          (SELECT Reverted_At__c FROM Field_Provenance__r WHERE Reverted_At__c != null)
         FROM Suggestion__c WHERE Target_Object__c = 'Opportunity' AND Target_Field__c IN (${soqlList(trustFields)})
         AND Status__c IN ('Accepted', 'Edited', 'Rejected', 'Auto-applied') ORDER BY LastModifiedDate DESC LIMIT ${TRUST_WINDOW}`,
      ),
    });
  }
  return requests;
}

export async function readForConversation(
  api: SalesforceApi,
  hints: MatchHints,
  sourceId: string,
  snapshot: OrgSnapshot,
): Promise<ConversationRead> {
  const requests = buildReadRequests(hints, sourceId, snapshot);
  // Nothing more is read when every result fits its first page: one call, as a rule.
  const responses = await withAllPages(api, await api.composite(requests, false));
  const has = (ref: string) => requests.some((r) => r.referenceId === ref);
  const contacts = has('contacts')
    ? bodyOf(responses, 'contacts', queryResultOf(ContactRowSchema)).records
    : [];
  const linked = bodyOf(responses, 'linked', queryResultOf(OpportunityRowSchema)).records[0];
  const open = has('open') ? bodyOf(responses, 'open', queryResultOf(OpportunityRowSchema)).records : [];
  const conversation = bodyOf(responses, 'conversation', queryResultOf(ConversationRowSchema)).records[0];
  const trust = has('trust') ? bodyOf(responses, 'trust', queryResultOf(TrustRowSchema)).records : [];
  const pick = (row: Record<string, unknown>, fields: readonly string[]) =>
    Object.fromEntries(fields.map((f) => [f, (row[f] ?? null) as RecordValue]));
  return {
    contacts: contacts.map((c) => ({
      id: c.Id,
      name: c.Name,
      email: c.Email,
      accountId: c.AccountId,
      accountName: c.Account?.Name ?? null,
      values: pick(
        c,
        contactSelect(snapshot).filter((f) => f !== 'Id' && f !== 'Name'),
      ),
    })),
    linked: linked ? toOpportunity(linked, snapshot) : null,
    open: open.map((o) => toOpportunity(o, snapshot)),
    existing: conversation
      ? {
          id: conversation.Id,
          opportunityId: conversation.Opportunity__c,
          accountId: conversation.Account__c,
          suggestions: conversation.Suggestions__r.map(toSuggestion),
          provenance: conversation.Field_Provenance__r.map(toProvenance),
        }
      : null,
    existingConversationFields: conversation ? pick(conversation, CONVERSATION_FIELDS) : null,
    existingSuggestionFields: Object.fromEntries(
      (conversation?.Suggestions__r ?? [])
        .filter((s) => s.External_Id__c)
        .map((s) => [s.External_Id__c!, { Id: s.Id, ...pick(s, SUGGESTION_FIELDS) }]),
    ),
    trust: trustDecisions(trust),
  };
}
