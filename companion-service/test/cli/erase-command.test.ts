import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runErase } from '../../src/cli/erase-command.js';
import { UsageError } from '../../src/cli/options.js';
import {
  insertConversation,
  markProcessed,
  startAttempt,
} from '../../src/adapters/postgres/conversation-table.js';
import { conversationIdFor } from '../../src/adapters/postgres/postgres-ingest-queue.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

/**
 * `scribe erase` against the embedded Postgres a service would use (SCRIBE_POSTGRES_DIR): what it
 * refuses, the summary it prints, and the sweep it runs on demand.
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());
afterEach(() => vi.unstubAllEnvs());

async function run(args: string[]): Promise<{ code: number; out: string }> {
  vi.stubEnv('DATABASE_URL', db.url ?? '');
  vi.stubEnv('SCRIBE_POSTGRES_DIR', db.postgresDir);
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  const code = await runErase(args, out);
  return { code, out: text };
}

async function stored(key: string, content: string, finished: boolean): Promise<string> {
  const id = conversationIdFor('api', key);
  await insertConversation(db.database.pool, {
    id,
    source: 'api',
    idempotencyKey: key,
    correlationId: key,
    payload: { content },
    receivedAt: new Date().toISOString(),
  });
  if (finished) {
    await startAttempt(db.database.pool, id);
    await markProcessed(db.database.pool, id, {} as never);
  }
  return id;
}

describe('scribe erase', () => {
  it.each([
    [[], 'name what to erase'],
    [['--conversation', 'cv_x', '--email', 'a@b.co'], 'name what to erase'],
    [['--conversation', '42'], '"42" is not a conversation id'],
    [['--email', 'nobody'], '--email needs an address'],
    [['--expired', '--in-org'], '--in-org goes with --conversation or --email'],
  ])('refuses %j naming the fix', async (args, message) => {
    await expect(run(args)).rejects.toThrow(UsageError);
    await expect(run(args)).rejects.toThrow(message);
  });

  it('erases every conversation naming the address, in any case, and prints the count per store as JSON', async () => {
    const a = await stored('one', 'From: Ana <ana.lopez@fabrikam.com>\nWe agreed on 40k.', true);
    const b = await stored('two', 'Call notes: ANA.LOPEZ@FABRIKAM.COM wants a demo', false);
    const other = await stored('three', 'From: Raj <raj@fabrikam.com>\nNo budget yet.', true);
    const { code, out } = await run(['--email', 'Ana.Lopez@fabrikam.com', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(out) as {
      conversations: string[];
      service: Record<string, number>;
      org: null;
    };
    expect(summary.conversations.sort()).toEqual([a, b].sort());
    expect(summary.service).toMatchObject({ conversations: 2, deadLetters: 0, suggestionDecisions: 0 });
    expect(summary.org).toBeNull();
    const { rows } = await db.database.pool.query<{ id: string }>('SELECT id FROM conversations');
    expect(rows.map((r) => r.id)).toEqual([other]);
  });

  it('says so, with exit code 1, when the conversation is not there', async () => {
    const { code, out } = await run(['--conversation', 'cv_AAAAAAAAAAAAAAAAAAAAAA']);
    expect(code).toBe(1);
    expect(out).toContain('no conversation cv_AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('--expired keeps what finished within SCRIBE_RETENTION_DAYS', async () => {
    const recent = await stored('recent', 'notes', true);
    vi.stubEnv('SCRIBE_RETENTION_DAYS', '1');
    const { code, out } = await run(['--expired']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Purged what finished before \S+ \(SCRIBE_RETENTION_DAYS=1\) from .*: conversations 0,/,
    );
    const { rowCount } = await db.database.pool.query('SELECT 1 FROM conversations WHERE id = $1', [recent]);
    expect(rowCount).toBe(1);
  });
});
