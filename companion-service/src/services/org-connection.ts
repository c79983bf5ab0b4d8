import type { FastifyBaseLogger as Logger } from 'fastify';
import type { JwtAuth, SalesforceConfig } from '../config/salesforce-config.js';
import { SalesforceClient } from '../adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../adapters/salesforce/org-rules.js';

/**
 * The Salesforce the service works against, whoever started it: a real org the SF_* settings name,
 * or the embedded org a composition root started and handed over with its JWT login. Use cases only
 * ever see this connection, never how the org behind it came to be.
 */

/** An event bus started beside an embedded org (Salesforce's own runs at SF_PUBSUB_ENDPOINT). */
export interface EmbeddedEventBus {
  endpoint: string;
  /** The https instance URL the Pub/Sub client must be given for this org. */
  instanceUrl: string;
  close(): Promise<void>;
}

/** What an org started by the service itself offers beyond its REST API. */
export interface EmbeddedOrg {
  url: string;
  /** API calls the org itself has counted today, to check the service's own count against. */
  apiCallsCounted(): number;
  /** A session for the org's admin, so a person can look inside with the Salesforce CLI. */
  adminSession(): string;
  startEventBus(options: { port: number; eventFile?: string; logger: Logger }): Promise<EmbeddedEventBus>;
}

export interface OrgConnection {
  api: SalesforceClient;
  snapshots: OrgSnapshotCache;
  /** The org the service started for itself (the embedded default), or null for a real org. */
  embedded: EmbeddedOrg | null;
  /** Where the data lives, for people: the instance URL, and the embedded org's data file if any. */
  description: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A JWT login that replaces the configured one (an embedded org's own connected app). */
  jwt?: JwtAuth;
  embedded?: EmbeddedOrg;
  description?: string;
  onClose?: () => Promise<void>;
}

export async function connectOrg(
  config: SalesforceConfig,
  logger: Logger,
  options: ConnectOptions = {},
): Promise<OrgConnection> {
  const jwt = options.jwt ?? (config.kind === 'org' ? config.jwt : null);
  const token = options.jwt ? null : config.kind === 'org' ? config.token : null;
  const api = await SalesforceClient.connect({ ...config, jwt, token, logger });
  const snapshots = new OrgSnapshotCache(() => readOrgSnapshot(api, Date.now()), config.rulesTtlMs, logger);
  await snapshots.get();
  return {
    api,
    snapshots,
    embedded: options.embedded ?? null,
    description: options.description ?? api.instanceUrl,
    close: async () => options.onClose?.(),
  };
}
