import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, readMigrations } from '../../../src/adapters/postgres/migrate.js';
import {
  findConversation,
  insertConversation,
  markDead,
  requeueDead,
  startAttempt,
} from '../../../src/adapters/postgres/conversation-table.js';
import { openDatabase } from '../../../src/adapters/postgres/database.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/** The embedded Postgres, the migrations and the conversations table, on a real cluster. */

let t: TestDatabase;
beforeAll(async () => {
  t = await startTestDatabase();
}, 60_000);
afterAll(async () => t?.stop());

const conversation = (id: string, key: string) => ({
  id,
  source: 'api',
  idempotencyKey: key,
  correlationId: `corr-${id}`,
  payload: { content: 'notes' },
  receivedAt: '2026-03-10T10:00:00.000Z',
});

describe('migrations', () => {
  it('are applied once, in order, and recorded', async () => {
    const { rows } = await t.database.pool.query(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows.slice(0, 2)).toEqual([
      { version: 1, name: 'conversations' },
      { version: 2, name: 'dead_letters' },
    ]);
    expect(await migrate(t.database.pool, silentLogger)).toEqual([]);
  });

  it('refuse a badly named or twice-numbered file, and roll a failing one back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-migrations-'));
    try {
      await writeFile(path.join(dir, '901_fine.sql'), 'CREATE TABLE migration_probe (id int)');
      await writeFile(
        path.join(dir, '902_broken.sql'),
        'CREATE TABLE migration_probe_2 (id int); SELECT nope',
      );
      await expect(migrate(t.database.pool, silentLogger, dir)).rejects.toThrow(/902_broken failed/);
      const { rows } = await t.database.pool.query(
        "SELECT to_regclass('migration_probe') AS one, to_regclass('migration_probe_2') AS two",
      );
      expect(rows[0]).toEqual({ one: 'migration_probe', two: null });
      await writeFile(path.join(dir, '901_again.sql'), 'SELECT 1');
      await expect(readMigrations(dir)).rejects.toThrow(/two migrations are numbered 901/);
      await rm(path.join(dir, '901_again.sql'));
      await writeFile(path.join(dir, 'notes.sql'), 'SELECT 1');
      await expect(readMigrations(dir)).rejects.toThrow(/notes.sql is not named NNN_/);
    } finally {
      await t.database.pool.query('DROP TABLE IF EXISTS migration_probe');
      await t.database.pool.query('DELETE FROM schema_migrations WHERE version >= 900');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the conversations table', () => {
  it('keeps one row per source and idempotency key', async () => {
    await t.reset();
    expect(await insertConversation(t.database.pool, conversation('cv_a', 'k1'))).toBe(true);
    expect(await insertConversation(t.database.pool, conversation('cv_b', 'k1'))).toBe(false);
    expect(await insertConversation(t.database.pool, { ...conversation('cv_c', 'k1'), source: 'gong' })).toBe(
      true,
    );
    const status = await findConversation(t.database.pool, 'cv_a');
    expect(status).toMatchObject({ status: 'queued', attempts: 0, correlationId: 'corr-cv_a' });
    // A status read leaves the stored text in the database; the worker taking it in hand reads it.
    expect(status).not.toHaveProperty('payload');
    expect(await startAttempt(t.database.pool, 'cv_a')).toMatchObject({
      status: 'processing',
      payload: { content: 'notes' },
    });
  });

  it('shows a dead conversation with its reason, and a re-drive puts it back with the letter stamped', async () => {
    await t.reset();
    await insertConversation(t.database.pool, conversation('cv_d', 'k2'));
    await startAttempt(t.database.pool, 'cv_d');
    expect(
      await markDead(t.database.pool, 'cv_d', {
        reason: 'Required field missing',
        errorCode: 'INVALID_FIELD',
      }),
    ).toBe(true);
    expect(await findConversation(t.database.pool, 'cv_d')).toMatchObject({
      status: 'dead',
      attempts: 1,
      error: { code: 'INVALID_FIELD', message: 'Required field missing' },
      deadLetter: { reason: 'Required field missing', errorCode: 'INVALID_FIELD' },
    });
    expect(await startAttempt(t.database.pool, 'cv_d')).toBeNull();
    expect(await requeueDead(t.database.pool, 'all')).toEqual(['cv_d']);
    expect(await findConversation(t.database.pool, 'cv_d')).toMatchObject({
      status: 'queued',
      attempts: 0,
      deadLetter: null,
    });
    const { rows } = await t.database.pool.query('SELECT redriven_at FROM dead_letters');
    expect(rows).toHaveLength(1);
    expect(rows[0].redriven_at).toBeInstanceOf(Date);
  });
});

describe('the embedded Postgres', () => {
  it('is joined, not started twice, by a second process on the same folder, and keeps its data', async () => {
    if (t.url) return;
    const second = await openDatabase({ databaseUrl: null, postgresDir: t.postgresDir }, silentLogger);
    try {
      expect(second.embedded).toBe(false);
      await insertConversation(t.database.pool, conversation('cv_e', 'k3'));
      expect(await findConversation(second.pool, 'cv_e')).not.toBeNull();
    } finally {
      await second.close();
    }
    expect((await t.database.pool.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
  });

  it('logs a dropped idle connection by its code alone, never the client and its connection settings', async () => {
    const warnings: unknown[] = [];
    const logger = {
      ...silentLogger,
      warn: (entry: unknown) => void warnings.push(entry),
    } as typeof silentLogger;
    const other = await openDatabase(
      { databaseUrl: t.database.connectionString, postgresDir: t.postgresDir },
      logger,
    );
    try {
      const client = await other.pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      client.release();
      await t.database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await expect.poll(() => warnings.length).toBe(1);
      expect(warnings[0]).toEqual({
        err: { message: expect.stringContaining('terminating'), code: '57P01' },
      });
      expect(JSON.stringify(warnings[0])).not.toContain('connectionParameters');
    } finally {
      await other.close();
    }
  });
});
