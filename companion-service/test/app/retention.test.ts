import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import retention from '../../src/app/plugins/retention.js';
import {
  insertConversation,
  markProcessed,
  startAttempt,
} from '../../src/adapters/postgres/conversation-table.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

/**
 * The retention sweep on its schedule, with a fake clock: the service's timers are faked and its
 * clock stands 91 days ahead, so a conversation finished today is past SCRIBE_RETENTION_DAYS=90.
 */

const DAY = 86_400_000;
let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());
afterEach(() => vi.useRealTimers());

async function processed(id: string): Promise<void> {
  await insertConversation(db.database.pool, {
    id,
    source: 'api',
    idempotencyKey: id,
    correlationId: id,
    payload: { content: 'notes' },
    receivedAt: new Date().toISOString(),
  });
  await startAttempt(db.database.pool, id);
  await markProcessed(db.database.pool, id, {} as never);
}

const exists = async (id: string) =>
  (await db.database.pool.query('SELECT 1 FROM conversations WHERE id = $1', [id])).rowCount === 1;

/** Waits (on real time: only the service's timers are fake) until the sweep has taken the row. */
async function purged(id: string): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (!(await exists(id))) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

async function serviceWithClock(offsetDays: number): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // The one thing the sweep takes from the conversations plugin: the org's rows.
  await app.register(
    fp(
      async (instance) => {
        instance.decorate('conversations', { database: db.database, org: db.org } as never);
      },
      { name: 'conversations' },
    ),
  );
  await app.register(retention, {
    retentionDays: 90,
    now: () => new Date(Date.now() + offsetDays * DAY),
  });
  await app.ready();
  return app;
}

describe('the retention sweep', () => {
  it('runs a minute after start and then every hour, purging only what is past the retention', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await processed('cv_retention_first_sweep_');
    const app = await serviceWithClock(91);
    try {
      await vi.advanceTimersByTimeAsync(59_000);
      expect(await exists('cv_retention_first_sweep_')).toBe(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await purged('cv_retention_first_sweep_')).toBe(true);

      await processed('cv_retention_hourly_sweep');
      await vi.advanceTimersByTimeAsync(3_599_000);
      expect(await exists('cv_retention_hourly_sweep')).toBe(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await purged('cv_retention_hourly_sweep')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('keeps a conversation that finished within the retention', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await processed('cv_retention_kept_recent_');
    const app = await serviceWithClock(89);
    try {
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      // Closing waits for the sweep under way.
      await app.close();
    }
    expect(await exists('cv_retention_kept_recent_')).toBe(true);
  });
});
