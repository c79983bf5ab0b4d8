import { conversationKey } from '../domain/source/conversation-key.js';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Extractor } from '../domain/extraction/extractor.js';
import type { Insights } from '../domain/insights/schema.js';
import { customerNames } from '../domain/extraction/embedded/embedded-extractor.js';
import type { Conversation } from '../domain/source/conversation.js';
import type { OrgRules } from '../domain/org-rules.js';
import { parseConversation } from '../domain/source/detect.js';
import { matchOpportunity, type MatchResult } from '../domain/matching/match-opportunity.js';
import { failApplies, type WriteDecision } from '../domain/writeback/plan.js';
import {
  CountedApi,
  SalesforceApiError,
  type SalesforceApi,
} from '../adapters/salesforce/salesforce-client.js';
import { SalesforceAuthError } from '../adapters/salesforce/jwt-bearer.js';
import type { OrgSnapshotCache } from '../adapters/salesforce/org-rules.js';
import { readForConversation } from '../adapters/salesforce/conversation-read.js';
import {
  stepTarget,
  writeConversation,
  writeConversationStatus,
  type WriteInput,
  type WriteOutcome,
} from '../adapters/salesforce/conversation-write.js';
import { explainRefusal, type Refusal } from '../domain/writeback/refusal.js';
import { matchHints, sourceIdFor, type ConversationInput } from './conversation-input.js';
import {
  decideForMatch,
  extractForMatch,
  NO_WRITES,
  writeInputFor,
  type WriteContext,
} from './conversation-decision.js';
import { describeResult } from './describe-result.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { isTransientCode, TransientSalesforceError } from './ingest/failure-kinds.js';

/**
 * One conversation from text to Salesforce: parse, read the org once (deal candidates, contacts,
 * what is already there), match the deal, extract against its current stage, decide, and write once.
 * A rejected auto-apply is recorded as Failed with Salesforce's message and nothing half-written; a
 * row lock is retried once. A failure a later attempt may not meet (a lock that stays, 5xx, a
 * timeout, the API limit) is thrown as TransientSalesforceError with nothing written, for the queue
 * to retry; any other Salesforce failure is the result's status 'failed' with what Salesforce said.
 * A refusal for a missing permission (a field the integration user cannot read or edit, an object or
 * a record it has no access to) is permanent: nothing of the conversation is written but its
 * Conversation__c's Failed status and the refusal in words an admin acts on, and the result carries
 * the refusal (the worker sends it dead with that reason). Conversations with the same source id are
 * processed one at a time.
 */

/** Salesforce refused a read for a missing permission; thrown before anything was written. */
class RefusedRead extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = 'RefusedRead';
  }
}

export interface ProcessorDeps {
  api: SalesforceApi;
  snapshots: OrgSnapshotCache;
  extractor: Extractor;
  /** The customer's people a conversation names (the pool's threads in a service); in-process when unset. */
  customerNames?: (conversation: Conversation, rules: OrgRules) => Promise<string[]>;
  logger: Logger;
  now?: () => Date;
}

const TRANSIENT = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);
const NOTHING_WRITTEN: WriteOutcome = {
  wrote: false,
  conversationId: null,
  suggestionIds: {},
  provenanceIds: {},
  failure: null,
};
const NOT_RECORDED =
  'Salesforce refused marking its Conversation__c Failed too, so only this service holds the reason.';
const inProcessNames = async (conversation: Conversation, rules: OrgRules) =>
  customerNames(conversation, rules);

