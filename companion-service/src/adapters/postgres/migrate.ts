import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { FastifyBaseLogger as Logger } from 'fastify';

/**
 * Versioned migrations: the numbered SQL files in migrations/ (`NNN_what.sql`), each applied once, in
 * order, in its own transaction, recorded in schema_migrations. An advisory lock makes processes that
 * start together take turns, so none sees half a schema. Numbers: 001-009 the store and queue,
 * 010-019 Platform Events, 020-029 Gong and voice memos, 030-039 retention and erasure, 070-079
 * isolation by org (a new table of an org's data calls scribe_isolate, see 070_org_isolation.sql).
 */

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any fixed number: it names this lock among the advisory locks the database holds. */
const MIGRATION_LOCK = 7_351_020_991;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration ${file} is not named NNN_what_it_does.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations are numbered ${match[1]}; renumber ${file}`);
    }
    migrations.push({ version, name: match[2]!, sql: await readFile(path.join(dir, file), 'utf8') });
  }
  return migrations;
}

/**
 * Runs `work` while this process holds the schema lock, so processes starting together on an empty
 * database take turns: the migrations, and the queue library's own schema (pg-boss creates it with
 * CREATE SCHEMA IF NOT EXISTS, which two sessions at once can fail with a duplicate key on
 * pg_namespace).
 */
export async function underSchemaLock<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Applies what is missing; returns the versions applied now. */
export async function migrate(pool: pg.Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await readMigrations(dir);
  return underSchemaLock(pool, async (client) => {
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.version))) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${String(migration.version).padStart(3, '0')}_${migration.name} failed: ${(error as Error).message}`,
        );
      }
      applied.push(migration.version);
      logger.info({ version: migration.version, name: migration.name }, 'migration applied');
    }
    return applied;
  });
}
