import { conversationKey } from '../domain/source/conversation-key.js';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Extractor } from '../domain/extraction/extractor.js';
import { customerNames } from '../domain/extraction/embedded/embedded-extractor.js';
import { readInput } from './extract-conversation.js';
import { matchOpportunity } from '../domain/matching/match-opportunity.js';
import { failApplies, type WriteDecision } from '../domain/writeback/plan.js';
import type { Conversation } from '../domain/source/conversation.js';
import type { OrgRules } from '../domain/org-rules.js';
import {
  AUTHENTICATION_FAILED,
  CONVERSATION_FAILURES,
  readFailureKind,
  writeFailureKind,
  type FailureKind,
  type FailureRule,
  type WriteAttempt,
} from '../domain/conversation-failures.js';
import { SalesforceApiError, type SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import { CountedApi } from '../adapters/salesforce/wrapped-api.js';
import { SalesforceAuthError } from '../adapters/salesforce/jwt-bearer.js';
import type { OrgSnapshot, OrgSnapshotCache } from '../adapters/salesforce/org-rules.js';
import { readForConversation } from '../adapters/salesforce/conversation-read.js';
import {
  stepTarget,
  writeConversation,
  writeConversationStatus,
  type WriteInput,
  type WriteOutcome,
} from '../adapters/salesforce/conversation-write.js';
import { explainRefusal, type Refusal } from '../domain/writeback/refusal.js';
import { conversationOf, matchHints, sourceIdFor, type ConversationInput } from './conversation-input.js';
import {
  decideForMatch,
  extractForMatch,
  NO_WRITES,
  writeInputFor,
  type WriteContext,
} from './conversation-decision.js';
import { describeResult } from './describe-result.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { TransientSalesforceError } from './ingest/failure-kinds.js';

/**
 * One conversation from text to Salesforce: parse, read the org once (deal candidates, contacts,
 * what is already there), match the deal, extract against its current stage, decide, and write once.
 * What a failure does is the table in domain/conversation-failures.ts: a row lock is written again
 * once; a rejected auto-apply is recorded as Failed with Salesforce's message and the rest written;
 * weather (a lock that stays, 5xx, a timeout, the API limit) is thrown as TransientSalesforceError
 * with nothing written, for the queue; a refusal for a missing permission writes nothing but the
 * Conversation__c's Failed status and the refusal in words an admin acts on; any other Salesforce
 * failure is the result's status 'failed' with what Salesforce said. Conversations with the same
 * source id are processed one at a time.
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

/** One conversation in hand: where it is written and what the log and the result say of it. */
interface Run {
  api: CountedApi;
  sourceId: string;
  now: Date;
  log: Logger;
}

/** A conversation decided and being written back. */
interface Decided extends Run {
  ctx: WriteContext;
  decision: WriteDecision;
  errors: ConversationResult['errors'];
}

/** A Salesforce failure before anything was written, in the table's terms. */
interface Stopped {
  kind: FailureKind;
  error: ConversationResult['errors'][number];
  refusal: Refusal | null;
}

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

  /** Parses first, so a bad input fails before any Salesforce call (the read for the record does too). */
  async process(input: ConversationInput, options: { logger?: Logger } = {}): Promise<ConversationResult> {
    // A source id given (the API's stores the one it worked out on intake) needs no parse of its own.
    const sourceId = input.sourceId ?? sourceIdFor(input, conversationOf(input));
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
    const run: Run = { api: new CountedApi(this.deps.api), sourceId, now, log: logger.child({ sourceId }) };
    try {
      return await this.writeBack(await this.decide(run, input));
    } catch (error) {
      const stopped = stoppedBy(error);
      if (!stopped) throw error;
      return this.stoppedBeforeWriting(run, stopped);
    }
  }

  /** Reads the org once, matches the deal, extracts against it and decides what to write. */
  private async decide(run: Run, input: ConversationInput): Promise<Decided> {
    const { api, sourceId, now } = run;
    // Read once, a MIME message decoded, for both the record and the extractor: the record's text and
    // every evidence offset point into the same text.
    const source = await readInput(input.content, input.formatIn);
    const { conversation } = source;
    const snapshot = await this.deps.snapshots.get();
    const today = now.toISOString().slice(0, 10);
    const hints = await this.hintsFor(input, conversation, snapshot);
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
    const insights = await extractForMatch(
      input,
      source,
      match,
      snapshot,
      today,
      this.deps.extractor,
      errors,
    );
    const decision = decideForMatch(insights, match, read, snapshot, sourceId, conversation);
    const ctx: WriteContext = {
      input,
      sourceId,
      conversation,
      insights,
      match,
      read,
      now,
      activitySettings: snapshot.activity,
      sellers: { domains: snapshot.rules.sellerEmailDomains, people: snapshot.rules.sellerPeople },
    };
    return { ...run, ctx, decision, errors };
  }

  private async hintsFor(
    input: ConversationInput,
    conversation: Conversation,
    snapshot: OrgSnapshot,
  ): Promise<ReturnType<typeof matchHints>> {
    const hints = matchHints(input, conversation, [], snapshot.rules);
    if (hints.emails.length === 0 && !input.opportunityId) {
      // Notes and memos name people without addresses: the people the embedded rules find are the
      // best hint to the deal. Only the people rules run here; the extractor runs once, below.
      const customers = await (this.deps.customerNames ?? inProcessNames)(conversation, snapshot.rules);
      hints.names = [...new Set([...hints.names, ...customers.filter((n) => n.includes(' '))])];
    }
    return hints;
  }

  /** Writes once; each failure does what the table of conversation failures says for its kind. */
  private async writeBack(run: Decided): Promise<ConversationResult> {
    const { api, log } = run;
    const write = (decision: WriteDecision, status?: 'Processed' | 'Failed', error?: string) =>
      writeConversation(api, writeInputFor(run.ctx, decision, status, error ?? null));
    let attempt: WriteAttempt = 'first';
    let outcome = await write(run.decision);
    while (outcome.failure) {
      const { step, error } = outcome.failure;
      const refusal = explainRefusal(error, stepTarget(step, activityKind(run)));
      const applies = run.decision.applies.length > 0;
      const failure = { code: error.errorCode, step, refused: refusal !== null, applies };
      const kind = writeFailureKind(failure, attempt);
      const rule: FailureRule = CONVERSATION_FAILURES[kind];
      if (rule.verdict === 'refuse') return this.refused(run, outcome.failure, refusal!);
      if (rule.verdict === 'dead-letter') return this.rolledBack(run, outcome.failure);
      if (kind === 'activity-deleted') {
        log.warn(
          { code: error.errorCode },
          'the activity this conversation was logged as is gone; logging it anew',
        );
        run.ctx = { ...run.ctx, activityGone: true };
        attempt = 'activity-anew';
        outcome = await write(run.decision);
      } else if (rule.verdict === 'carry-on') {
        run.errors.push({ code: error.errorCode, message: error.message, fields: error.fields });
        log.warn(
          { code: error.errorCode, fields: error.fields },
          'Salesforce refused the auto-applied values; recording them as failed',
        );
        run.decision = failApplies(run.decision, error.message);
        attempt = 'without-applies';
        outcome = await write(run.decision, 'Processed', `Auto-apply failed: ${error.message}`);
      } else if (rule.when === 'at-once') {
        log.warn({ step, code: error.errorCode }, 'write hit a transient error; retrying once');
        attempt = 'again';
        outcome = await write(run.decision);
      } else {
        log.warn({ step, code: error.errorCode }, 'the write-back was rolled back; it can be tried again');
        throw new TransientSalesforceError(error.errorCode, `${step}: ${error.message}`);
      }
    }
    return this.result(run, 'processed', outcome);
  }

  /** Permanent until an admin grants it: write nothing else, say what is missing, and stop. */
  private async refused(
    run: Decided,
    failure: NonNullable<WriteOutcome['failure']>,
    refusal: Refusal,
  ): Promise<ConversationResult> {
    run.log.error(
      { step: failure.step, code: refusal.code, object: refusal.object, fields: refusal.fields },
      'Salesforce refused the write-back for a missing permission; nothing was written',
    );
    run.errors.push({ code: refusal.code, message: refusal.message, fields: refusal.fields });
    // The describes said it was allowed: read them again before the next conversation.
    this.deps.snapshots.invalidate();
    let recorded: WriteOutcome | null = null;
    if (failure.step !== 'conversation') {
      const input = writeInputFor(run.ctx, NO_WRITES, 'Failed', refusal.message);
      const marked = await this.recordFailure(run.api, input, run.log);
      if (marked.wrote && !marked.failure) recorded = marked;
    }
    if (!recorded) {
      const marked = await this.recordStatus(run, refusal.message);
      if (marked) recorded = { ...NOTHING_WRITTEN, wrote: true, conversationId: marked.id };
    }
    return this.result(run, 'failed', recorded, recordedRefusal(refusal, recorded !== null));
  }

  /** Salesforce rolled the write-back back for good: the Conversation__c says Failed and why. */
  private async rolledBack(
    run: Decided,
    failure: NonNullable<WriteOutcome['failure']>,
  ): Promise<ConversationResult> {
    const { step, error } = failure;
    run.errors.push({ code: error.errorCode, message: `${step}: ${error.message}`, fields: error.fields });
    run.log.error({ step, code: error.errorCode }, 'the write-back was rolled back');
    const input = writeInputFor(run.ctx, NO_WRITES, 'Failed', `${step}: ${error.message}`);
    return this.result(run, 'failed', await this.recordFailure(run.api, input, run.log));
  }

  /** Nothing was written: a refusal is recorded on the Conversation__c, weather goes back to the queue. */
  private async stoppedBeforeWriting(run: Run, stopped: Stopped): Promise<ConversationResult> {
    const { error, refusal } = stopped;
    const rule: FailureRule = CONVERSATION_FAILURES[stopped.kind];
    if (rule.verdict === 'refuse' && refusal) {
      run.log.error(
        { code: refusal.code, object: refusal.object, fields: refusal.fields },
        'Salesforce refused a read for a missing permission',
      );
      const recorded = await this.recordStatus(run, refusal.message);
      return nothingDecided(run, {
        outcome: recorded ? { ...NOTHING_WRITTEN, wrote: true, conversationId: recorded.id } : null,
        errors: [error],
        refusal: recordedRefusal(refusal, recorded !== null),
      });
    }
    if (rule.verdict === 'retry') {
      run.log.warn({ code: error.code }, 'Salesforce failed in a way a later attempt may not meet');
      throw new TransientSalesforceError(error.code, error.message);
    }
    run.log.error({ code: error.code }, 'Salesforce did not take the conversation');
    return nothingDecided(run, { outcome: null, errors: [error] });
  }

  /** Best effort, one call: only the Conversation__c's Failed status and why. */
  private async recordStatus(run: Run, error: string): Promise<{ id: string | null } | null> {
    try {
      return await writeConversationStatus(run.api, run.sourceId, 'Failed', error);
    } catch (failure) {
      run.log.error(
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
    run: Decided,
    status: ConversationResult['status'],
    outcome: WriteOutcome | null,
    refusal?: Refusal,
  ): ConversationResult {
    const { sourceId, conversation, insights, match } = run.ctx;
    const { decision } = run;
    return describeResult({
      id: conversationKey(sourceId),
      sourceId,
      status,
      format: conversation.format,
      insights,
      match,
      decision: status === 'failed' ? { ...NO_WRITES, outcomes: decision.outcomes } : decision,
      outcome,
      errors: run.errors,
      refusal,
      apiCalls: run.api.calls,
      processedAt: run.now.toISOString(),
    });
  }
}

/** The Salesforce failures that stop a conversation before anything is written; null for any other error. */
function stoppedBy(error: unknown): Stopped | null {
  if (error instanceof RefusedRead) {
    const { refusal } = error;
    const said = { code: refusal.code, message: refusal.message, fields: refusal.fields };
    return { kind: 'permission-refused', error: said, refusal };
  }
  if (error instanceof SalesforceApiError) {
    const said = { code: error.errorCode, message: error.message, fields: error.fields };
    return { kind: readFailureKind(error.errorCode), error: said, refusal: null };
  }
  if (error instanceof SalesforceAuthError) {
    // The service's sign-in, not the conversation: it waits for the login to work again.
    const said = { code: AUTHENTICATION_FAILED, message: error.message, fields: [] };
    return { kind: 'login-failed', error: said, refusal: null };
  }
  return null;
}

/** The kind of activity the conversation is logged as, to name what Salesforce refused. */
function activityKind(run: Decided): 'Task' | 'Event' {
  return writeInputFor(run.ctx, run.decision).activity?.entry.kind ?? 'Task';
}

/** The refusal as the result tells it: said to be held only here when the Conversation__c could not say it. */
function recordedRefusal(refusal: Refusal, recorded: boolean): Refusal {
  return { ...refusal, message: recorded ? refusal.message : `${refusal.message} ${NOT_RECORDED}` };
}

/** A conversation Salesforce refused before anything of it was decided: no insights, no match, no writes. */
function nothingDecided(
  run: Run,
  parts: Pick<Parameters<typeof describeResult>[0], 'outcome' | 'errors' | 'refusal'>,
): ConversationResult {
  return describeResult({
    id: conversationKey(run.sourceId),
    sourceId: run.sourceId,
    status: 'failed',
    format: null,
    insights: null,
    match: null,
    decision: NO_WRITES,
    apiCalls: run.api.calls,
    processedAt: run.now.toISOString(),
    ...parts,
  });
}
