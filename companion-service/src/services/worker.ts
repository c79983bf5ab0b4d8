import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { ZodError } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import {
  markDead,
  markManyProcessed,
  markRetrying,
  startAttempt,
  type ConversationRecord,
} from '../adapters/postgres/conversation-table.js';
import type { ApiUsage } from '../adapters/salesforce/api-usage.js';
import { SalesforceAuthError } from '../adapters/salesforce/jwt-bearer.js';
import type { QueueConfig } from '../config/queue-config.js';
import { SourceFormatError } from '../domain/source/conversation.js';
import { InputError } from './extract-conversation.js';
import { ExtractionRefused } from '../domain/extraction/extractor.js';
import type { ConversationProcessor } from './process-conversation.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { retryDelayMs } from './ingest/backoff.js';
import { PermanentJobError, TransientSalesforceError } from './ingest/failure-kinds.js';
import {
  AUTHENTICATION_FAILED,
  CONVERSATION_FAILURES,
  transientKind,
  type FailureDetail,
  type FailureKind,
  type FailureRule,
} from '../domain/conversation-failures.js';
import type { IngestMetrics } from '../adapters/metrics/ingest-metrics.js';
import { ApiLimitPause } from './ingest/limit-pause.js';
import {
  CONVERSATION_QUEUE,
  CRASHED_QUEUE,
  inTransaction,
  type ConversationJob,
  type PostgresIngestQueue,
} from '../adapters/postgres/postgres-ingest-queue.js';
import { resolveInput, type ResolveContext } from './ingest/resolve-input.js';
import { holdConversation, releaseConversation } from '../adapters/postgres/conversation-lock.js';
import { inOrgTransaction, orgDatabase } from '../adapters/postgres/org-scope.js';
import type { ConversationNotices } from '../adapters/postgres/conversation-notices.js';
import { GroupCommit } from '../adapters/postgres/group-commit.js';
import { preparedSql } from '../adapters/postgres/prepared-sql.js';

/**
 * The worker: takes queued conversations (pg-boss hands each job to one worker among all processes),
 * as many as it has room for in one fetch, looking again when one in hand finishes or Postgres says
 * more were queued (adapters/postgres/conversation-notices.ts) and otherwise every SCRIBE_WORKER_POLL_MS;
 * processes them, and records the outcome and completes the job in one transaction (the processed
 * ones finishing together share it). A conversation
 * is also held by a Postgres advisory lock while in hand (adapters/postgres/conversation-lock.ts), so a
 * job that came back after its worker was presumed dead never runs beside a worker that is only slow,
 * and the orphan sweep (services/orphan-sweep.ts) knows a dead worker's conversations by their lock. Transient Salesforce failures are
 * retried with backoff, the API limit and a failed sign-in pause work (with backoff, counting no
 * attempt against the conversation), and what cannot succeed goes dead with its reason.
 */

export interface WorkerDeps {
  pool: pg.Pool;
  /**
   * The org this worker processes for (its Salesforce connection's): each job's rows are read and
   * written in that org's transactions. A job queued before migration 070 carries no org and is its.
   */
  orgId: string;
  boss: PgBoss;
  queue: PostgresIngestQueue;
  processor: ConversationProcessor;
  resolve: ResolveContext;
  usage: () => ApiUsage;
  metrics: IngestMetrics;
  logger: Logger;
  settings: Pick<QueueConfig, 'concurrency' | 'pollMs' | 'retry' | 'limitPauseMs'>;
  /** The database's notices of queued conversations, so work starts without waiting for a poll. */
  notices?: Pick<ConversationNotices, 'onQueued'>;
  /** Runs in the transaction that marks conversations processed (the deals' re-score requests). */
  afterProcessed?: (client: pg.PoolClient, results: readonly ConversationResult[]) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** How long a job waits when its conversation is in another worker's hands. */
const HELD_ELSEWHERE_MS = 30_000;

/** A processed conversation waiting to be recorded, on the connection that holds its lock. */
interface Completion {
  client: pg.PoolClient;
  jobId: string;
  result: ConversationResult;
}

type Outcome =
  | { kind: 'processed'; result: ConversationResult }
  | { kind: 'retry'; code: string; message: string; at: Date; countsAsAttempt: boolean; why?: string }
  | { kind: 'dead'; code: string; reason: string; result?: ConversationResult };

export class ConversationWorker {
  private readonly pause: ApiLimitPause;
  private readonly now: () => number;
  /** Failed sign-ins in a row: each pause after one is longer, up to the retry ceiling. */
  private loginFailures = 0;
  /** The conversations in hand, by job id. */
  private readonly inHand = new Map<string, Promise<void>>();
  /** No conversation is taken before this time (the API limit, a failed sign-in). */
  private resumeAt = 0;
  private fetching: Promise<void> | null = null;
  /** Set by notify(); the fetch loop looks again instead of sleeping. */
  private woken = false;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /**
   * Processed conversations finishing together are recorded and their jobs completed in one
   * transaction: one commit (one WAL flush) and three statements for the lot instead of five round
   * trips each. One transaction at a time, so the deals' re-score rows two of them share are not
   * fought over; those finishing meanwhile wait for it and go in the next.
   */
  private readonly completions: GroupCommit<Completion, void>;

