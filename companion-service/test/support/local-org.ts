import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Connection } from 'jsforce';
import {
  INTEGRATION_USERNAME,
  startLocalOrg,
  type LocalOrg,
  type LocalOrgOptions,
} from '@pipeline-scribe/local-salesforce/org';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';
import { PackageNamespace, readPackageNames } from '../../src/adapters/salesforce/package-namespace.js';
import { DEFAULT_PACKAGE_DIR } from '../../src/adapters/metadata/package-metadata.js';
import app from '../../src/app/app.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../../src/cli/start-command.js';
import type { QueueConfig } from '../../src/config/queue-config.js';
import type { TestDatabase } from './postgres.js';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';

/**
 * A local org on loopback with a connected app whose key the tests hold, so the service logs in with
 * the JWT bearer flow exactly as against a real org; and the app built on it for inject().
 */

const CONSUMER_KEY = 'TestConnectedAppConsumerKey';
let keys: ReturnType<typeof generateKeyPairSync> | null = null;

export function testKeys() {
  keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    consumerKey: CONSUMER_KEY,
    privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface TestOrg {
  org: LocalOrg;
  config: SalesforceConfig;
  /**
   * A REST connection as the local admin, for arranging data and checking what was written. It
   * speaks the package's local names (`Suggestion__c`) through the service's own namespace codec, so
   * tests read as the service does while the org holds `pscribe__Suggestion__c`.
   */
  admin: Connection;
  /** The package's namespace in this org, as the service's codec knows it. */
  names: PackageNamespace;
  /** Records of an object straight from the org's store, with local names (`Conversation__c`). */
  records(object: string): Record<string, unknown>[];
}

let packageNames: Promise<Set<string>> | null = null;

/** The namespace codec for an org: the same translation the service applies to every call. */
export async function namesOf(org: LocalOrg): Promise<PackageNamespace> {
  packageNames ??= readPackageNames(DEFAULT_PACKAGE_DIR);
  return new PackageNamespace(org.schema.namespace, await packageNames);
}

/** A jsforce connection that speaks local names to a namespaced org. */
export function speakingLocalNames(conn: Connection, names: PackageNamespace): Connection {
  const send = conn.request.bind(conn);
  const translated = (
    request: string | { method?: string; url: string; body?: unknown; headers?: Record<string, string> },
    options?: object,
  ) => {
    const req = typeof request === 'string' ? { method: 'GET', url: request } : { ...request };
    req.url = names.pathToOrg(req.url);
    if (typeof req.body === 'string' && req.body.trim().startsWith('{')) {
      req.body = JSON.stringify(names.bodyToOrg(JSON.parse(req.body)));
    }
    return Promise.resolve(send(req as never, options as never)).then((result) => names.bodyFromOrg(result));
  };
  conn.request = translated as unknown as Connection['request'];
  return conn;
}

/** Records of an object from the org's store, named locally. */
export function localRecords(
  org: LocalOrg,
  names: PackageNamespace,
  object: string,
): Record<string, unknown>[] {
  return org.store.all(names.toOrg(object)).map((r) => names.bodyFromOrg(r) as Record<string, unknown>);
}

export async function startTestOrg(
  options: LocalOrgOptions = {},
  tuning: Partial<SalesforceConfig> = {},
): Promise<TestOrg> {
  const k = testKeys();
  const org = await startLocalOrg({
    connectedApps: [{ consumerKey: k.consumerKey, certificate: k.certificate }],
    ...options,
  });
  const config: SalesforceConfig = {
    kind: 'org',
    jwt: {
      loginUrl: org.url,
      clientId: k.consumerKey,
      username: INTEGRATION_USERNAME,
      privateKey: k.privateKey,
    },
    token: null,
    apiVersion: '62.0',
    slowdownAt: 0.8,
    maxDelayMs: 0,
    rulesTtlMs: 300_000,
    ...tuning,
  } as SalesforceConfig;
  const names = await namesOf(org);
  const admin = speakingLocalNames(
    new Connection({
      instanceUrl: org.url,
      accessToken: org.issueAccessToken('admin@pipeline-scribe.local'),
      version: '62.0',
    }),
    names,
  );
  return { org, config, admin, names, records: (object) => localRecords(org, names, object) };
}

export interface TestAppOptions {
  /** The test file's Postgres; conversations are kept and queued there. */
  db: TestDatabase;
  apiKey?: string | null;
  /** False: an app that only takes conversations in. */
  worker?: boolean;
  queue?: Partial<QueueConfig>;
}

export async function buildTestApp(
  config: SalesforceConfig,
  options: TestAppOptions,
): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  await server.register(fp(app), {
    salesforce: config,
    extractor: new EmbeddedExtractor(),
    apiKey: options.apiKey ?? null,
    queue: options.db.settings(options.queue),
    database: options.db.database,
    worker: options.worker,
  });
  await server.ready();
  return server;
}

/** The sample conversation as the POST body npm start sends. */
export async function sampleBody(
  file: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const text = await readFile(path.join(SAMPLES, file), 'utf8');
  const dates = JSON.parse(await readFile(path.join(SAMPLES, 'stages.json'), 'utf8')) as Record<
    string,
    { meetingDate?: string }
  >;
  const meetingDate = dates[file]?.meetingDate;
  return {
    ...(file.endsWith('.json') ? { gong: JSON.parse(text) } : { content: text }),
    ...(meetingDate ? { meetingDate } : {}),
    ...extra,
  };
}

export const SAMPLE_FILES = [
  '01-fabrikam-discovery.gong.json',
  '02-tailspin-champion-left.txt',
  '03-wingtip-email.eml',
  '04-northwind-notes.md',
  '05-voice-memo-litware.txt',
];

export async function opportunityByName(admin: Connection, name: string): Promise<Record<string, unknown>> {
  const result = await admin.query<Record<string, unknown>>(
    `SELECT Id, Name, AccountId, OwnerId, StageName, NextStep, Budget__c, Competitors__c, CloseDate, TotalOpportunityQuantity FROM Opportunity WHERE Name = '${name}'`,
  );
  if (!result.records[0]) throw new Error(`no opportunity named ${name}`);
  return result.records[0];
}

/** Follows a conversation through the API until the worker is done with it (processed or dead). */
export async function settleConversation(
  server: FastifyInstance,
  id: string,
  timeoutMs = 10_000,
): Promise<ConversationStatusBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (
      await server.inject({ method: 'GET', url: `/v1/conversations/${id}` })
    ).json() as ConversationStatusBody;
    if (body.status === 'processed' || body.status === 'dead') return body;
    if (Date.now() > deadline) throw new Error(`conversation ${id} did not settle`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
