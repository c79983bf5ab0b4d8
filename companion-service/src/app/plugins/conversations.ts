import fp from 'fastify-plugin';
import type PgBoss from 'pg-boss';
import type { Extractor } from '../../domain/extraction/extractor.js';
import { ConversationProcessor, type ProcessorDeps } from '../../services/process-conversation.js';
import { openDatabase, type Database } from '../../adapters/postgres/database.js';
import {
  findConversation,
  type ConversationStatusRecord,
} from '../../adapters/postgres/conversation-table.js';
import type { QueueConfig } from '../../config/queue-config.js';
import type { LimitsConfig } from '../../config/limits-config.js';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import { IngestMetrics } from '../../adapters/metrics/ingest-metrics.js';
import { PostgresIngestQueue, startBoss } from '../../adapters/postgres/postgres-ingest-queue.js';
import { TimedApi } from '../../services/ingest/timed-api.js';
import { ConversationWorker } from '../../services/worker.js';
import { OrphanSweep } from '../../services/orphan-sweep.js';
import { ConversationNotices } from '../../adapters/postgres/conversation-notices.js';
import type { GongApi } from '../../adapters/gong/gong-client.js';
import type { RecorderClients } from '../../services/ingest/recorder-input.js';
import { PostgresRescoreRequests } from '../../adapters/postgres/pubsub-event-stores.js';
import { rescoreAfterConversation } from '../../services/rescore-drain.js';
import {
  claimSingleOrg,
  orgDatabase,
  singleOrgOf,
  type OrgDatabase,
} from '../../adapters/postgres/org-scope.js';
import { toOrgId18 } from '../../domain/org/org-id.js';

/**
 * Conversations, durably: the database (DATABASE_URL or the embedded Postgres), the ingest queue
 * every way in hands work to (`app.ingest`), the worker that processes it, and what GET and the
 * metrics read, and the sweep that queues again what a dead worker held. Closing stops taking work, lets the conversations in hand finish (or releases them
 * after SCRIBE_SHUTDOWN_SECONDS), then closes the database, and stops the embedded one if started here.
 */

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestQueue;
    limits: LimitsConfig;
    conversations: {
      find(id: string): Promise<ConversationStatusRecord | null>;
      database: Database;
      /** The org's rows: every read and write of the service's tables goes through it (org-scope.ts). */
      org: OrgDatabase;
      metrics: IngestMetrics;
      /** Conversations queued and finished, as the database announces them. */
      notices: ConversationNotices;
    };
  }
}

export interface ConversationsPluginOptions {
  extractor: Extractor;
  /** Where the people rules run to find a conversation's deal (the extraction pool); in-process when unset. */
  customerNames?: ProcessorDeps['customerNames'];
  queue: QueueConfig;
  /** An already open database (tests, and processes that share one); otherwise opened here. */
  database?: Database;
  /** False for a process that only takes conversations in; another process works them. */
  worker?: boolean;
  /** Gong's API, for the transcripts of calls Gong's webhooks announce. */
  gong?: GongApi | null;
  /** Zoom's downloads and Graph's client, for Zoom and Teams transcripts. */
  recorders?: RecorderClients | null;
  /** The size limit per conversation and the queue's bound. */
  limits: LimitsConfig;
}

export default fp<ConversationsPluginOptions>(
  async (app, options) => {
    const settings = options.queue;
    const database =
      options.database ??
      (await openDatabase(
        {
          databaseUrl: settings.databaseUrl,
          postgresDir: settings.postgresDir,
          poolSize: settings.concurrency + 8,
        },
        app.log,
      ));
    let boss: PgBoss;
    try {
      boss = await startBoss(database.pool, settings, app.log);
    } catch (error) {
      if (!options.database) await database.close();
      throw error;
    }
    const { api } = app.salesforce;
    let org: OrgDatabase;
    try {
      // Single-org mode: the org the SF_* settings (or the local org) sign in to. Its session id
      // names it; a token that does not (a stand-in in tests) keeps the org the database serves.
      const orgId = toOrgId18(api.orgId ?? '') ?? (await singleOrgOf(database.pool));
      const adopted = await claimSingleOrg(database.pool, orgId);
      if (adopted > 0)
        app.log.info({ orgId, rows: adopted }, 'rows kept from before orgs were told apart are this org’s');
      org = orgDatabase(database.pool, orgId);
    } catch (error) {
      await boss.stop({ graceful: false, close: false }).catch(() => undefined);
      if (!options.database) await database.close();
      throw error;
    }
    const metrics = new IngestMetrics(org, () => api.usage());
    const timedApi = new TimedApi(api, settings.salesforceTimeoutMs);
    const { limits } = options;
    const queue = new PostgresIngestQueue(org, boss, {
      maxWaiting: limits.queueMaxWaiting,
      retryAfterSeconds: limits.queueRetryAfterSeconds,
    });
    const notices = new ConversationNotices(database.connectionString, app.log);
    const worker =
      options.worker === false
        ? null
        : new ConversationWorker({
            pool: database.pool,
            orgId: org.orgId,
            boss,
            queue,
            processor: new ConversationProcessor({
              api: timedApi,
              snapshots: app.salesforce.snapshots,
              extractor: options.extractor,
              customerNames: options.customerNames,
              logger: app.log,
            }),
            resolve: {
              logger: app.log,
              gong: options.gong ?? null,
              recorders: options.recorders ?? null,
              salesforce: timedApi,
              maxConversationBytes: limits.maxConversationBytes,
            },
            usage: () => api.usage(),
            notices,
            metrics,
            logger: app.log,
            settings,
            afterProcessed: async (client, results) => {
              const now = new Date();
              const requests = new PostgresRescoreRequests(client);
              // In the deal's order, so transactions asking for the same deals lock their rows alike.
              const asked = results
                .map((result) => rescoreAfterConversation(result, now))
                .filter((request) => request !== null)
                .sort((a, b) =>
                  a.opportunityId < b.opportunityId ? -1 : a.opportunityId > b.opportunityId ? 1 : 0,
                );
              for (const request of asked) await requests.request(request);
            },
          });

    const sweep = new OrphanSweep({
      pool: database.pool,
      boss,
      logger: app.log,
      orphanSeconds: settings.orphanSeconds,
    });

    app.decorate('ingest', queue);
    app.decorate('limits', limits);
    app.decorate('conversations', {
      find: (id: string) => findConversation(org, id),
      database,
      org,
      metrics,
      notices,
    });
    app.addHook('onReady', async () => {
      await notices.start();
      await worker?.start();
      sweep.start();
    });
    app.addHook('onClose', async () => {
      await worker?.stop(settings.shutdownMs);
      await notices.stop();
      await sweep.stop();
      await boss.stop({ graceful: true, timeout: settings.shutdownMs, close: false });
      if (!options.database) await database.close();
    });
  },
  { name: 'conversations', dependencies: ['salesforce'], fastify: '5.x' },
);
