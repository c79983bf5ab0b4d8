import type pg from 'pg';
import { requeueDead } from '../../adapters/postgres/conversation-table.js';
import type { PostgresIngestQueue } from '../../adapters/postgres/postgres-ingest-queue.js';

/**
 * Dead conversations back into the queue once their cause is fixed (a validation rule relaxed, a
 * field made writable): attempts start again from zero, and the dead letter keeps when it was
 * re-driven. Row and job commit together, like an enqueue.
 */
export async function redrive(
  pool: pg.Pool,
  queue: PostgresIngestQueue,
  which: string[] | 'all',
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const ids = await requeueDead(client, which);
    for (const id of ids) await queue.schedule(client, id);
    await client.query('COMMIT');
    return ids;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
