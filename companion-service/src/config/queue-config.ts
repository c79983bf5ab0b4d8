import path from 'node:path';
import { z } from 'zod';
import { ConfigError, readSection, wholeNumber as whole, type Fixes } from './env.js';
import { DEFAULT_DATA_DIR } from './service-config.js';

/**
 * Where conversations are kept and how they are worked (DATABASE_URL, SCRIBE_POSTGRES_DIR and the
 * SCRIBE_WORKER_*, SCRIBE_RETRY_*, SCRIBE_JOB_EXPIRE_SECONDS and SCRIBE_ORPHAN_SECONDS settings, and SCRIBE_RETENTION_DAYS: how long a conversation's
 * text is kept once Salesforce holds what came of it), checked at start like the other settings.
 * Without DATABASE_URL the service runs its own Postgres in the data folder.
 */

export class QueueConfigError extends ConfigError {}

const QueueEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  SCRIBE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  SCRIBE_POSTGRES_DIR: z.string().min(1).optional(),
  SCRIBE_WORKER_CONCURRENCY: whole(1, 64).default(2),
  SCRIBE_WORKER_POLL_MS: whole(500, 60_000).default(1000),
  SCRIBE_RETRY_LIMIT: whole(0, 50).default(6),
  SCRIBE_RETRY_BASE_MS: whole(10, 3_600_000).default(2_000),
  SCRIBE_RETRY_MAX_MS: whole(10, 86_400_000).default(600_000),
  SCRIBE_LIMIT_PAUSE_SECONDS: whole(1, 86_400).default(900),
  SCRIBE_JOB_EXPIRE_SECONDS: whole(2, 86_400).default(600),
  SCRIBE_QUEUE_MAINTENANCE_SECONDS: whole(1, 3_600).default(60),
  SCRIBE_ORPHAN_SECONDS: whole(2, 3_600).default(6),
  SCRIBE_SALESFORCE_TIMEOUT_MS: whole(100, 600_000).default(60_000),
  SCRIBE_SHUTDOWN_SECONDS: whole(1, 3_600).default(30),
  SCRIBE_RETENTION_DAYS: whole(1, 3_650).default(90),
});

const FIXES: Fixes<typeof QueueEnvSchema> = {
  DATABASE_URL:
    'use a Postgres URL such as postgres://user:password@host:5432/scribe, or unset it to run the embedded Postgres',
  SCRIBE_DATA_DIR: 'set a folder the service may write',
  SCRIBE_POSTGRES_DIR: 'set a folder for the embedded Postgres cluster',
  SCRIBE_WORKER_CONCURRENCY: 'use a whole number of conversations worked at once, from 1 to 64',
  SCRIBE_WORKER_POLL_MS: 'use how often an idle worker looks for work, in milliseconds (500 to 60000)',
  SCRIBE_RETRY_LIMIT: 'use how many times a transient Salesforce failure is retried, from 0 to 50',
  SCRIBE_RETRY_BASE_MS: 'use the first retry delay in milliseconds, such as 2000',
  SCRIBE_RETRY_MAX_MS: 'use the longest retry delay in milliseconds, such as 600000',
  SCRIBE_LIMIT_PAUSE_SECONDS: "use how long work pauses when the org's API limit is used up, in seconds",
  SCRIBE_JOB_EXPIRE_SECONDS:
    "use the longest a conversation may be in hand before it is failed as hung and retried, in seconds (600 unless set; a killed worker's conversations come back sooner, after SCRIBE_ORPHAN_SECONDS)",
  SCRIBE_QUEUE_MAINTENANCE_SECONDS: 'use how often expired jobs are looked for, in seconds',
  SCRIBE_ORPHAN_SECONDS:
    "use how long a conversation may have been in hand before, its worker gone, it is queued again, in seconds from 2 to 3600 (6 unless set: a killed worker's conversations are taken up again within about 15 s)",
  SCRIBE_SALESFORCE_TIMEOUT_MS:
    'use how long one Salesforce call may take before it counts as timed out, in milliseconds',
  SCRIBE_SHUTDOWN_SECONDS: 'use how long a stopping worker waits for conversations in hand, in seconds',
  SCRIBE_RETENTION_DAYS:
    'use how many days the text of a finished conversation and its dead letters are kept, from 1 to 3650 (90 unless set)',
};

export interface RetrySettings {
  limit: number;
  baseMs: number;
  maxMs: number;
}

export interface QueueConfig {
  databaseUrl: string | null;
  /** The embedded cluster's folder, used when databaseUrl is null. */
  postgresDir: string;
  concurrency: number;
  pollMs: number;
  retry: RetrySettings;
  limitPauseMs: number;
  jobExpireSeconds: number;
  maintenanceSeconds: number;
  /**
   * A job in hand this long whose worker is gone (its conversation lock released) is failed back to the
   * queue; every process sweeps for such jobs every half of it.
   */
  orphanSeconds: number;
  salesforceTimeoutMs: number;
  shutdownMs: number;
  /** Finished conversations (processed or dead) older than this are purged; Salesforce keeps what came of them. */
  retentionDays: number;
}

export function loadQueueConfig(env: NodeJS.ProcessEnv): QueueConfig {
  const e = readSection(env, QueueEnvSchema, FIXES, {
    error: QueueConfigError,
    // The URL may hold a password.
    secret: ['DATABASE_URL'],
  });
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    postgresDir: path.resolve(e.SCRIBE_POSTGRES_DIR ?? path.join(e.SCRIBE_DATA_DIR, 'postgres')),
    concurrency: e.SCRIBE_WORKER_CONCURRENCY,
    pollMs: e.SCRIBE_WORKER_POLL_MS,
    retry: { limit: e.SCRIBE_RETRY_LIMIT, baseMs: e.SCRIBE_RETRY_BASE_MS, maxMs: e.SCRIBE_RETRY_MAX_MS },
    limitPauseMs: e.SCRIBE_LIMIT_PAUSE_SECONDS * 1000,
    jobExpireSeconds: e.SCRIBE_JOB_EXPIRE_SECONDS,
    maintenanceSeconds: e.SCRIBE_QUEUE_MAINTENANCE_SECONDS,
    orphanSeconds: e.SCRIBE_ORPHAN_SECONDS,
    salesforceTimeoutMs: e.SCRIBE_SALESFORCE_TIMEOUT_MS,
    shutdownMs: e.SCRIBE_SHUTDOWN_SECONDS * 1000,
    retentionDays: e.SCRIBE_RETENTION_DAYS,
  };
}
