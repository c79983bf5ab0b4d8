import { z } from 'zod';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import type { PlannedApply, PlannedSuggestion, StaleMark } from '../../domain/writeback/plan.js';
import type {
  CompositeSubrequest,
  CompositeSubresponse,
  SalesforceApi,
  SalesforceApiError,
} from './salesforce-client.js';
import type { Operation } from '../../domain/writeback/refusal.js';
import { changedFields, provenanceRecord, suggestionRecord } from './records.js';
import { SaveResultSchema, subrequestError } from './responses.js';
import type { ActivityEntry } from '../../domain/activity/activity-entry.js';
import { activityBody, kindOfActivityId, type ActivitySettings } from './activity-records.js';

/**
 * The one write per conversation: a single all-or-none composite that logs the conversation as a
 * completed Task or an Event (created once, its id kept on the Conversation__c, updated after), upserts
 * the Conversation__c by its source id, upserts the suggestions by external id, marks stale ones,
 * updates the deal's auto-applied fields and upserts a Field_Provenance__c for each. Only what changed
 * is sent, so processing a conversation again sends nothing at all.
 */

/** The activity a processed conversation is logged as, and where it is already logged. */
export interface ActivityWrite {
  entry: ActivityEntry;
  /** The opportunity (or, without one, the account) it is about. */
  whatId: string | null;
  /** The rep it is assigned to (the deal's active owner); null leaves it with the integration user. */
  ownerId: string | null;
  settings: ActivitySettings;
  /** The Task or Event logged before (Conversation__c.Activity_Id__c); null logs it anew. */
  existingId: string | null;
}

export interface WriteInput {
  sourceId: string;
  conversation: Record<string, RecordValue>;
  existingConversationId: string | null;
  existingConversationFields: Record<string, RecordValue> | null;
  suggestions: PlannedSuggestion[];
  existingSuggestionFields: Record<string, Record<string, RecordValue>>;
  stale: StaleMark[];
  opportunityId: string | null;
  applies: PlannedApply[];
  extractor: string;
  extractorVersion: string;
  now: string;
  /** Null when nothing is logged: the conversation failed, or it names no deal, account or contact. */
  activity: ActivityWrite | null;
  /**
   * The deal's active owner, who owns the Conversation__c, Suggestion__cs and Field_Provenance__cs
   * this write creates: the objects are Private, so the owner, their managers (role hierarchy) and
   * View All holders read them and no other rep does. Null (no deal, or its owner is inactive:
   * Salesforce refuses an inactive owner) leaves them with the integration user, seen by admins.
   */
  ownerId: string | null;
}

export interface WriteOutcome {
  /** False when nothing had changed, so no call was made. */
  wrote: boolean;
  conversationId: string | null;
  suggestionIds: Record<string, string>;
  provenanceIds: Record<string, string>;
  /** The step that failed and Salesforce's error, when the write was rolled back. */
  failure: { step: string; error: SalesforceApiError } | null;
}

const record = (type: string, fields: Record<string, RecordValue>) => ({ attributes: { type }, ...fields });

/**
 * The owner a record gets when this write creates it. Set once: a record already there keeps its
 * owner (a conversation a rep captured stays the rep's; one handed to a colleague stays handed).
 */
const ownedOnCreate = (ownerId: string | null, creates: boolean): Record<string, RecordValue> =>
  ownerId && creates ? { OwnerId: ownerId } : {};

/**
 * The Task or Event to create, or the one logged before to update when the conversation's record
 * changed (it is what the entry is written from); null when the logged one is up to date. A
 * conversation now logged as the other kind (a call sent again as a meeting) is logged anew.
 */
