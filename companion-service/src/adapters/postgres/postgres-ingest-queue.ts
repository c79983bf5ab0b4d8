import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { underSchemaLock } from './migrate.js';
import type pg from 'pg';
import { z } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import {
  insertConversations,
  keyHolders,
  keyOf,
  releaseIdempotencyKeys,
  type KeyHolder,
  type NewConversation,
  type Queryable,
} from './conversation-table.js';
import { conversationKey } from '../../domain/source/conversation-key.js';
import { APP_ROLE, type OrgDatabase } from './org-scope.js';
import { GroupCommit, type GroupCommitSettings } from './group-commit.js';
import {
  EnqueueError,
  INGEST_SOURCES,
  IDEMPOTENCY_KEY_HOURS,
  IdempotencyConflictError,
  QueueFullError,
  type EnqueueResult,
  type IngestJob,
  type IngestQueue,
} from '../../domain/source/ingest-queue.js';

/**
 * The ingest queue on Postgres with pg-boss: the conversation row and its job are written in one
 * transaction, so an acknowledged conversation always has both, and a replayed idempotency key finds
 * the row it made and adds no job.
 *
 * Each transaction waits for its WAL flush, so one transaction per webhook caps intake at a few
 * hundred a second: webhooks arriving together share transactions instead (group-commit.ts), and
 * each caller still hears back only after the commit holding its row, so an ack means stored.
 */

export const CONVERSATION_QUEUE = 'conversation';
/** Where pg-boss moves a job that kept failing unexpectedly (not a Salesforce answer), to mark it dead. */
export const CRASHED_QUEUE = 'conversation-crashed';
/** Retries of a job whose worker died or threw something unexpected, before it goes dead. */
const CRASH_RETRIES = 10;
/** The most conversations one transaction stores; callers beyond it wait for the next one. */
export const MAX_GROUP_COMMIT = 200;

/**
 * How intake shares transactions. A caller waits at most 4 ms for company while another transaction
 * commits: at 1,000 webhooks a second that made about 6 a transaction (bench/ingest.bench.ts); at 600
 * a second, 2 ms made 3 and cost the service 0.69 ms of CPU a webhook against 0.59 ms with 5 ms, and
 * on a busy machine CPU is what the latency waits for. A few ms stay well inside a 25 ms ack. Up to 4
 * transactions commit at once, from the pool. 2,000 conversations in memory is two seconds of that
 * rate, and bounds what a flood can hold before it hears 503.
 */
export const INTAKE_GROUP_COMMIT: GroupCommitSettings = {
  maxBatch: MAX_GROUP_COMMIT,
  lingerMs: 4,
  maxInFlight: 4,
  maxPending: 2_000,
  retryAfterSeconds: 1,
};

/**
 * SQLSTATE classes that blame a row's data (22: data exception, e.g. a NUL in a JSON string; 23:
 * constraint violation) rather than the database: a group failing so is retried one caller at a time,
 * so one bad payload does not turn away the webhooks that happened to arrive with it.
 */
const ROW_FAULT_CLASSES = ['22', '23'];
/**
 * 40: the transaction lost a race with another (a deadlock, a serialization failure). Alone, each
 * conversation can be stored; it is no fault of the sender if it still cannot.
 */
const RACE_CLASS = '40';

export interface ConversationJob {
  conversationId: string;
  /** The org the conversation belongs to; absent on jobs queued before migration 070 (the single org's). */
  orgId?: string;
}

const IngestJobSchema = z.object({
  source: z.enum(INGEST_SOURCES),
  idempotencyKey: z.string().min(1).max(500),
  requestHash: z.string().min(1).max(200).optional(),
  correlationId: z.string().min(1).max(200),
  payload: z.unknown().refine((p) => p !== undefined, 'payload is missing'),
  receivedAt: z.iso.datetime({ offset: true }),
});

/** How many conversations may wait before new ones are refused, and when to tell callers to come back. */
export interface QueueBound {
  maxWaiting: number;
  retryAfterSeconds: number;
}

/** How long a count of the waiting conversations stands for. */
const COUNT_FOR_MS = 500;

export interface BossSettings {
  jobExpireSeconds: number;
  maintenanceSeconds: number;
}

