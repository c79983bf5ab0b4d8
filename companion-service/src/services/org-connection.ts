import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { SalesforceConfig } from '../config/salesforce-config.js';
import { SalesforceClient } from '../adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../adapters/salesforce/org-rules.js';
import { INTEGRATION_USERNAME, startLocalOrg, type LocalOrg } from '../local-org/local-org.js';
import type { FaultSettings } from '../local-org/faults.js';

/**
 * The Salesforce the service works against: the org the SF_* settings name, or else the local org,
 * started here and logged into exactly as a real one is (a connected app with a certificate and the
 * JWT bearer flow as the integration user), so the default path exercises the production one.
 */

export interface OrgConnection {
  api: SalesforceClient;
  snapshots: OrgSnapshotCache;
  localOrg: LocalOrg | null;
  /** Where the data lives, for people: the instance URL, and the local org's data file if any. */
  description: string;
  close(): Promise<void>;
}

export interface LocalOrgSettings {
  /** A JSON file to keep the local org's records in; omitted keeps them in memory. */
  dataFile?: string;
  port?: number;
  packageDir?: string;
  faults?: FaultSettings;
}

const LOCAL_CONSUMER_KEY = 'PipelineScribeLocalConnectedApp';

export function localDataFile(dataDir: string): string {
  return path.join(dataDir, 'local-org.json');
}

export async function connectOrg(
  config: SalesforceConfig,
  logger: Logger,
  local: LocalOrgSettings = {},
): Promise<OrgConnection> {
  let localOrg: LocalOrg | null = null;
  let jwt = config.kind === 'org' ? config.jwt : null;
  const token = config.kind === 'org' ? config.token : null;
  if (config.kind === 'local') {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    localOrg = await startLocalOrg({
      dataFile: local.dataFile,
      port: local.port,
      packageDir: local.packageDir,
      faults: local.faults,
      connectedApps: [
        {
          consumerKey: LOCAL_CONSUMER_KEY,
          certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      ],
    });
    jwt = {
      loginUrl: localOrg.url,
      clientId: LOCAL_CONSUMER_KEY,
      username: INTEGRATION_USERNAME,
      privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
  try {
    const api = await SalesforceClient.connect({ ...config, jwt, token, logger });
    const snapshots = new OrgSnapshotCache(() => readOrgSnapshot(api, Date.now()), config.rulesTtlMs, logger);
    await snapshots.get();
    const where = localOrg
      ? `the local org at ${localOrg.url}${local.dataFile ? ` (data in ${local.dataFile})` : ' (in memory)'}`
      : api.instanceUrl;
    return { api, snapshots, localOrg, description: where, close: async () => localOrg?.close() };
  } catch (error) {
    await localOrg?.close();
    throw error;
  }
}