  constructor(private readonly deps: WorkerDeps) {
    this.pause = new ApiLimitPause(deps.settings.limitPauseMs, deps.usage);
    this.now = deps.now ?? Date.now;
    const { concurrency } = deps.settings;
    this.completions = new GroupCommit(
      {
        commit: (completions) => this.recordProcessed(completions),
        // A lost race with another transaction (40) or one result Postgres refuses (22, 23): each alone.
        mayBeOneItem: (error) =>
          ['22', '23', '40'].includes(String((error as { code?: unknown }).code ?? '').slice(0, 2)),
        failure: (error) => (error instanceof Error ? error : new Error(String(error))),
      },
      // Never more waiting than conversations in hand (twice that covers a batch being retried one by
      // one while the first ones back are replaced), so none is ever refused.
      {
        maxBatch: concurrency,
        lingerMs: 0,
        maxInFlight: 1,
        maxPending: 2 * concurrency,
        retryAfterSeconds: 1,
      },
    );
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.notices?.onQueued(() => this.notify()) ?? null;
    this.fetching ??= this.fetchLoop();
    await this.deps.boss.work<ConversationJob>(
      CRASHED_QUEUE,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 5 },
      async ([job]) => this.buryCrashed(job!),
    );
  }

  /**
   * Stops taking work and waits up to `graceMs` for the conversations in hand; the jobs of any still
   * in hand then are failed back to the queue (its retry policy applies, as for a crash), while their
   * conversations stay locked until their work ends or the process does.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.notify();
    await this.fetching;
    if (this.inHand.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, graceMs, 'late')));
    const done = Promise.all(this.inHand.values()).then(() => 'done' as const);
    const ended = await Promise.race([done, late]);
    clearTimeout(timer);
    if (ended === 'done') return;
    const message = 'the worker stopped before this conversation was finished';
    // One by one: pg-boss's types give no overload for many ids with an output; a stop leaves few.
    for (const id of this.inHand.keys()) {
      await this.deps.boss
        .fail(CONVERSATION_QUEUE, id, { message })
        .catch((error: unknown) =>
          this.deps.logger.error({ err: error, jobId: id }, 'could not give back a job in hand'),
        );
    }
  }

  /** Conversations were queued (in this process or, through the notices, any): look now. */
  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  /**
   * Takes jobs while there is room, as many as there is room for in one fetch: a full batch may leave
   * more queued, so it looks again at once; an emptier one sleeps until a conversation is queued, one
   * in hand finishes, or the poll interval passes (jobs whose retry time came, or a notice missed).
   */
  private async fetchLoop(): Promise<void> {
    const { concurrency, pollMs } = this.deps.settings;
    while (!this.stopped) {
      const room = concurrency - this.inHand.size;
      const pausedFor = this.resumeAt - this.now();
      if (room === 0 || pausedFor > 0) {
        await this.sleep(room === 0 ? null : pausedFor);
        continue;
      }
      this.woken = false;
      // pg-boss's fetch answers no jobs rather than throw when the database fails: the poll retries.
      const jobs = await this.deps.boss.fetch<ConversationJob>(CONVERSATION_QUEUE, {
        batchSize: room,
        db: preparedSql(this.deps.pool),
      });
      for (const job of jobs) this.take(job);
      if (jobs.length < room) await this.sleep(pollMs);
    }
  }

