import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import type { FastifyBaseLogger } from 'fastify';
import type { LocalOrg } from '../org/local-org.js';
import type { PublishedEvent } from '../org/api/context.js';
import { EventLog, type RetainedEvent } from './event-log.js';
import { encodeEvent, eventSchemas, topicNameOf, type EventSchema } from './event-schemas.js';
import { pubSubService, type Caller } from './pubsub-service.js';
import { selfSignedCertificate } from './tls.js';

/**
 * The local Pub/Sub API: Salesforce's gRPC event bus on loopback, built from the pubsub_api.proto
 * the client package ships, over TLS with a certificate made at start. The local org feeds it every
 * platform event it publishes, and it takes the local org's sessions, so the real Pub/Sub client
 * subscribes to it exactly as it would to api.pubsub.salesforce.com.
 */

export interface LocalPubSubOptions {
  org: LocalOrg;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** An append-only file to keep events in across restarts; omitted keeps them in memory. */
  eventFile?: string;
  /** How often an idle subscription gets an empty response (Salesforce: within 270 s). */
  keepaliveMs?: number;
  retentionMs?: number;
  logger?: FastifyBaseLogger;
}

export interface LocalPubSub {
  /** host:port, as the client's pubSubEndpoint takes it. */
  endpoint: string;
  /** The instance URL callers must name (the client insists on https). */
  instanceUrl: string;
  orgId: string;
  log: EventLog;
  schemas: Map<string, EventSchema>;
  /** Puts raw bytes on a topic as if published: for proving a subscriber survives bad payloads. */
  appendRaw(topicName: string, payload: Buffer, id?: string): RetainedEvent;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

export function pubSubProtoPath(): string {
  return path.resolve(
    path.dirname(require.resolve('salesforce-pubsub-api-client')),
    '..',
    'pubsub_api.proto',
  );
}

/** The https form of the local org's URL: the Pub/Sub client refuses an http instance URL. */
export function pubSubInstanceUrl(orgUrl: string): string {
  return orgUrl.replace(/^http:/, 'https:');
}

function authenticator(org: LocalOrg, instanceUrl: string) {
  const org15 = org.orgId.slice(0, 15);
  return (caller: Caller): string | null => {
    if (!caller.accessToken) return 'no accesstoken in the call metadata: send the session id of the org';
    if (caller.tenantId.slice(0, 15) !== org15) {
      return `tenantid "${caller.tenantId}" is not this org (${org.orgId}): send the org id the access token belongs to`;
    }
    if (caller.instanceUrl.replace(/\/+$/, '') !== instanceUrl) {
      return `instanceurl "${caller.instanceUrl}" is not this org's instance (${instanceUrl})`;
    }
    if (!org.sessionUser(caller.accessToken)) {
      return 'the access token is not a live session of this org (expired or revoked): log in again and use the new token';
    }
    return null;
  };
}

export async function startLocalPubSub(options: LocalPubSubOptions): Promise<LocalPubSub> {
  const { org } = options;
  const schemas = eventSchemas(org.schema);
  const log = new EventLog({ file: options.eventFile, retentionMs: options.retentionMs });
  const instanceUrl = pubSubInstanceUrl(org.url);
  const definition = protoLoader.loadSync(pubSubProtoPath(), {});
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: { service: grpc.ServiceDefinition } } };
  };
  const server = new grpc.Server();
  server.addService(
    proto.eventbus.v1.PubSub.service,
    pubSubService({
      log,
      schemas,
      tenantGuid: org.orgId,
      authenticate: authenticator(org, instanceUrl),
      keepaliveMs: options.keepaliveMs ?? 270_000,
    }),
  );
  const tls = await selfSignedCertificate();
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${options.port ?? 0}`,
      grpc.ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }], false),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );

  const fromOrg = (event: PublishedEvent) => {
    const schema = schemas.get(topicNameOf(event.type));
    if (!schema) return;
    log.append({
      topicName: schema.topicName,
      id: event.uuid,
      schemaId: schema.schemaId,
      payload: encodeEvent(schema, event.payload, event.createdDate, event.createdById),
    });
  };
  const stopFeeding = org.onPlatformEvent((event) => {
    try {
      fromOrg(event);
    } catch (error) {
      options.logger?.error({ err: error, event: event.type }, 'the local Pub/Sub could not take an event');
    }
  });
  options.logger?.info(
    { endpoint: `localhost:${port}`, topics: [...schemas.keys()] },
    'local Pub/Sub API started',
  );

  return {
    endpoint: `localhost:${port}`,
    instanceUrl,
    orgId: org.orgId,
    log,
    schemas,
    appendRaw: (topicName, payload, id) => {
      const schema = schemas.get(topicName);
      if (!schema) throw new Error(`no topic ${topicName}`);
      return log.append({ topicName, id: id ?? randomUUID(), schemaId: schema.schemaId, payload });
    },
    close: async () => {
      stopFeeding();
      // Subscriptions never end by themselves, so waiting for calls to finish would wait forever.
      server.forceShutdown();
    },
  };
}