export class ConversationProcessor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ProcessorDeps) {}

  /** Parses first, so a bad input fails before any Salesforce call. */
  async process(input: ConversationInput, options: { logger?: Logger } = {}): Promise<ConversationResult> {
    const conversation = parseConversation(input.content);
    const sourceId = sourceIdFor(input, conversation);
    const previous = this.inFlight.get(sourceId) ?? Promise.resolve();
    const logger = options.logger ?? this.deps.logger;
    const run = previous.catch(() => undefined).then(() => this.run(input, sourceId, logger));
    this.inFlight.set(sourceId, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(sourceId) === run) this.inFlight.delete(sourceId);
    }
  }

  private async run(input: ConversationInput, sourceId: string, logger: Logger): Promise<ConversationResult> {
    const now = (this.deps.now ?? (() => new Date()))();
    const log = logger.child({ sourceId });
    const api = new CountedApi(this.deps.api);
    try {
      return await this.runWith(api, input, sourceId, now, log);
    } catch (error) {
      if (error instanceof RefusedRead) {
        const { refusal } = error;
        log.error(
          { code: refusal.code, object: refusal.object, fields: refusal.fields },
          'Salesforce refused a read for a missing permission',
        );
        const recorded = await this.recordStatus(api, sourceId, refusal.message, log);
        const outcome = recorded ? { ...NOTHING_WRITTEN, wrote: true, conversationId: recorded.id } : null;
        return failedBeforeWriting(sourceId, api, now, {
          outcome,
          errors: [{ code: refusal.code, message: refusal.message, fields: refusal.fields }],
          refusal: { ...refusal, message: recorded ? refusal.message : `${refusal.message} ${NOT_RECORDED}` },
        });
      }
      if (error instanceof SalesforceApiError && isTransientCode(error.errorCode)) {
        log.warn({ code: error.errorCode }, 'Salesforce failed in a way a later attempt may not meet');
        throw new TransientSalesforceError(error.errorCode, error.message);
      }
      if (!(error instanceof SalesforceApiError) && !(error instanceof SalesforceAuthError)) throw error;
      log.error(
        { code: error instanceof SalesforceApiError ? error.errorCode : 'AUTHENTICATION_FAILED' },
        'Salesforce did not take the conversation',
      );
      return failedBeforeWriting(sourceId, api, now, {
        outcome: null,
        errors: [
          {
            code: error instanceof SalesforceApiError ? error.errorCode : 'AUTHENTICATION_FAILED',
            message: error.message,
            fields: error instanceof SalesforceApiError ? error.fields : [],
          },
        ],
      });
    }
  }

  private async runWith(
    api: CountedApi,
    input: ConversationInput,
    sourceId: string,
    now: Date,
    log: Logger,
  ): Promise<ConversationResult> {
    const conversation = parseConversation(input.content);
    const snapshot = await this.deps.snapshots.get();
    const today = now.toISOString().slice(0, 10);
    const hints = matchHints(input, conversation, [], snapshot.rules);
    if (hints.emails.length === 0 && !input.opportunityId) {
      // Notes and memos name people without addresses: the people the embedded rules find are the
      // best hint to the deal. Only the people rules run here; the extractor runs once, below.
      const customers = await (this.deps.customerNames ?? inProcessNames)(conversation, snapshot.rules);
      hints.names = [...new Set([...hints.names, ...customers.filter((n) => n.includes(' '))])];
    }
    const read = await readForConversation(api, hints, sourceId, snapshot).catch((error: unknown) => {
      const refusal =
        error instanceof SalesforceApiError
          ? explainRefusal(error, { object: null, operation: 'read' })
          : null;
      throw refusal ? new RefusedRead(refusal) : error;
    });
    hints.previousOpportunityId = read.existing?.opportunityId ?? null;
    const match = matchOpportunity(hints, read.linked, read.open, read.contacts);
    const errors: ConversationResult['errors'] = [];
    const insights = await extractForMatch(input, match, snapshot, today, this.deps.extractor, errors);
    let decision = decideForMatch(insights, match, read, snapshot, sourceId, conversation);
    const ctx: WriteContext = { input, sourceId, conversation, insights, match, read, now };
    const writeInput = (d: WriteDecision, status?: 'Processed' | 'Failed', error?: string) =>
      writeInputFor(ctx, d, status, error ?? null);

    let outcome = await writeConversation(api, writeInput(decision));
    if (outcome.failure && TRANSIENT.has(outcome.failure.error.errorCode)) {
      log.warn(
        { step: outcome.failure.step, code: outcome.failure.error.errorCode },
        'write hit a transient error; retrying once',
      );
      outcome = await writeConversation(api, writeInput(decision));
    }
    if (outcome.failure && isTransientCode(outcome.failure.error.errorCode)) {
      const { step, error } = outcome.failure;
      log.warn({ step, code: error.errorCode }, 'the write-back was rolled back; it can be tried again');
      throw new TransientSalesforceError(error.errorCode, `${step}: ${error.message}`);
    }
    // Permanent until an admin grants it: write nothing else, say what is missing, and stop.
    const refused = async (failure: NonNullable<WriteOutcome['failure']>, refusal: Refusal) => {
      log.error(
        { step: failure.step, code: refusal.code, object: refusal.object, fields: refusal.fields },
        'Salesforce refused the write-back for a missing permission; nothing was written',
      );
      errors.push({ code: refusal.code, message: refusal.message, fields: refusal.fields });
      // The describes said it was allowed: read them again before the next conversation.
      this.deps.snapshots.invalidate();
      let recorded: WriteOutcome | null = null;
      if (failure.step !== 'conversation') {
        const marked = await this.recordFailure(api, writeInput(NO_WRITES, 'Failed', refusal.message), log);
        if (marked.wrote && !marked.failure) recorded = marked;
      }
      if (!recorded) {
        const marked = await this.recordStatus(api, sourceId, refusal.message, log);
        if (marked) recorded = { ...NOTHING_WRITTEN, wrote: true, conversationId: marked.id };
      }
      return describeResult({
        id: conversationKey(sourceId),
        sourceId,
        status: 'failed',
        format: conversation.format,
        insights,
        match,
        decision: { ...NO_WRITES, outcomes: decision.outcomes },
        outcome: recorded,
        errors,
        refusal: { ...refusal, message: recorded ? refusal.message : `${refusal.message} ${NOT_RECORDED}` },
        apiCalls: api.calls,
        processedAt: now.toISOString(),
      });
    };
    const refusalOf = (o: WriteOutcome) =>
      o.failure ? explainRefusal(o.failure.error, stepTarget(o.failure.step)) : null;
    let refusal = refusalOf(outcome);
    if (outcome.failure && refusal) return refused(outcome.failure, refusal);
    if (outcome.failure?.step === 'opportunity' && decision.applies.length > 0) {
      const { error } = outcome.failure;
      errors.push({ code: error.errorCode, message: error.message, fields: error.fields });
      log.warn(
        { code: error.errorCode, fields: error.fields },
        'Salesforce refused the auto-applied values; recording them as failed',
      );
      decision = failApplies(decision, error.message);
      outcome = await writeConversation(
        api,
        writeInput(decision, 'Processed', `Auto-apply failed: ${error.message}`),
      );
      refusal = refusalOf(outcome);
      if (outcome.failure && refusal) return refused(outcome.failure, refusal);
    }
    if (outcome.failure) {
      const { step, error } = outcome.failure;
      errors.push({ code: error.errorCode, message: `${step}: ${error.message}`, fields: error.fields });
      log.error({ step, code: error.errorCode }, 'the write-back was rolled back');
      outcome = await this.recordFailure(
        api,
        writeInput(NO_WRITES, 'Failed', `${step}: ${error.message}`),
        log,
      );
      return this.result(
        sourceId,
        'failed',
        conversation,
        insights,
        match,
        decision,
        outcome,
        errors,
        api.calls,
        now,
      );
    }
    return this.result(
      sourceId,
      'processed',
      conversation,
      insights,
      match,
      decision,
      outcome,
      errors,
      api.calls,
      now,
    );
  }

  /** Best effort, one call: only the Conversation__c's Failed status and why. */
  private async recordStatus(
    api: SalesforceApi,
    sourceId: string,
    error: string,
    log: Logger,
  ): Promise<{ id: string | null } | null> {
    try {
      return await writeConversationStatus(api, sourceId, 'Failed', error);
    } catch (failure) {
      log.error(
        { code: failure instanceof SalesforceApiError ? failure.errorCode : 'UNKNOWN' },
        'could not record the refusal on the Conversation__c either',
      );
      return null;
    }
  }

  /** Best effort: the Conversation__c says Failed and why, so nothing is silently lost. */
  private async recordFailure(api: SalesforceApi, input: WriteInput, log: Logger): Promise<WriteOutcome> {
    try {
      return await writeConversation(api, input);
    } catch (error) {
      log.error({ err: error }, 'could not record the failure on the conversation either');
      return {
        wrote: false,
        conversationId: input.existingConversationId,
        suggestionIds: {},
        provenanceIds: {},
        failure: null,
      };
    }
  }

  private result(
    sourceId: string,
    status: ConversationResult['status'],
    conversation: ReturnType<typeof parseConversation>,
    insights: Insights,
    match: MatchResult,
    decision: WriteDecision,
    outcome: WriteOutcome,
    errors: ConversationResult['errors'],
    apiCalls: number,
    now: Date,
  ): ConversationResult {
    return describeResult({
      id: conversationKey(sourceId),
      sourceId,
      status,
      format: conversation.format,
      insights,
      match,
      decision: status === 'failed' ? { ...NO_WRITES, outcomes: decision.outcomes } : decision,
      outcome,
      errors,
      apiCalls,
      processedAt: now.toISOString(),
    });
  }
}

/** A conversation Salesforce refused before anything of it was decided: no insights, no match, no writes. */
function failedBeforeWriting(
  sourceId: string,
  api: CountedApi,
  now: Date,
  parts: Pick<Parameters<typeof describeResult>[0], 'outcome' | 'errors' | 'refusal'>,
): ConversationResult {
  return describeResult({
    id: conversationKey(sourceId),
    sourceId,
    status: 'failed',
    format: null,
    insights: null,
    match: null,
    decision: NO_WRITES,
    apiCalls: api.calls,
    processedAt: now.toISOString(),
    ...parts,
  });
}
