import type pg from 'pg';
import type { KnownSubscription } from '../../domain/source/graph-subscription.js';

/**
 * The Graph subscription every process shares (table graph_subscriptions). `underLock` runs `step`
 * in a transaction holding an advisory lock for the resource, so of several processes one creates
 * or renews it and the others, not getting the lock, leave it to that one.
 */

export type SubscriptionStepResult = KnownSubscription | 'forget' | 'unchanged';

export async function underSubscriptionLock(
  pool: pg.Pool,
  resource: string,
  step: (known: KnownSubscription | null) => Promise<SubscriptionStepResult>,
): Promise<'done' | 'busy'> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ held: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtext('graph-subscription:' || $1)) AS held`,
      [resource],
    );
    if (!lock[0]?.held) {
      await client.query('ROLLBACK');
      return 'busy';
    }
    const { rows } = await client.query<{ subscription_id: string; expires_at: Date }>(
      'SELECT subscription_id, expires_at FROM graph_subscriptions WHERE resource = $1',
      [resource],
    );
    const known = rows[0]
      ? { subscriptionId: rows[0].subscription_id, expiresAt: new Date(rows[0].expires_at) }
      : null;
    const next = await step(known);
    if (next === 'forget') {
      await client.query('DELETE FROM graph_subscriptions WHERE resource = $1', [resource]);
    } else if (next !== 'unchanged') {
      await client.query(
        `INSERT INTO graph_subscriptions (resource, subscription_id, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (resource) DO UPDATE
           SET subscription_id = EXCLUDED.subscription_id, expires_at = EXCLUDED.expires_at, updated_at = now()`,
        [resource, next.subscriptionId, next.expiresAt],
      );
    }
    await client.query('COMMIT');
    return 'done';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
