import { z } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { trustFor, type EarnedTrustPolicy } from '../../domain/writeback/earned-trust.js';
import { PermanentEventError, type ReceivedEvent } from '../../adapters/salesforce/pubsub-subscriber.js';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import {
  DECISIONS,
  type RescoreRequests,
  type SuggestionDecision,
  type SuggestionDecisionLog,
} from '../../domain/writeback/platform-events-records.js';

/**
 * What each platform event does. Conversation_Captured__e becomes an ingest job that reads the
 * Conversation__c and processes it like any conversation; Suggestion_Decided__e is recorded as a
 * rep's decision and the field's earned trust is re-read from the record; Opportunity_Changed__e
 * asks for the deal to be re-scored. Every payload is checked first: one the package could not
 * have sent is refused as permanent (dead-lettered with the field at fault), never retried.
 */

export const TOPICS = {
  conversationCaptured: '/event/Conversation_Captured__e',
  suggestionDecided: '/event/Suggestion_Decided__e',
  opportunityChanged: '/event/Opportunity_Changed__e',
} as const;

export const PLATFORM_EVENT_TOPICS: string[] = Object.values(TOPICS);

/** Decisions read back per field for earned trust, as the write decision reads them from the org. */
const TRUST_WINDOW = 200;

// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
const recordId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'expected a Salesforce id');
const optionalId = recordId.nullish();
const text = z.string().nullish();
/** Salesforce sends DateTime fields as epoch milliseconds. */
const epochMs = z.number().int().nonnegative();

const ConversationCapturedSchema = z.object({
  Conversation_Id__c: recordId,
  Opportunity_Id__c: optionalId,
  Account_Id__c: optionalId,
  Source__c: text,
  Recording_Document_Id__c: text,
  Captured_By_Id__c: text,
  CreatedDate: epochMs,
});

const SuggestionDecidedSchema = z.object({
  Suggestion_Id__c: recordId,
  Suggestion_External_Id__c: text,
  Decision__c: z.enum(DECISIONS),
  Opportunity_Id__c: optionalId,
  Target_Object__c: text,
  Target_Field__c: text,
  Target_Record_Id__c: text,
  Proposed_Value__c: text,
  Applied_Value__c: text,
  Confidence__c: z.number().nullish(),
  Decided_By_Id__c: text,
  Decided_At__c: epochMs.nullish(),
  Message__c: text,
  CreatedDate: epochMs,
});

const OpportunityChangedSchema = z.object({
  Opportunity_Id__c: recordId,
  Changed_Fields__c: text,
  Is_New__c: z.boolean().nullish(),
  Changed_At__c: epochMs.nullish(),
  CreatedDate: epochMs,
});

/** What an ingest job from Conversation_Captured__e carries; resolve-input reads the record from it. */
export const CapturedConversationJobSchema = z.object({
  conversationId: recordId,
  opportunityId: recordId.nullable(),
  accountId: recordId.nullable(),
  source: z.string().nullable(),
  hasRecording: z.boolean(),
});
export type CapturedConversationJob = z.infer<typeof CapturedConversationJobSchema>;

export interface PlatformEventDeps {
  queue: IngestQueue;
  decisions: SuggestionDecisionLog;
  rescores: RescoreRequests;
  /** The field's earned-trust policy from Field_Policy__mdt, or null when it has none. */
  trustPolicy: (objectName: string, fieldName: string) => Promise<EarnedTrustPolicy | null>;
  logger: Logger;
}