  /** Until notify() or `ms` (forever when null); at once when notified since the last look. */
  private sleep(ms: number | null): Promise<void> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = ms === null ? undefined : setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        this.woken = false;
        resolve();
      };
    });
  }

  private take(job: PgBoss.Job<ConversationJob>): void {
    const running = this.handle(job)
      // What pg-boss does with a job whose handler throws: it fails, and the queue's retry policy
      // applies (after too many, the crash queue buries the conversation).
      .catch((error: unknown) =>
        this.deps.boss
          .fail(CONVERSATION_QUEUE, job.id, {
            message: error instanceof Error ? error.message : String(error),
          })
          .then(() => undefined),
      )
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, jobId: job.id }, 'could not fail the job; its expiry will'),
      )
      .finally(() => {
        this.inHand.delete(job.id);
        this.notify();
      });
    this.inHand.set(job.id, running);
  }

  /** No conversation is taken until `until`; the jobs in hand finish as they would. */
  private pauseUntil(
    until: number,
    why = "the org's API limit is used up; work pauses until the window allows",
  ): void {
    if (this.resumeAt > this.now()) return;
    this.resumeAt = until;
    this.deps.logger.warn({ resumeAt: new Date(until).toISOString(), usage: this.deps.usage() }, why);
  }

  private async handle(job: PgBoss.Job<ConversationJob>): Promise<void> {
    const { conversationId } = job.data;
    const orgId = job.data.orgId ?? this.deps.orgId;
    if (orgId !== this.deps.orgId) {
      // Another org's conversation is never processed with this org's Salesforce connection: it
      // goes back to the queue for the worker of its org (one queue per org is issue 20, part 3).
      this.deps.logger.warn({ conversationId, jobOrg: orgId }, 'a job of another org; left for its worker');
      await this.deps.pool.connect().then(async (other) => {
        try {
          await this.settle(other, job, new Date(this.now() + HELD_ELSEWHERE_MS), orgId);
        } finally {
          other.release();
        }
      });
      return;
    }
    const started = performance.now();
    const client = await this.deps.pool.connect();
    let held = false;
    try {
      held = await holdConversation(client, orgId, conversationId);
      if (!held) {
        this.deps.logger.info({ conversationId }, 'in another worker’s hands; looking again later');
        await this.settle(client, job, new Date(this.now() + HELD_ELSEWHERE_MS));
        return;
      }
      const pausedUntil = this.pause.pausedUntil(this.now());
      if (pausedUntil) {
        await this.settle(client, job, new Date(pausedUntil));
        this.pauseUntil(pausedUntil);
        return;
      }
      const record = await inOrgTransaction(client, orgId, (c) => startAttempt(c, conversationId));
      // Finished already: the job is a late copy (a crash after the outcome was committed).
      if (!record) {
        await this.deps.boss.complete(CONVERSATION_QUEUE, job.id, {}, { db: inTransaction(client) });
        return;
      }
      const log = this.deps.logger.child({
        correlationId: record.correlationId,
        orgId,
        conversationId,
        source: record.source,
      });
      const outcome = await this.process(record, log);
      await this.record(client, job, record, outcome, log);
      this.deps.metrics.processed(
        outcome.kind === 'retry' ? (outcome.countsAsAttempt ? 'retrying' : 'paused') : outcome.kind,
        (performance.now() - started) / 1000,
      );
      if (outcome.kind === 'retry' && !outcome.countsAsAttempt)
        this.pauseUntil(outcome.at.getTime(), outcome.why);
    } finally {
      // A broken connection drops the lock with it, and is not given back to the pool.
      const unlocked = held ? await releaseConversation(client, orgId, conversationId) : true;
      client.release(!unlocked);
    }
  }

  private async process(record: ConversationRecord, log: Logger): Promise<Outcome> {
    let result: ConversationResult;
    try {
      const input = await resolveInput(
        {
          id: record.id,
          source: record.source as QueuedSource,
          correlationId: record.correlationId,
          payload: record.payload,
          receivedAt: record.receivedAt,
        },
        { ...this.deps.resolve, logger: log },
      );
      result = { ...(await this.deps.processor.process(input, { logger: log })), id: record.id };
    } catch (error) {
      const failure = this.jobFailure(error, record);
      if (failure.kind === 'unexpected') {
        log.error({ err: error }, 'processing failed unexpectedly; the job will be retried');
      }
      return this.outcomeOf(failure, record, error);
    }
    this.pause.succeeded();
    this.loginFailures = 0;
    if (result.status === 'processed') return { kind: 'processed', result };
    return this.outcomeOf(failedResult(result), record, null, result);
  }

  /** What stopped the job, in the terms of the table of conversation failures. */
  private jobFailure(error: unknown, record: ConversationRecord): JobFailure {
    const { limit } = this.deps.settings.retry;
    const said = (code: string, e: Error) => ({ code, message: e.message, attempts: record.attempts });
    // A sign-in refused while reading the input (a platform event's record) waits like any other.
    if (error instanceof SalesforceAuthError)
      return { kind: 'login-failed', ...said(AUTHENTICATION_FAILED, error) };
    if (error instanceof TransientSalesforceError) {
      return {
        kind: transientKind(error.errorCode, record.attempts, limit),
        ...said(error.errorCode, error),
      };
    }
    if (error instanceof PermanentJobError || error instanceof ExtractionRefused)
      return { kind: 'job-cannot-succeed', ...said(error.errorCode, error) };
    if (error instanceof SourceFormatError || error instanceof InputError || error instanceof ZodError) {
      return { kind: 'unreadable-input', ...said('UNREADABLE_INPUT', error) };
    }
    return { kind: 'unexpected', code: 'PROCESSING_ERROR', message: String(error) };
  }

  /** The job's outcome as the table decides it for this kind of failure. */
  private outcomeOf(
    failure: JobFailure,
    record: ConversationRecord,
    error: unknown,
    result?: ConversationResult,
  ): Outcome {
    const rule: FailureRule = CONVERSATION_FAILURES[failure.kind];
    if (rule.verdict === 'dead-letter' || rule.verdict === 'refuse') {
      return { kind: 'dead', ...rule.letter(failure), ...(result ? { result } : {}) };
    }
    const { code, message } = failure;
    if (rule.verdict === 'retry' && rule.when === 'when-the-window-allows') {
      const at = new Date(this.pause.limitHit(this.now()));
      return { kind: 'retry', code, message, at, countsAsAttempt: false };
    }
    if (rule.verdict === 'retry' && rule.when === 'when-the-login-works') {
      this.loginFailures++;
      const { retry } = this.deps.settings;
      const wait = Math.max(retry.baseMs, retryDelayMs(this.loginFailures, retry, this.deps.random));
      const at = new Date(this.now() + wait);
      return { kind: 'retry', code, message, at, countsAsAttempt: false, why: rule.why };
    }
    if (rule.verdict === 'retry' && rule.when === 'after-backoff') {
      const at = new Date(
        this.now() + retryDelayMs(record.attempts, this.deps.settings.retry, this.deps.random),
      );
      return { kind: 'retry', code, message, at, countsAsAttempt: true };
    }
    // Retried by the job runner: pg-boss runs the job again, then hands it to buryCrashed.
    throw error;
  }

  /** The outcome and the job's completion (with its next job, for a retry) commit together. */
  private async record(
    client: pg.PoolClient,
    job: PgBoss.Job<ConversationJob>,
    record: ConversationRecord,
    outcome: Outcome,
    log: Logger,
  ): Promise<void> {
    if (outcome.kind === 'processed') {
      await this.completions.submit({ client, jobId: job.id, result: outcome.result });
    } else {
      await this.transaction(client, this.deps.orgId, async () => {
        if (outcome.kind === 'dead') {
          await markDead(client, record.id, {
            reason: outcome.reason,
            errorCode: outcome.code,
            result: outcome.result,
          });
        }
        if (outcome.kind === 'retry') {
          const error = { code: outcome.code, message: outcome.message };
          await markRetrying(client, record.id, error, outcome.at, outcome.countsAsAttempt);
          await this.deps.queue.schedule(client, record.id, outcome.at);
        }
        await this.deps.boss.complete(CONVERSATION_QUEUE, job.id, {}, { db: inTransaction(client) });
      });
    }
    if (outcome.kind === 'processed') {
      log.info({ attempts: record.attempts, apiCalls: outcome.result.apiCalls }, 'conversation processed');
    } else if (outcome.kind === 'dead') {
      this.deps.metrics.failed(outcome.code, 'dead');
      log.error(
        { code: outcome.code, reason: outcome.reason, attempts: record.attempts },
        'conversation is dead',
      );
    } else {
      this.deps.metrics.failed(outcome.code, 'transient');
      log.warn(
        { code: outcome.code, attempt: record.attempts, retryAt: outcome.at.toISOString() },
        'transient Salesforce failure; retrying later',
      );
    }
  }

  /** Completes this job and schedules the conversation anew for `again`, atomically. */
  private async settle(
    client: pg.PoolClient,
    job: PgBoss.Job<ConversationJob>,
    again: Date,
    orgId = this.deps.orgId,
  ): Promise<void> {
    await this.transaction(client, orgId, async () => {
      await this.deps.queue.schedule(client, job.data.conversationId, again, orgId);
      await this.deps.boss.complete(CONVERSATION_QUEUE, job.id, {}, { db: inTransaction(client) });
    });
  }

  /**
   * Marks the conversations processed, asks for their deals' re-scoring and completes their jobs, in
   * one transaction on the first one's connection (each holds its own conversation's lock until this
   * has committed, so a late copy of a job never sees one of them unfinished and free).
   */
  private async recordProcessed(completions: readonly Completion[]): Promise<PromiseSettledResult<void>[]> {
    const { client } = completions[0]!;
    const results = completions.map((c) => c.result);
    await this.transaction(client, this.deps.orgId, async () => {
      await markManyProcessed(
        client,
        results.map((result) => ({ id: result.id, result })),
      );
      await this.deps.afterProcessed?.(client, results);
      await completeJobs(
        this.deps.boss,
        completions.map((c) => c.jobId),
        client,
      );
    });
    return completions.map(() => ({ status: 'fulfilled', value: undefined }));
  }

  private async buryCrashed(job: PgBoss.Job<ConversationJob>): Promise<void> {
    const output = (job as PgBoss.JobWithMetadata<ConversationJob>).output as
      { message?: string; value?: { message?: string } } | undefined;
    const said = output?.message ?? output?.value?.message ?? 'no error recorded';
    const rule = CONVERSATION_FAILURES['crashed-repeatedly'];
    const letter =
      rule.verdict === 'dead-letter' ? rule.letter({ code: 'PROCESSING_ERROR', message: said }) : null;
    if (!letter) return;
    const org = orgDatabase(this.deps.pool, job.data.orgId ?? this.deps.orgId);
    const buried = await markDead(org, job.data.conversationId, {
      reason: letter.reason,
      errorCode: letter.code,
    });
    if (buried) {
      this.deps.metrics.failed(letter.code, 'dead');
      this.deps.logger.error({ conversationId: job.data.conversationId, said }, 'conversation is dead');
    }
  }

  private async transaction(client: pg.PoolClient, orgId: string, work: () => Promise<void>): Promise<void> {
    await inOrgTransaction(client, orgId, work);
  }
}

