import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/postgres/database.js';
import { startBoss } from '../../../src/adapters/postgres/postgres-ingest-queue.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/**
 * Several processes (a web process and its workers) started at once on an empty database: each runs
 * the migrations and starts the queue. Without one lock around both, pg-boss's CREATE SCHEMA raced and
 * 2-3 starts in 10 failed with a duplicate key on pg_namespace.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await startTestDatabase();
}, 60_000);
afterAll(async () => t?.stop());

async function emptyDatabase(name: string): Promise<string> {
  await t.database.pool.query(`DROP DATABASE IF EXISTS ${name}`);
  await t.database.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(t.database.connectionString);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('starting together on an empty database', () => {
  it.each([1, 2, 3])(
    'four processes all start, each with the same schema and queues (round %i)',
    async (round) => {
      const url = await emptyDatabase(`scribe_concurrent_${round}`);
      const databases: Database[] = [];
      try {
        const started = await Promise.allSettled(
          Array.from({ length: 4 }, async () => {
            const database = await openDatabase(
              { databaseUrl: url, postgresDir: t.postgresDir },
              silentLogger,
            );
            databases.push(database);
            const boss = await startBoss(
              database.pool,
              { jobExpireSeconds: 30, maintenanceSeconds: 60 },
              silentLogger,
            );
            await boss.stop({ graceful: false, wait: true });
          }),
        );
        expect(started.filter((s) => s.status === 'rejected')).toEqual([]);
        const { rows } = await databases[0]!.pool.query<{ name: string }>(
          'SELECT name FROM pgboss.queue ORDER BY name',
        );
        expect(rows.map((r) => r.name).length).toBe(2);
      } finally {
        await Promise.all(databases.map((d) => d.close()));
      }
    },
    120_000,
  );
});