function parsed<T extends z.ZodType>(schema: T, event: ReceivedEvent): z.infer<T> {
  const result = schema.safeParse(event.payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new PermanentEventError(
    `${event.topicName.replace('/event/', '')}.${issue.path.join('.') || 'payload'} is not valid: ${issue.message}`,
  );
}

/** EventUuid when the event has one; else the topic and replay id, which also name one event. */
export function eventKey(event: ReceivedEvent): string {
  return event.eventId
    ? `platform-event:${event.eventId}`
    : `platform-event:${event.topicName}:${event.replayId.toString()}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function conversationCaptured(deps: PlatformEventDeps, event: ReceivedEvent): Promise<void> {
  const fields = parsed(ConversationCapturedSchema, event);
  const job: CapturedConversationJob = {
    conversationId: fields.Conversation_Id__c,
    opportunityId: fields.Opportunity_Id__c ?? null,
    accountId: fields.Account_Id__c ?? null,
    source: fields.Source__c ?? null,
    hasRecording: Boolean(fields.Recording_Document_Id__c),
  };
  const result = await deps.queue.enqueue({
    source: 'platform-event',
    idempotencyKey: eventKey(event),
    correlationId: `sf-${fields.Conversation_Id__c}`,
    payload: job,
    receivedAt: iso(fields.CreatedDate),
  });
  deps.logger.info(
    {
      conversationId: result.conversationId,
      duplicate: result.duplicate,
      replayId: event.replayId.toString(),
    },
    result.duplicate ? 'captured conversation was already queued' : 'captured conversation queued',
  );
}

async function suggestionDecided(deps: PlatformEventDeps, event: ReceivedEvent): Promise<void> {
  const fields = parsed(SuggestionDecidedSchema, event);
  const decision: SuggestionDecision = {
    eventId: eventKey(event),
    suggestionId: fields.Suggestion_Id__c,
    externalId: fields.Suggestion_External_Id__c ?? null,
    decision: fields.Decision__c,
    opportunityId: fields.Opportunity_Id__c ?? null,
    targetObject: fields.Target_Object__c ?? null,
    targetField: fields.Target_Field__c ?? null,
    targetRecordId: fields.Target_Record_Id__c ?? null,
    proposedValue: fields.Proposed_Value__c ?? null,
    appliedValue: fields.Applied_Value__c ?? null,
    confidence: fields.Confidence__c ?? null,
    decidedById: fields.Decided_By_Id__c ?? null,
    decidedAt: iso(fields.Decided_At__c ?? fields.CreatedDate),
    message: fields.Message__c ?? null,
  };
  const fresh = await deps.decisions.record(decision);
  const log = deps.logger.child({ suggestionId: decision.suggestionId, decision: decision.decision });
  if (!fresh) {
    log.debug('suggestion decision already recorded');
    return;
  }
  const { targetObject, targetField } = decision;
  const policy = targetObject && targetField ? await deps.trustPolicy(targetObject, targetField) : null;
  if (!policy || !targetObject || !targetField) {
    log.info({ field: targetField }, 'suggestion decision recorded');
    return;
  }
  const trust = trustFor(
    policy,
    await deps.decisions.recentForField(targetObject, targetField, TRUST_WINDOW),
  );
  log.info(
    { field: `${targetObject}.${targetField}`, earned: trust.earned, demoted: trust.demoted },
    `suggestion decision recorded; earned trust: ${trust.explanation}`,
  );
}

async function opportunityChanged(deps: PlatformEventDeps, event: ReceivedEvent): Promise<void> {
  const fields = parsed(OpportunityChangedSchema, event);
  const changedFields = (fields.Changed_Fields__c ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  await deps.rescores.request({
    opportunityId: fields.Opportunity_Id__c,
    changedFields,
    isNew: fields.Is_New__c ?? false,
    eventId: eventKey(event),
    requestedAt: iso(fields.Changed_At__c ?? fields.CreatedDate),
  });
  deps.logger.info({ opportunityId: fields.Opportunity_Id__c, changedFields }, 'deal re-score requested');
}

/** The subscriber's hand-off: resolves once the event's effect is durably recorded. */
export function platformEventHandler(deps: PlatformEventDeps): (event: ReceivedEvent) => Promise<void> {
  return async (event) => {
    switch (event.topicName) {
      case TOPICS.conversationCaptured:
        return conversationCaptured(deps, event);
      case TOPICS.suggestionDecided:
        return suggestionDecided(deps, event);
      case TOPICS.opportunityChanged:
        return opportunityChanged(deps, event);
      default:
        throw new PermanentEventError(`no handler for ${event.topicName}`);
    }
  };
}