/** pg-boss on the service's pool, its queues created (or brought to these settings). */
export async function startBoss(pool: pg.Pool, settings: BossSettings, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: settings.maintenanceSeconds,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'the job queue reported an error'));
  // Under the schema lock: pg-boss creates its schema and the queues on first start, and two processes
  // starting at once on an empty database would both try.
  await underSchemaLock(pool, async () => {
    await boss.start();
    const queues: [string, PgBoss.Queue][] = [
      [CRASHED_QUEUE, { name: CRASHED_QUEUE, retryLimit: 3, retryDelay: 5, expireInSeconds: 60 }],
      [
        CONVERSATION_QUEUE,
        {
          name: CONVERSATION_QUEUE,
          retryLimit: CRASH_RETRIES,
          retryDelay: 2,
          retryBackoff: true,
          expireInSeconds: settings.jobExpireSeconds,
          deadLetter: CRASHED_QUEUE,
        },
      ],
    ];
    for (const [name, options] of queues) {
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options);
    }
    // Jobs are written in the org's transactions, as scribe_app (migration 070). The queue's tables
    // hold no conversation's text, only ids with their org, so they are not isolated by org.
    await pool.query(
      `GRANT USAGE ON SCHEMA pgboss TO ${APP_ROLE};
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${APP_ROLE};
       GRANT USAGE ON ALL SEQUENCES IN SCHEMA pgboss TO ${APP_ROLE};
       GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${APP_ROLE}`,
    );
  });
  return boss;
}

/** pg-boss runs its statements through this in the caller's transaction. */
export const inTransaction = (client: Queryable) => ({
  executeSql: (text: string, values: unknown[]) => client.query(text, values),
});

const sqlClass = (error: unknown) => String((error as { code?: unknown }).code ?? '').slice(0, 2);
const isRowFault = (error: unknown) => ROW_FAULT_CLASSES.includes(sqlClass(error));

/** Postgres text refuses NUL characters and broken encodings (SQLSTATE 22P05, 22021): the sender can fix those. */
const UNSTORABLE_TEXT = new Set(['22P05', '22021']);

