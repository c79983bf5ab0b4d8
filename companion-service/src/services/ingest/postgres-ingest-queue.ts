import PgBoss from 'pg-boss';
import type pg from 'pg';
import { z } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { insertConversation, type Queryable } from '../../adapters/postgres/conversation-table.js';
import { conversationKey } from '../process-conversation.js';
import type { EnqueueResult, IngestJob, IngestQueue } from './ingest-queue.js';

/**
 * The ingest queue on Postgres with pg-boss: the conversation row and its job are written in one
 * transaction, so an acknowledged conversation always has both, and a replayed idempotency key finds
 * the row it made and adds no job.
 */

export const CONVERSATION_QUEUE = 'conversation';
/** Where pg-boss moves a job that kept failing unexpectedly (not a Salesforce answer), to mark it dead. */
export const CRASHED_QUEUE = 'conversation-crashed';
/** Retries of a job whose worker died or threw something unexpected, before it goes dead. */
const CRASH_RETRIES = 10;

export interface ConversationJob {
  conversationId: string;
}

const IngestJobSchema = z.object({
  source: z.enum(['api', 'gong', 'voice-memo', 'platform-event']),
  idempotencyKey: z.string().min(1).max(500),
  correlationId: z.string().min(1).max(200),
  payload: z.unknown().refine((p) => p !== undefined, 'payload is missing'),
  receivedAt: z.iso.datetime({ offset: true }),
});

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
  return boss;
}

/** pg-boss runs its statements through this in the caller's transaction. */
export const inTransaction = (client: Queryable) => ({
  executeSql: (text: string, values: unknown[]) => client.query(text, values),
});

/** The same conversation id for the same source and key, on any process. */
export const conversationIdFor = (source: string, idempotencyKey: string) =>
  conversationKey(`${source}:${idempotencyKey}`);

export class PostgresIngestQueue implements IngestQueue {
  /** Told after each new conversation commits, so a worker in this process can take it at once. */
  onEnqueued: () => void = () => undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
  ) {}

  async enqueue(job: IngestJob): Promise<EnqueueResult> {
    const valid = IngestJobSchema.safeParse(job);
    if (!valid.success) {
      const issue = valid.error.issues[0]!;
      throw new Error(`the ingest job's ${issue.path.join('.') || 'shape'} is not valid: ${issue.message}`);
    }
    const conversationId = conversationIdFor(job.source, job.idempotencyKey);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await insertConversation(client, { id: conversationId, ...job });
      if (inserted) await this.schedule(client, conversationId);
      await client.query('COMMIT');
      if (inserted) this.onEnqueued();
      return { conversationId, duplicate: !inserted };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** A job for the conversation, at `startAfter` or now, in the caller's transaction. */
  async schedule(db: Queryable, conversationId: string, startAfter?: Date): Promise<void> {
    const data: ConversationJob = { conversationId };
    await this.boss.send(CONVERSATION_QUEUE, data, {
      db: inTransaction(db),
      ...(startAfter ? { startAfter } : {}),
    });
  }
}
