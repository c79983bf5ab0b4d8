import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { openDatabase, type Database } from '../../src/adapters/postgres/database.js';
import { loadQueueConfig, type QueueConfig } from '../../src/config/queue-config.js';
import { makeId } from '@pipeline-scribe/local-salesforce/org/schema/ids';
import { claimSingleOrg, orgDatabase, type OrgDatabase } from '../../src/adapters/postgres/org-scope.js';

/**
 * A real Postgres for a test file: the embedded one in its own temporary folder on a free port, or
 * TEST_DATABASE_URL's. `reset` empties the service's tables and the job queue between tests.
 */

/** The local org's id (the first local org), which the service serves in the tests that start it. */
export const TEST_ORG_ID = makeId('00D', 1);

export interface TestDatabase {
  database: Database;
  /** The test org's rows, as the service reads and writes them (org-scope.ts). */
  org: OrgDatabase;
  url: string | null;
  postgresDir: string;
  /** Queue settings for tests: quick polling, short expiry. */
  settings(overrides?: Partial<QueueConfig>): QueueConfig;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-pg-'));
  // Postgres runs as its own user when tests run as root; it must reach the folder.
  await chmod(dir, 0o755);
  const postgresDir = path.join(dir, 'cluster');
  const url = process.env.TEST_DATABASE_URL ?? null;
  const database = await openDatabase({ databaseUrl: url, postgresDir, poolSize: 20 }, silentLogger);
  const base = loadQueueConfig({ SCRIBE_POSTGRES_DIR: postgresDir });
  // As the service does at its first start: rows the tests write as the owner are the local org's.
  await claimSingleOrg(database.pool, TEST_ORG_ID);
  return {
    database,
    org: orgDatabase(database.pool, TEST_ORG_ID),
    url,
    postgresDir,
    settings: (overrides = {}) => ({
      ...base,
      databaseUrl: url,
      pollMs: 500,
      concurrency: 2,
      retry: { limit: 3, baseMs: 20, maxMs: 200 },
      limitPauseMs: 1_000,
      jobExpireSeconds: 30,
      maintenanceSeconds: 1,
      salesforceTimeoutMs: 5_000,
      shutdownMs: 5_000,
      ...overrides,
    }),
    reset: async () => {
      await database.pool.query('TRUNCATE conversations, dead_letters');
      await database.pool.query('DELETE FROM pgboss.job').catch(() => undefined);
    },
    stop: async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