function activityRequest(
  activity: ActivityWrite | null,
  conversationChanged: boolean,
): CompositeSubrequest | null {
  if (!activity) return null;
  const { entry } = activity;
  const existing =
    activity.existingId && kindOfActivityId(activity.existingId) === entry.kind ? activity.existingId : null;
  if (existing && !conversationChanged) return null;
  const body = activityBody(entry, activity.whatId, activity.settings, existing === null);
  // Assigned once, when logged: a rep who hands the activity to a colleague keeps it that way.
  if (existing === null && activity.ownerId) body.OwnerId = activity.ownerId;
  return existing
    ? { method: 'PATCH', referenceId: 'activity', path: `/sobjects/${entry.kind}/${existing}`, body }
    : { method: 'POST', referenceId: 'activity', path: `/sobjects/${entry.kind}`, body };
}

export function buildWriteRequests(input: WriteInput): {
  requests: CompositeSubrequest[];
  suggestionOrder: string[];
} {
  const requests: CompositeSubrequest[] = [];
  const conversationChanges = { ...changedFields(input.conversation, input.existingConversationFields) };
  const activity = activityRequest(input.activity, Object.keys(conversationChanges).length > 0);
  if (activity) {
    requests.push(activity);
    // A new activity's id goes onto the Conversation__c in the same call, so a replay finds it.
    if (activity.method === 'POST') conversationChanges.Activity_Id__c = '@{activity.id}';
  }
  let conversationRef = input.existingConversationId;
  if (!input.existingConversationId || Object.keys(conversationChanges).length > 0) {
    // The source id travels in the URL; Salesforce refuses it in the body of an upsert by that field.
    const body = {
      ...Object.fromEntries(
        Object.entries(conversationChanges).filter(([field]) => field !== 'Source_Id__c'),
      ),
      ...ownedOnCreate(input.ownerId, !input.existingConversationId),
    };
    requests.push({
      method: 'PATCH',
      referenceId: 'conversation',
      path: `/sobjects/Conversation__c/Source_Id__c/${encodeURIComponent(input.sourceId)}`,
      body,
    });
    conversationRef = '@{conversation.id}';
  }
  const changed = input.suggestions
    .map((s) => {
      const desired = suggestionRecord(s, conversationRef!);
      const existing = input.existingSuggestionFields[s.externalId];
      return { externalId: s.externalId, changes: changedFields(desired, existing), existing };
    })
    .filter((c) => !c.existing || Object.keys(c.changes).length > 0);
  const suggestionOrder = changed.map((c) => c.externalId);
  if (changed.length > 0) {
    requests.push({
      method: 'PATCH',
      referenceId: 'suggestions',
      path: '/composite/sobjects/Suggestion__c/External_Id__c',
      body: {
        allOrNone: true,
        records: changed.map((c) =>
          record('Suggestion__c', {
            ...c.changes,
            ...ownedOnCreate(input.ownerId, !c.existing),
            External_Id__c: c.externalId,
          }),
        ),
      },
    });
  }
  if (input.stale.length > 0) {
    requests.push({
      method: 'PATCH',
      referenceId: 'stale',
      path: '/composite/sobjects',
      body: {
        allOrNone: true,
        records: input.stale.map((m) => ({
          ...record('Suggestion__c', { Status__c: 'Stale', Status_Reason__c: m.reason }),
          id: m.id,
        })),
      },
    });
  }
  if (input.opportunityId && input.applies.length > 0) {
    requests.push({
      method: 'PATCH',
      referenceId: 'opportunity',
      path: `/sobjects/Opportunity/${input.opportunityId}`,
      body: Object.fromEntries(input.applies.map((a) => [a.field, a.value])),
    });
    const suggestionRef = (externalId: string) => {
      const index = suggestionOrder.indexOf(externalId);
      return index >= 0
        ? `@{suggestions[${index}].id}`
        : String(input.existingSuggestionFields[externalId]?.Id ?? '');
    };
    requests.push({
      method: 'PATCH',
      referenceId: 'provenance',
      path: '/composite/sobjects/Field_Provenance__c/External_Id__c',
      body: {
        allOrNone: true,
        // Each apply is a new value, so its provenance is new (an upsert only to make a retry safe).
        records: input.applies.map((a) =>
          record('Field_Provenance__c', {
            ...ownedOnCreate(input.ownerId, true),
            ...provenanceRecord(a, {
              opportunityId: input.opportunityId!,
              conversation: conversationRef!,
              suggestion: suggestionRef(a.suggestionExternalId),
              extractor: input.extractor,
              extractorVersion: input.extractorVersion,
              appliedAt: input.now,
            }),
          }),
        ),
      },
    });
  }
  return { requests, suggestionOrder };
}

