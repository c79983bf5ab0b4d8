import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { countByStatus } from '../../src/adapters/postgres/conversation-table.js';
import type { TestDatabase } from '../support/postgres.js';

/**
 * What the proofs share: worker processes started through `scribe worker` against the test's local
 * org and Postgres, and counts of what the org holds by external id.
 */

const SCRIBE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/scribe.js');

export async function startProofOrg(): Promise<LocalOrg> {
  return startLocalOrg({ dailyApiLimit: 1_000_000 });
}

export async function workerEnv(org: LocalOrg, db: TestDatabase, extra: Record<string, string> = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'scribe-worker-'));
  await chmod(dataDir, 0o755);
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SF_INSTANCE_URL: org.url,
    SF_ACCESS_TOKEN: org.issueAccessToken(),
    SF_API_MAX_DELAY_MS: '0',
    DATABASE_URL: db.database.connectionString,
    SCRIBE_DATA_DIR: dataDir,
    SCRIBE_LOG_LEVEL: process.env.PROOF_VERBOSE ? 'info' : 'error',
    SCRIBE_WORKER_CONCURRENCY: '3',
    SCRIBE_WORKER_POLL_MS: '500',
    // Job expiry, queue maintenance and the orphan sweep keep their defaults: recovery from a kill is
    // what a deployment gets, not a test's shortcut.
    SCRIBE_RETRY_BASE_MS: '50',
    SCRIBE_RETRY_MAX_MS: '500',
    ...extra,
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker says it is taking work (booting takes seconds on a busy machine). */
  working: Promise<void>;
  /** True once `working` has resolved. */
  isWorking(): boolean;
}

export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [SCRIBE, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (process.env.PROOF_VERBOSE) process.stderr.write(chunk);
  });
  const working = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Pipeline Scribe worker')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`the worker exited (${code ?? signal}) before working`)),
    );
  });
  working.catch(() => undefined);
  let ready = false;
  void working.then(() => (ready = true)).catch(() => undefined);
  return { child, working, isWorking: () => ready };
}

export async function stopWorker(
  { child }: WorkerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export async function waitUntilSettled(db: TestDatabase, total: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await countByStatus(db.database.pool);
    if (counts.processed + counts.dead >= total) return;
    if (Date.now() > deadline) throw new Error(`not settled in time: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The conversations in hand ('processing') that no session holds: their worker is gone. A live worker
 * takes a conversation's advisory lock before it starts it and lets go only after its outcome is
 * committed (services/worker.ts), so 'processing' without the lock means its holder died. Postgres
 * keeps a bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
 * https://www.postgresql.org/docs/current/view-pg-locks.html
 */
export async function orphanedConversations(db: TestDatabase): Promise<{ id: string; attempts: number }[]> {
  const { rows } = await db.database.pool.query<{ id: string; attempts: number }>(
    `SELECT c.id, c.attempts FROM conversations c
      WHERE c.status = 'processing'
        AND NOT EXISTS (
          SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
             AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(c.org_id || '/' || c.id, 0))`,
  );
  return rows;
}

/** Tasks and Events in the org: each conversation is logged as one. */
export function activityCount(org: LocalOrg): number {
  return org.store.all('Task').length + org.store.all('Event').length;
}

/** How many records of the object hold each external id value (a value twice is a duplicate write). */
export function byExternalId(org: LocalOrg, object: string, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  const [objectName, fieldName] = org.schema.apiName(`${object}.${field}`).split('.') as [string, string];
  for (const record of org.store.all(objectName)) {
    const value = record[fieldName];
    if (typeof value === 'string') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

export const duplicates = (counts: Map<string, number>) => [...counts].filter(([, n]) => n > 1);
