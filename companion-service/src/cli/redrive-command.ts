import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadQueueConfig } from '../config/queue-config.js';
import { openDatabase } from '../adapters/postgres/database.js';
import { orgDatabase, singleOrgOf } from '../adapters/postgres/org-scope.js';
import { findConversation } from '../adapters/postgres/conversation-table.js';
import { PostgresIngestQueue, startBoss } from '../adapters/postgres/postgres-ingest-queue.js';
import { redrive } from '../services/ingest/redrive.js';
import { UsageError } from './options.js';
import { loggerOptions } from '../app/logging.js';

/** `scribe redrive <conversation-id>... | --all-dead`: dead conversations back into the queue. */
export async function runRedrive(args: string[], out: Writable): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { 'all-dead': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/, ''));
  }
  const ids = parsed.positionals;
  const all = parsed.values['all-dead'] === true;
  if (all === ids.length > 0) {
    throw new UsageError('name the dead conversations to re-drive (cv_...), or --all-dead for every one');
  }
  const bad = ids.find((id) => !/^cv_[A-Za-z0-9_-]{22}$/.test(id));
  if (bad) throw new UsageError(`"${bad}" is not a conversation id; they look like cv_4sQ0...`);

  const settings = loadQueueConfig(process.env);
  const logger = pino(loggerOptions('warn'), process.stderr) as unknown as FastifyBaseLogger;
  const database = await openDatabase(
    { databaseUrl: settings.databaseUrl, postgresDir: settings.postgresDir, poolSize: 2 },
    logger,
  );
  try {
    const boss = await startBoss(database.pool, { ...settings, maintenanceSeconds: 3600 }, logger);
    // The org the database serves in single-org mode (the one the service last started for).
    const org = orgDatabase(database.pool, await singleOrgOf(database.pool));
    try {
      const requeued = await redrive(org, new PostgresIngestQueue(org, boss), all ? 'all' : ids);
      for (const id of requeued) out.write(`re-queued ${id}\n`);
      for (const id of ids.filter((i) => !requeued.includes(i))) {
        const record = await findConversation(org, id);
        out.write(
          `${id}: ${record ? `not dead (${record.status}); left as it is` : 'no such conversation'}\n`,
        );
      }
      out.write(
        `${requeued.length} conversation${requeued.length === 1 ? '' : 's'} re-queued from ${database.description}\n`,
      );
      return ids.length > 0 && requeued.length < ids.length ? 1 : 0;
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
  } finally {
    await database.close();
  }
}
