import path from 'node:path';
import fp from 'fastify-plugin';
import type { PubSubConfig } from '../../config/pubsub-config.js';
import type { TopicStatus } from '../../adapters/salesforce/pubsub-subscriber.js';
import {
  startPlatformEventIntake,
  type PlatformEventIntake,
} from '../../services/ingest/platform-events-intake.js';

/**
 * Platform events as part of the service: once the app is ready it subscribes (starting the local
 * Pub/Sub server beside the local org), and before it closes the subscription stops and stores where
 * it got to, while the queue and the database are still open.
 */

declare module 'fastify' {
  interface FastifyInstance {
    platformEvents: { endpoint: () => string | null; status: () => TopicStatus[] };
  }
}

export interface PlatformEventsPluginOptions {
  pubsub: PubSubConfig;
  /** The local org's data file; the local Pub/Sub server keeps its events beside it. */
  localOrgDataFile?: string;
}

export default fp<PlatformEventsPluginOptions>(
  async (app, options) => {
    let intake: PlatformEventIntake | null = null;
    app.decorate('platformEvents', {
      endpoint: () => intake?.endpoint ?? null,
      status: () => intake?.status() ?? [],
    });
    app.addHook('onReady', async () => {
      intake = await startPlatformEventIntake({
        config: options.pubsub,
        org: app.salesforce,
        db: app.conversations.org,
        queue: app.ingest,
        logger: app.log,
        localEventFile: options.localOrgDataFile
          ? path.join(path.dirname(options.localOrgDataFile), 'pubsub-events.jsonl')
          : undefined,
      });
    });
    app.addHook('preClose', async () => {
      await intake?.stop();
    });
  },
  { name: 'platform-events', dependencies: ['salesforce', 'conversations'], fastify: '5.x' },
);