function savedIds(responses: CompositeSubresponse[], ref: string, keys: string[]): Record<string, string> {
  const response = responses.find((r) => r.referenceId === ref);
  const parsed = z.array(SaveResultSchema).safeParse(response?.body);
  if (!parsed.success) return {};
  return Object.fromEntries(
    keys.flatMap((key, i) => (parsed.data[i]?.id ? [[key, parsed.data[i]!.id!]] : [])),
  );
}

export async function writeConversation(api: SalesforceApi, input: WriteInput): Promise<WriteOutcome> {
  const { requests, suggestionOrder } = buildWriteRequests(input);
  const known = Object.fromEntries(
    Object.entries(input.existingSuggestionFields).map(([key, fields]) => [key, String(fields.Id)]),
  );
  if (requests.length === 0) {
    return {
      wrote: false,
      conversationId: input.existingConversationId,
      suggestionIds: known,
      provenanceIds: {},
      failure: null,
    };
  }
  const responses = await api.composite(requests, true);
  for (const response of responses) {
    const error = subrequestError(response);
    if (error && error.errorCode !== 'PROCESSING_HALTED') {
      return {
        wrote: false,
        conversationId: input.existingConversationId,
        suggestionIds: known,
        provenanceIds: {},
        failure: { step: response.referenceId, error },
      };
    }
  }
  const conversation = responses.find((r) => r.referenceId === 'conversation')?.body as
    { id?: string } | undefined;
  return {
    wrote: true,
    conversationId: conversation?.id ?? input.existingConversationId,
    suggestionIds: { ...known, ...savedIds(responses, 'suggestions', suggestionOrder) },
    provenanceIds: savedIds(
      responses,
      'provenance',
      input.applies.map((a) => a.provenanceExternalId),
    ),
    failure: null,
  };
}

/** What each step of the write does to which object, to say what Salesforce refused. */
const STEP_TARGETS: Record<string, { object: string; operation: Operation }> = {
  conversation: { object: 'Conversation__c', operation: 'upsert' },
  suggestions: { object: 'Suggestion__c', operation: 'upsert' },
  stale: { object: 'Suggestion__c', operation: 'edit' },
  opportunity: { object: 'Opportunity', operation: 'edit' },
  provenance: { object: 'Field_Provenance__c', operation: 'upsert' },
};

/** The object and operation of a failed step; the activity's object is the kind being written. */
export function stepTarget(
  step: string,
  activityKind: 'Task' | 'Event' = 'Task',
): { object: string | null; operation: Operation } {
  if (step === 'activity') return { object: activityKind, operation: 'upsert' };
  return STEP_TARGETS[step] ?? { object: null, operation: 'upsert' };
}

/**
 * Only the Conversation__c's status and error, upserted by its source id: what is left to say when
 * the full record cannot be written (Salesforce refused one of its fields, or the read never ran).
 * One call; null when Salesforce refused it, else the record's id as far as the answer says it.
 */
export async function writeConversationStatus(
  api: SalesforceApi,
  sourceId: string,
  status: 'Failed',
  error: string,
): Promise<{ id: string | null } | null> {
  const responses = await api.composite(
    [
      {
        method: 'PATCH',
        referenceId: 'conversation',
        path: `/sobjects/Conversation__c/Source_Id__c/${encodeURIComponent(sourceId)}`,
        body: { Processing_Status__c: status, Processing_Error__c: error },
      },
    ],
    true,
  );
  const [response] = responses;
  if (!response || subrequestError(response)) return null;
  return { id: (response.body as { id?: string } | null)?.id ?? null };
}
