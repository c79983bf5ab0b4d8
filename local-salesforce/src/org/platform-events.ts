import { randomUUID } from 'node:crypto';
import { qualify, withLocalNames, type ObjectDef } from './schema/types.js';
import type { FieldValue, SObjectRecord } from './store/record-store.js';
import type { DmlContext, PublishedEvent } from './api/context.js';
import { formatDatetime } from './api/field-input.js';

/**
 * What the package's triggers announce, done by the local org on every save, whichever API made it
 * (Apex triggers fire on REST writes too): OpportunityTrigger → OpportunityChangePublisher (a new
 * opportunity, or a change of StageName, Amount or CloseDate) and ConversationTrigger →
 * ConversationCapturedPublisher (a conversation saved as Queued, or set back to Queued), with the
 * event fields the force-app definitions declare. Suggestion_Decided__e is not a trigger's: only
 * SuggestionService publishes it, which the local org runs as an Apex REST resource (api/apex-rest.ts);
 * a REST update of a suggestion announces nothing. Events go out after the transaction commits
 * (PublishAfterCommit) and only when someone listens, so the local org works the same without a bus.
 */

const QUEUED = 'Queued';
const MAX_KEPT_EVENTS = 10_000;

type Payload = Record<string, FieldValue>;

const value = (record: SObjectRecord | null, field: string): FieldValue => record?.[field] ?? null;

function opportunityChanged(record: SObjectRecord, previous: SObjectRecord | null): Payload | null {
  const changed = previous
    ? ['StageName', 'Amount', 'CloseDate'].filter((f) => value(record, f) !== value(previous, f))
    : [];
  if (previous && changed.length === 0) return null;
  return {
    Opportunity_Id__c: record.Id,
    Changed_Fields__c: changed.join(','),
    Stage_Name__c: value(record, 'StageName'),
    Previous_Stage_Name__c: value(previous, 'StageName'),
    Amount__c: value(record, 'Amount'),
    Previous_Amount__c: value(previous, 'Amount'),
    Close_Date__c: value(record, 'CloseDate'),
    Previous_Close_Date__c: value(previous, 'CloseDate'),
    Is_New__c: previous === null,
  };
}

function conversationCaptured(record: SObjectRecord, previous: SObjectRecord | null): Payload | null {
  const becameQueued =
    record.Processing_Status__c === QUEUED && value(previous, 'Processing_Status__c') !== QUEUED;
  if (!becameQueued) return null;
  return {
    Conversation_Id__c: record.Id,
    Opportunity_Id__c: value(record, 'Opportunity__c'),
    Account_Id__c: value(record, 'Account__c'),
    Source__c: value(record, 'Source__c'),
    Recording_Document_Id__c: value(record, 'Recording_Document_Id__c'),
  };
}

/** The event a save announces, if any: its type and fields (local names), without the acting user's. */
function eventForSave(
  object: ObjectDef,
  namespace: string,
  current: SObjectRecord,
  before: SObjectRecord | null,
  now: string,
): { type: string; payload: Payload; userField: string } | null {
  const record = withLocalNames(namespace, current)!;
  const previous = withLocalNames(namespace, before);
  const local =
    namespace && object.name.startsWith(`${namespace}__`)
      ? object.name.slice(namespace.length + 2)
      : object.name;
  switch (local) {
    case 'Opportunity': {
      const payload = opportunityChanged(record, previous);
      return (
        payload && {
          type: 'Opportunity_Changed__e',
          payload: { ...payload, Changed_At__c: now },
          userField: 'Changed_By_Id__c',
        }
      );
    }
    case 'Conversation__c': {
      const payload = conversationCaptured(record, previous);
      return payload && { type: 'Conversation_Captured__e', payload, userField: 'Captured_By_Id__c' };
    }
    default:
      return null;
  }
}

/** Publishes an event once the current transaction commits; a listener's failure never fails the write. */
export function publishAfterCommit(ctx: DmlContext, type: string, id: string, payload: Payload): void {
  const event: PublishedEvent = {
    type,
    id,
    uuid: randomUUID(),
    payload,
    createdDate: formatDatetime(ctx.now()),
    createdById: ctx.userId || null,
  };
  ctx.store.afterCommit(() => {
    ctx.events.push(event);
    // A long-running local org keeps the recent ones; the Pub/Sub server keeps its own log.
    if (ctx.events.length > MAX_KEPT_EVENTS) ctx.events.splice(0, ctx.events.length - MAX_KEPT_EVENTS);
    ctx.onEvent?.(event);
  });
}

/** Called for every saved record: announces what the package's triggers would. */
export function announceSave(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
): void {
  if (!ctx.onEvent) return;
  const namespace = ctx.schema.namespace;
  const announced = eventForSave(object, namespace, record, previous, formatDatetime(ctx.now()));
  if (!announced) return;
  const eventObject = ctx.schema.object(ctx.schema.apiName(announced.type));
  // A package without the event (an older force-app) announces nothing, as its org would.
  if (!eventObject) return;
  const payload = { ...announced.payload, [announced.userField]: ctx.userId || null };
  const known = Object.fromEntries(
    Object.entries(payload)
      .map(([field, v]) => [qualify(namespace, field), v] as const)
      .filter(([field]) => eventObject.fields.has(field.toLowerCase())),
  );
  publishAfterCommit(ctx, eventObject.name, ctx.store.newId(eventObject.name), known);
}
