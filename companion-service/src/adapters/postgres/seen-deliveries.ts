import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DeliveryChannel, ReplayMemory } from '../../domain/source/replay-memory.js';

/**
 * The replay memory in Postgres (table seen_deliveries), so that a delivery taken by one web process
 * is a replay to every other. One statement decides: the insert wins, or the row is there and still
 * within its window (a row past its window, not purged yet, is taken over as a first sight).
 */

const fingerprintOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** Rows deleted per purge statement, so one purge never holds the table long. */
const PURGE_BATCH = 10_000;

export class PostgresReplayMemory implements ReplayMemory {
  constructor(private readonly pool: pg.Pool) {}

  async firstSight(channel: DeliveryChannel, key: string, windowMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO seen_deliveries (channel, fingerprint, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (channel, fingerprint) DO UPDATE
         SET seen_at = now(), expires_at = EXCLUDED.expires_at
         WHERE seen_deliveries.expires_at <= now()`,
      [channel, fingerprintOf(key), windowMs],
    );
    return rowCount === 1;
  }

  async forget(channel: DeliveryChannel, key: string): Promise<void> {
    await this.pool.query('DELETE FROM seen_deliveries WHERE channel = $1 AND fingerprint = $2', [
      channel,
      fingerprintOf(key),
    ]);
  }

  /** Deletes the rows past their window; returns how many. */
  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM seen_deliveries WHERE ctid IN (
           SELECT ctid FROM seen_deliveries WHERE expires_at <= now() LIMIT ${PURGE_BATCH})`,
      );
      purged += rowCount ?? 0;
      if ((rowCount ?? 0) < PURGE_BATCH) return purged;
    }
  }
}
