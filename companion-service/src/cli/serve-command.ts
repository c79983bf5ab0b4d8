import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig } from '../config/salesforce-config.js';
import { loadQueueConfig } from '../config/queue-config.js';
import { createServiceExtractor } from '../services/choose-extractor.js';
import { localDataFile } from '../app/embedded-org.js';
import { startServer } from '../app/server.js';

/**
 * The service alone (the API and a worker), against the org in SF_* (or the local org with
 * SF_ORG=local), until Ctrl+C;
 * conversations are kept in DATABASE_URL's Postgres or the embedded one.
 */
export async function runServe(_args: string[], out: Writable): Promise<number> {
  const service = loadServiceConfig(process.env);
  const salesforce = loadSalesforceConfig(process.env);
  const { server, url } = await startServer({
    host: service.host,
    port: service.port,
    anyPortIfTaken: !process.env.SCRIBE_PORT,
    logLevel: service.logLevel,
    salesforce,
    localOrg: {
      dataFile: service.localOrgStorage === 'file' ? localDataFile(service.dataDir) : undefined,
      port: service.localOrgPort,
      faults: service.localOrgFaults,
    },
    ...createServiceExtractor(process.env),
    apiKeys: service.apiKeys,
    apiOpen: service.apiOpen,
    queue: loadQueueConfig(process.env),
  });
  out.write(
    `Pipeline Scribe is running at ${url} against ${server.salesforce.description}, conversations in ${server.conversations.database.description}\n`,
  );
  return 0;
}
