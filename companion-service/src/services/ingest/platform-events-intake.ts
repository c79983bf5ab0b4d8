import type { OrgDatabase } from '../../adapters/postgres/org-scope.js';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { PubSubConfig } from '../../config/pubsub-config.js';
import type { EmbeddedEventBus, OrgConnection } from '../org-connection.js';
import { PlatformEventSubscriber, type TopicStatus } from '../../adapters/salesforce/pubsub-subscriber.js';
import {
  PostgresDeadLetters,
  PostgresDecisionLog,
  PostgresReplayStore,
  PostgresRescoreRequests,
} from '../../adapters/postgres/pubsub-event-stores.js';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import { platformEventHandler, PLATFORM_EVENT_TOPICS } from './platform-events.js';

/**
 * The platform-event intake as the service runs it: against the local org, the local Pub/Sub server
 * started beside it; against a real org, Salesforce's endpoint; either way the org connection's
 * session, the subscriber on the three topics, and its state in Postgres.
 */

export interface PlatformEventIntakeOptions {
  config: PubSubConfig;
  org: OrgConnection;
  /** The org's rows (org-scope.ts). */
  db: OrgDatabase;
  queue: IngestQueue;
  logger: Logger;
  /** Where the local Pub/Sub server keeps its events across restarts; omitted keeps them in memory. */
  localEventFile?: string;
}

export interface PlatformEventIntake {
  endpoint: string;
  localPubSub: EmbeddedEventBus | null;
  status(): TopicStatus[];
  /** Stops taking events, finishes those in hand and stores where each topic got to. */
  stop(): Promise<void>;
}

export async function startPlatformEventIntake(
  options: PlatformEventIntakeOptions,
): Promise<PlatformEventIntake | null> {
  const { config, org, db: pool, logger } = options;
  if (!config.enabled) {
    logger.info('platform events are off (SCRIBE_PUBSUB=off)');
    return null;
  }
  const log = logger.child({ component: 'platform-events' });
  // Salesforce serves every org over https and its Pub/Sub client refuses anything else: an http
  // instance is a stand-in org (the local org behind a JWT login, in tests), with no event bus.
  if (!org.embedded && !org.api.instanceUrl.startsWith('https://')) {
    log.warn(
      { instanceUrl: org.api.instanceUrl },
      'the org is not served over https, so it has no Pub/Sub API; not subscribing to platform events',
    );
    return null;
  }
  const localPubSub = org.embedded
    ? await org.embedded.startEventBus({
        port: config.localPort,
        eventFile: options.localEventFile,
        logger: log,
      })
    : null;
  const endpoint = localPubSub?.endpoint ?? config.endpoint;
  const decisions = new PostgresDecisionLog(pool);
  const subscriber = new PlatformEventSubscriber({
    endpoint,
    // The local server's certificate is made at its start; a real org's is checked.
    rejectUnauthorizedSsl: !localPubSub,
    session: async (renew) => {
      const session = await org.api.session(renew);
      return {
        accessToken: session.accessToken,
        instanceUrl: localPubSub?.instanceUrl ?? session.instanceUrl,
        // Salesforce access tokens start with the org id.
        organizationId: session.accessToken.split('!')[0] ?? '',
      };
    },
    topics: PLATFORM_EVENT_TOPICS,
    names: org.api.namespace,
    startFrom: config.startFrom,
    replayStore: new PostgresReplayStore(pool),
    deadLetters: new PostgresDeadLetters(pool),
    handle: platformEventHandler({
      queue: options.queue,
      decisions,
      rescores: new PostgresRescoreRequests(pool),
      trustPolicy: async (objectName, fieldName) => {
        const { rules } = await org.snapshots.get();
        const mapping = rules.fieldMappings.find(
          (m) => m.isActive && m.objectName === objectName && m.fieldName === fieldName,
        );
        return mapping ?? null;
      },
      logger: log,
    }),
    logger: log,
    batchSize: config.batchSize,
  });
  try {
    await subscriber.start();
  } catch (error) {
    await localPubSub?.close();
    throw error;
  }
  log.info({ endpoint, topics: PLATFORM_EVENT_TOPICS }, 'subscribed to platform events');
  return {
    endpoint,
    localPubSub,
    status: () => subscriber.status(),
    stop: async () => {
      await subscriber.stop();
      await localPubSub?.close();
    },
  };
}
