import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig } from '../config/salesforce-config.js';
import { loadQueueConfig } from '../config/queue-config.js';
import { createServiceExtractor } from '../services/choose-extractor.js';
import { buildServer, closeOnSignals } from '../app/server.js';
import { loadMailConfig } from '../config/mail-config.js';
import { UsageError } from './options.js';

/**
 * Works queued conversations without serving HTTP: as many of these as wanted, on any machine that
 * reaches the Postgres and the org. Stops on SIGINT or SIGTERM after the conversations in hand.
 */
export async function runWorker(_args: string[], out: Writable): Promise<number> {
  const service = loadServiceConfig(process.env);
  const salesforce = loadSalesforceConfig(process.env);
  const queue = loadQueueConfig(process.env);
  if (salesforce.kind === 'local') {
    throw new UsageError(
      'scribe worker needs a real org in SF_*: SF_ORG=local starts the local org inside `scribe serve` (for a local org of its own, run `scribe local-org` and set SF_INSTANCE_URL and SF_ACCESS_TOKEN from what it prints)',
    );
  }
  const server = await buildServer({
    host: service.host,
    port: 0,
    logLevel: service.logLevel,
    salesforce,
    ...createServiceExtractor(process.env),
    queue,
    // Platform events are taken in by `scribe serve`; a worker only works what is queued.
    pubsub: null,
    // So is mail: a worker writes meetings' Events but never listens for SMTP.
    mail: { ...loadMailConfig(process.env), smtp: null },
  });
  await server.ready();
  out.write(
    `Pipeline Scribe worker: ${queue.concurrency} at a time from ${server.conversations.database.description}, against ${server.salesforce.description}\n`,
  );
  closeOnSignals(server, 'stopping: finishing the conversations in hand');
  return 0;
}
