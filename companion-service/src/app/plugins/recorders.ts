import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { UNCONFIGURED_RECORDERS, type RecordersConfig } from '../../config/recorders-config.js';
import { RecorderMetrics } from '../../adapters/metrics/recorder-metrics.js';
import { loadRecorderMappings } from '../../adapters/recorders/mapping-files.js';
import type { ConsentRulesSource } from '../../adapters/salesforce/consent-rules-source.js';
import zoomWebhookRoutes from '../routes/webhooks-zoom.js';
import teamsWebhookRoutes from '../routes/webhooks-teams.js';
import recordingRoutes from '../routes/recordings.js';
import heldRecordingRoutes from '../routes/held-recordings.js';
import { PostgresReplayMemory } from '../../adapters/postgres/seen-deliveries.js';
import { GraphTranscripts } from '../../adapters/recorders/transcript-download.js';
import { GraphSubscriptions } from '../../adapters/recorders/graph-subscriptions.js';
import { underSubscriptionLock } from '../../adapters/postgres/graph-subscription-store.js';
import { TRANSCRIPTS_RESOURCE } from '../../domain/source/graph-subscription.js';
import { TeamsSubscriptionKeeper } from '../../services/teams-subscription.js';

/**
 * The meeting recorders' ways in: Zoom's webhooks, Microsoft Graph's Teams transcript notifications,
 * and POST /v1/recordings for the other recorders, with the admin's held-recordings routes. The
 * recorder mappings are read at start, so a broken one stops the start with the file and field
 * named; the consent rules are read from the org as recordings arrive (ConsentRulesSource, shared with
 * the worker, which judges Zoom and Teams meetings).
 * Unconfigured, each route still answers, with 503 and the variable that enables it.
 */

export interface RecordersPluginOptions {
  recorders?: RecordersConfig;
  /** The recorder mappings folder; the shipped one when unset. */
  mappingsDir?: string;
  /** The org's consent rules (Consent_Jurisdiction__mdt, Recording_Consent_Policy__c), shared with the worker. */
  consent: ConsentRulesSource;
}

/** A Zoom event or a Graph batch is a few kilobytes; a recorder's payload carries the whole transcript. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;
const RECORDING_BODY_LIMIT = 8 * 1024 * 1024;

export default fp<RecordersPluginOptions>(
  async (app, options) => {
    const config = options.recorders ?? UNCONFIGURED_RECORDERS;
    const metrics = new RecorderMetrics(app.conversations.metrics.registry);
    const mappings = await loadRecorderMappings(options.mappingsDir);
    const { consent } = options;
    const replays = new PostgresReplayMemory(app.conversations.database.pool);
    purgeEveryMinute(app, replays);
    await app.register(zoomWebhookRoutes, {
      queue: app.ingest,
      secretToken: config.zoom.secretToken,
      maxSkewSeconds: config.maxSkewSeconds,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      metrics,
      replays,
    });
    const keeper = teamsSubscriptionKeeper(app, config);
    await app.register(teamsWebhookRoutes, {
      lifecycle: keeper
        ? (event) => {
            if (event === 'subscriptionRemoved' || event === 'reauthorizationRequired') {
              keeper.keepInBackground(event);
            }
          }
        : undefined,
      queue: app.ingest,
      clientState: config.teams.clientState,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      metrics,
      replays,
    });
    await app.register(recordingRoutes, {
      queue: app.ingest,
      secret: config.recordingsSecret,
      mappings,
      consent: (now) => consent.rules(now),
      maxSkewSeconds: config.maxSkewSeconds,
      bodyLimit: RECORDING_BODY_LIMIT,
      metrics,
      replays,
    });
    await app.register(heldRecordingRoutes);
  },
  { name: 'recorders', dependencies: ['conversations'], fastify: '5.x' },
);

/**
 * With the Graph credentials, the clientState and TEAMS_NOTIFICATION_URL, the service keeps the
 * transcripts subscription itself, starting once it listens (Graph validates the URL on creation).
 */
function teamsSubscriptionKeeper(
  app: FastifyInstance,
  config: RecordersConfig,
): TeamsSubscriptionKeeper | null {
  const { teams } = config;
  if (!teams.clientState || !teams.credentials || !teams.notificationUrl) return null;
  const graph = new GraphTranscripts(
    { ...teams, credentials: teams.credentials },
    { timeoutMs: config.timeoutMs, maxBytes: 64 * 1024 },
  );
  const pool = app.conversations.database.pool;
  const keeper = new TeamsSubscriptionKeeper({
    graph: new GraphSubscriptions(graph, teams.graphBaseUrl, config.timeoutMs),
    underLock: (step) => underSubscriptionLock(pool, TRANSCRIPTS_RESOURCE, step),
    notificationUrl: teams.notificationUrl,
    clientState: teams.clientState,
    logger: app.log.child({ job: 'teams-subscription' }),
  });
  app.addHook('onListen', async () => keeper.start());
  app.addHook('onClose', async () => keeper.stop());
  return keeper;
}

const PURGE_EVERY_MS = 60_000;

/**
 * The deliveries past their window are deleted every minute by every process: the delete is
 * idempotent, and a minute keeps the table within a window and a minute of traffic.
 */
function purgeEveryMinute(app: FastifyInstance, replays: PostgresReplayMemory): void {
  const log = app.log.child({ job: 'seen-deliveries' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      if (running) return;
      running = replays
        .purgeExpired()
        .catch((error: unknown) =>
          log.warn({ err: error }, 'purging seen deliveries failed; retried in a minute'),
        )
        .finally(() => (running = null));
    }, PURGE_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await running;
  });
}