function notStored(error: unknown): EnqueueError {
  const code = String((error as { code?: unknown }).code ?? '');
  if (UNSTORABLE_TEXT.has(code)) {
    return new EnqueueError(
      'body: the text holds a NUL character (\\u0000) or bytes that are not valid UTF-8, which cannot be stored; remove them and send it again',
      false,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return isRowFault(error)
    ? new EnqueueError(`the conversation cannot be stored: ${reason}`, false, { cause: error })
    : new EnqueueError(`the conversation was not stored (${reason}); nothing was kept, send it again`, true, {
        cause: error,
      });
}

/** The same conversation id for the same source and key, on any process. */
export const conversationIdFor = (source: string, idempotencyKey: string, requestHash?: string) =>
  conversationKey(`${source}:${idempotencyKey}${requestHash ? `\n${requestHash}` : ''}`);

const byKey = (c: NewConversation) => `${keyOf(c.source, c.idempotencyKey)}\u0000${c.id}`;
const inKeyOrder = (a: NewConversation, b: NewConversation) => {
  const [x, y] = [byKey(a), byKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * pg-boss's insert, prepared once per connection like ours: its plan (a join on the queue's settings)
 * is the same for every group. Named after its text, so another pg-boss version's statement is
 * prepared under another name.
 */
const preparedNames = new Map<string, string>();
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `scribe-pgboss-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** Old keys are released in bulk at most this often, besides each key being released when it comes back. */
const RELEASE_EVERY_MS = 60 * 60 * 1000;

interface Committed {
  /** The ids stored now. */
  stored: Set<string>;
  /** Who holds each key of the group after the commit, by `keyOf`. */
  holders: Map<string, KeyHolder>;
}

export class PostgresIngestQueue implements IngestQueue {
  private readonly intake: GroupCommit<NewConversation, EnqueueResult>;
  private releasedAt = 0;
  /** The waiting conversations counted lately: a flood is refused without a count per request. */
  private counted: { at: number; waiting: Promise<number> } | null = null;

  constructor(
    private readonly org: OrgDatabase,
    private readonly boss: PgBoss,
    private readonly bound: QueueBound | null = null,
    groupCommit: GroupCommitSettings = INTAKE_GROUP_COMMIT,
  ) {
    this.intake = new GroupCommit(
      {
        commit: (conversations) => this.commitGroup(conversations),
        mayBeOneItem: (error) => isRowFault(error) || sqlClass(error) === RACE_CLASS,
        failure: notStored,
      },
      groupCommit,
    );
  }

  async enqueue(job: IngestJob): Promise<EnqueueResult> {
    if (this.bound) {
      const waiting = (await this.waitingCount()) + this.intake.pending;
      if (waiting >= this.bound.maxWaiting) throw new QueueFullError(waiting, this.bound.retryAfterSeconds);
    }
    return this.store(job);
  }

  private waitingCount(): Promise<number> {
    const now = Date.now();
    if (!this.counted || now - this.counted.at > COUNT_FOR_MS) {
      const waiting = this.org
        .query<{ n: string }>(
          `SELECT count(*) AS n FROM conversations WHERE status IN ('queued', 'retrying')`,
        )
        .then((r) => Number(r.rows[0]!.n));
      // A failed count is not kept: the next caller counts again.
      waiting.catch(() => (this.counted = null));
      this.counted = { at: now, waiting };
    }
    return this.counted.waiting;
  }

  private store(job: IngestJob): Promise<EnqueueResult> {
    const valid = IngestJobSchema.safeParse(job);
    if (!valid.success) {
      const issue = valid.error.issues[0]!;
      return Promise.reject(
        new Error(`the ingest job's ${issue.path.join('.') || 'shape'} is not valid: ${issue.message}`),
      );
    }
    // A caller's key names its request too: after the key is released, another request with it is a
    // new conversation, not a clash with the old one's id.
    return this.intake.submit({
      id: conversationIdFor(job.source, job.idempotencyKey, job.requestHash),
      ...job,
    });
  }

  /** One transaction for the group, and what each of its callers hears. */
  private async commitGroup(
    conversations: readonly NewConversation[],
  ): Promise<PromiseSettledResult<EnqueueResult>[]> {
    const { stored, holders } = await this.commit(conversations);
    return conversations.map((conversation): PromiseSettledResult<EnqueueResult> => {
      const { id, source, idempotencyKey, requestHash } = conversation;
      // The first caller with an id gets the row it stored; a repeat in the same group is a duplicate.
      if (stored.delete(id)) return { status: 'fulfilled', value: { conversationId: id, duplicate: false } };
      const holder = holders.get(keyOf(source, idempotencyKey));
      if (holder && requestHash && holder.requestHash && holder.requestHash !== requestHash) {
        return { status: 'rejected', reason: new IdempotencyConflictError(idempotencyKey, holder.id) };
      }
      return { status: 'fulfilled', value: { conversationId: holder?.id ?? id, duplicate: true } };
    });
  }

  /** The conversations not stored before and their jobs, in one transaction; the ids it stored. */
  private async commit(group: readonly NewConversation[]): Promise<Committed> {
    // Transactions commit side by side: rows in one order everywhere, so two groups holding the same
    // keys wait for each other instead of deadlocking.
    const conversations = [...group].sort(inKeyOrder);
    // An ack promises a stored row, whatever the server's default: the commit waits for its flush.
    return this.org.transaction((client) => this.commitIn(client, conversations), {
      synchronousCommit: true,
    });
  }

  private async commitIn(
    client: pg.PoolClient,
    conversations: readonly NewConversation[],
  ): Promise<Committed> {
    const keyed = conversations.filter((c) => c.requestHash);
    const releaseAll = Date.now() - this.releasedAt > RELEASE_EVERY_MS;
    if (keyed.length > 0 || releaseAll) {
      await releaseIdempotencyKeys(client, IDEMPOTENCY_KEY_HOURS, releaseAll ? undefined : keyed);
      if (releaseAll) this.releasedAt = Date.now();
    }
    const stored = await insertConversations(client, conversations);
    const holders = await keyHolders(
      client,
      conversations.filter((c) => !stored.has(c.id)),
    );
    if (stored.size > 0) {
      const jobs = [...stored].map((conversationId) => ({
        name: CONVERSATION_QUEUE,
        data: { conversationId, orgId: this.org.orgId } satisfies ConversationJob,
      }));
      // pg-boss's insert answers nothing and joins the queue table, so a missing queue would drop
      // the jobs silently: the rows its statement wrote are counted here instead.
      let written = 0;
      await this.boss.insert(jobs, {
        db: {
          executeSql: async (text: string, values: unknown[]) => {
            const result = await client.query({ name: preparedName(text), text, values });
            written += result.rowCount ?? 0;
            return result;
          },
        },
      });
      if (written !== jobs.length) {
        throw new Error(
          `the job queue took ${written} of ${jobs.length} jobs: is the "${CONVERSATION_QUEUE}" queue created?`,
        );
      }
    }
    return { stored, holders };
  }

  get orgId(): string {
    return this.org.orgId;
  }

  /** A job for the conversation (of this queue's org unless named), at `startAfter` or now, in the caller's transaction. */
  async schedule(
    db: Queryable,
    conversationId: string,
    startAfter?: Date,
    orgId = this.org.orgId,
  ): Promise<void> {
    const data: ConversationJob = { conversationId, orgId };
    await this.boss.send(CONVERSATION_QUEUE, data, {
      db: inTransaction(db),
      ...(startAfter ? { startAfter } : {}),
    });
  }
}