/**
 * Completes many jobs in the caller's transaction. pg-boss's typings offer `complete(name, ids,
 * options)`, but its code reads the third argument as the jobs' output whatever the second is
 * (manager.js `complete(name, id, data, options)`), which would complete them outside the
 * transaction: the output and the connection are passed in their places.
 */
function completeJobs(boss: PgBoss, ids: string[], client: pg.PoolClient): Promise<void> {
  const complete = boss.complete.bind(boss) as (
    name: string,
    ids: string[],
    data: object,
    options: PgBoss.ConnectionOptions,
  ) => Promise<void>;
  return complete(CONVERSATION_QUEUE, ids, {}, { db: preparedSql(client) });
}

type QueuedSource = Parameters<typeof resolveInput>[0]['source'];

type JobFailure = FailureDetail & { kind: FailureKind };

/** A conversation Salesforce did not take: refused for a permission, or for anything else it said. */
function failedResult(result: ConversationResult): JobFailure {
  // A missing permission is said as the admin's fix; redrive once it is granted.
  if (result.refusal) {
    return { kind: 'permission-refused', code: result.refusal.code, message: result.refusal.message };
  }
  return {
    kind: 'salesforce-refused',
    code: result.errors[0]?.code ?? 'FAILED',
    message: result.errors.map((e) => `${e.code}: ${e.message}`).join('; '),
  };
}
