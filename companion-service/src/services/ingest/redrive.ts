import type { OrgDatabase } from '../../adapters/postgres/org-scope.js';
import { requeueDead } from '../../adapters/postgres/conversation-table.js';
import type { PostgresIngestQueue } from '../../adapters/postgres/postgres-ingest-queue.js';

/**
 * Dead conversations back into the queue once their cause is fixed (a validation rule relaxed, a
 * field made writable): attempts start again from zero, and the dead letter keeps when it was
 * re-driven. Row and job commit together, like an enqueue.
 */
export async function redrive(
  org: OrgDatabase,
  queue: PostgresIngestQueue,
  which: string[] | 'all',
): Promise<string[]> {
  return org.transaction(async (client) => {
    const ids = await requeueDead(client, which);
    for (const id of ids) await queue.schedule(client, id);
    return ids;
  });
}
