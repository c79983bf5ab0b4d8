import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import {
  ADMIN_USERNAME,
  INTEGRATION_USERNAME,
  startLocalOrg,
  type LocalOrg,
} from '@pipeline-scribe/local-salesforce/org';
import {
  REQUEST_FAULTS,
  WRITE_FAULTS,
  type FaultSettings,
} from '@pipeline-scribe/local-salesforce/org/faults';
import { startLocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import type { SalesforceConfig } from '../config/salesforce-config.js';
import { ServiceConfigError, type LocalOrgFaultSettings } from '../config/service-config.js';
import { connectOrg, type OrgConnection } from '../services/org-connection.js';

/**
 * The embedded default for Salesforce, composed here and only here (with the CLI): the local org is
 * started and logged into exactly as a real one is (a connected app with a certificate and the JWT
 * bearer flow as the integration user), so the default path exercises the production one.
 */

export interface LocalOrgSettings {
  /** A JSON file to keep the local org's records in; omitted keeps them in memory. */
  dataFile?: string;
  port?: number;
  packageDir?: string;
  faults?: LocalOrgFaultSettings;
}

const LOCAL_CONSUMER_KEY = 'PipelineScribeLocalConnectedApp';

export function localDataFile(dataDir: string): string {
  return path.join(dataDir, 'local-org.json');
}

/** The SCRIBE_LOCAL_ORG_* fault settings as the local org takes them; an unknown code is refused. */
export function localOrgFaults(settings: LocalOrgFaultSettings = {}): FaultSettings {
  const faults: FaultSettings = {};
  if (settings.latency) {
    const [min, max] = settings.latency.split('-').map(Number) as [number, number | undefined];
    faults.latencyMs = max === undefined ? min : { min, max };
  }
  if (settings.errorRates) {
    const known = new Set<string>([...REQUEST_FAULTS, ...WRITE_FAULTS]);
    const pairs = settings.errorRates.split(',').map((pair) => pair.split('=') as [string, string]);
    const unknown = pairs.find(([code]) => !known.has(code));
    if (unknown) {
      throw new ServiceConfigError(
        `SCRIBE_LOCAL_ORG_ERROR_RATES names ${unknown[0]}, which the local org does not inject: use CODE=share pairs with the codes ${[...known].join(', ')}`,
      );
    }
    faults.errorRates = Object.fromEntries(
      pairs.map(([code, share]) => [code, Number(share)]),
    ) as FaultSettings['errorRates'];
  }
  return faults;
}

/** A connection to the embedded org, with the org itself for tests and tools that look inside it. */
export interface EmbeddedOrgConnection extends OrgConnection {
  localOrg: LocalOrg;
}

export async function connectEmbeddedOrg(
  config: SalesforceConfig,
  logger: Logger,
  local: LocalOrgSettings = {},
): Promise<EmbeddedOrgConnection> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const org = await startLocalOrg({
    dataFile: local.dataFile,
    port: local.port,
    packageDir: local.packageDir,
    faults: localOrgFaults(local.faults),
    connectedApps: [
      {
        consumerKey: LOCAL_CONSUMER_KEY,
        certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
  });
  try {
    const connection = await connectOrg(config, logger, {
      jwt: {
        loginUrl: org.url,
        clientId: LOCAL_CONSUMER_KEY,
        username: INTEGRATION_USERNAME,
        privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      embedded: {
        url: org.url,
        apiCallsCounted: () => org.usage().used,
        adminSession: () => org.issueAccessToken(ADMIN_USERNAME),
        startEventBus: async ({ port, eventFile, logger: log }) => {
          const bus = await startLocalPubSub({ org, port, eventFile, logger: log });
          return { endpoint: bus.endpoint, instanceUrl: bus.instanceUrl, close: () => bus.close() };
        },
      },
      description: `the local org at ${org.url}${local.dataFile ? ` (data in ${local.dataFile})` : ' (in memory)'}`,
      onClose: () => org.close(),
    });
    return { ...connection, localOrg: org };
  } catch (error) {
    await org.close();
    throw error;
  }
}

/** The org the settings name: a real one, or the embedded local org when SF_* names none. */
export function connectConfiguredOrg(
  config: SalesforceConfig,
  logger: Logger,
  local: LocalOrgSettings = {},
): Promise<OrgConnection> {
  return config.kind === 'local' ? connectEmbeddedOrg(config, logger, local) : connectOrg(config, logger);
}
