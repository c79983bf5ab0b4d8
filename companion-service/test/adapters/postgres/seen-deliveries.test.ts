import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresReplayMemory } from '../../../src/adapters/postgres/seen-deliveries.js';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/** The replay memory shared by web processes, in a real Postgres through migration 055. */

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());
beforeEach(async () => {
  await db.database.pool.query('TRUNCATE seen_deliveries');
});

describe('the replay memory in Postgres', () => {
  it('takes a signature once, per channel, and forgets one that was not taken', async () => {
    const memory = new PostgresReplayMemory(db.database.pool);
    expect(await memory.firstSight('zoom', 'v0=abc', 60_000)).toBe(true);
    expect(await memory.firstSight('zoom', 'v0=abc', 60_000)).toBe(false);
    expect(await memory.firstSight('recordings', 'v0=abc', 60_000)).toBe(true);
    await memory.forget('zoom', 'v0=abc');
    expect(await memory.firstSight('zoom', 'v0=abc', 60_000)).toBe(true);
  });

  it('decides once between two processes offered the same delivery at the same moment', async () => {
    // Two pools stand for two web processes: one connection each, no shared memory.
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: db.database.connectionString, max: 4 }));
    try {
      const memories = pools.map((pool) => new PostgresReplayMemory(pool));
      for (let i = 0; i < 20; i++) {
        const answers = await Promise.all(
          [0, 1, 0, 1].map((p) => memories[p]!.firstSight('zoom', `v0=race-${i}`, 60_000)),
        );
        expect(answers.filter(Boolean), `delivery ${i}`).toHaveLength(1);
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('stores a digest, never the signature, and purges what is past its window', async () => {
    const memory = new PostgresReplayMemory(db.database.pool);
    await memory.firstSight('zoom', 'v0=old', 1);
    await memory.firstSight('zoom', 'v0=fresh', 60_000);
    const stored = await db.database.pool.query<{ fingerprint: string; org_id: string | null }>(
      'SELECT fingerprint, org_id FROM seen_deliveries ORDER BY fingerprint',
    );
    expect(stored.rows.map((r) => r.fingerprint)).not.toContain('v0=old');
    expect(stored.rows.every((r) => /^[0-9a-f]{64}$/.test(r.fingerprint) && r.org_id === null)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 20));
    // Past its window and not purged yet, a key is a first sight again; the fresh one is still a replay.
    expect(await memory.firstSight('zoom', 'v0=old', 1)).toBe(true);
    expect(await memory.firstSight('zoom', 'v0=fresh', 60_000)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await memory.purgeExpired()).toBe(1);
    const left = await db.database.pool.query('SELECT count(*)::int AS n FROM seen_deliveries');
    expect(left.rows[0].n).toBe(1);
  });
});
