import fp from 'fastify-plugin';
import { UNCONFIGURED_RECORDERS, type RecordersConfig } from '../../config/recorders-config.js';
import { RecorderMetrics } from '../../adapters/metrics/recorder-metrics.js';
import { loadRecorderMappings } from '../../adapters/recorders/mapping-files.js';
import { DEFAULT_PACKAGE_DIR, readMetadataRecords } from '../../adapters/metadata/package-metadata.js';
import { consentRulesFromRecords } from '../../adapters/metadata/consent-rules.js';
import { ConsentRulesSource } from '../../adapters/salesforce/consent-rules-source.js';
import zoomWebhookRoutes from '../routes/webhooks-zoom.js';
import teamsWebhookRoutes from '../routes/webhooks-teams.js';
import recordingRoutes from '../routes/recordings.js';
import heldRecordingRoutes from '../routes/held-recordings.js';

/**
 * The meeting recorders' ways in: Zoom's webhooks, Microsoft Graph's Teams transcript notifications,
 * and POST /v1/recordings for the other recorders, with the admin's held-recordings routes. The
 * recorder mappings are read at start, so a broken one stops the start with the file and field
 * named; the consent rules are read from the org as recordings arrive (ConsentRulesSource).
 * Unconfigured, each route still answers, with 503 and the variable that enables it.
 */

export interface RecordersPluginOptions {
  recorders?: RecordersConfig;
  /** The recorder mappings folder; the shipped one when unset. */
  mappingsDir?: string;
  /** The force-app folder the consent metadata is read from (SCRIBE_PACKAGE_DIR). */
  packageDir?: string;
}

/** A Zoom event or a Graph batch is a few kilobytes; a recorder's payload carries the whole transcript. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;
const RECORDING_BODY_LIMIT = 8 * 1024 * 1024;

export default fp<RecordersPluginOptions>(
  async (app, options) => {
    const config = options.recorders ?? UNCONFIGURED_RECORDERS;
    const metrics = new RecorderMetrics(app.conversations.metrics.registry);
    const mappings = await loadRecorderMappings(options.mappingsDir);
    const packageRules = consentRulesFromRecords(
      await readMetadataRecords(options.packageDir ?? DEFAULT_PACKAGE_DIR),
    );
    const consent = new ConsentRulesSource(app.salesforce.api, packageRules, app.log);
    await app.register(zoomWebhookRoutes, {
      queue: app.ingest,
      secretToken: config.zoom.secretToken,
      maxSkewSeconds: config.maxSkewSeconds,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      metrics,
    });
    await app.register(teamsWebhookRoutes, {
      queue: app.ingest,
      clientState: config.teams.clientState,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      metrics,
    });
    await app.register(recordingRoutes, {
      queue: app.ingest,
      secret: config.recordingsSecret,
      mappings,
      consent: (now) => consent.rules(now),
      maxSkewSeconds: config.maxSkewSeconds,
      bodyLimit: RECORDING_BODY_LIMIT,
      metrics,
    });
    await app.register(heldRecordingRoutes);
  },
  { name: 'recorders', dependencies: ['conversations'], fastify: '5.x' },
);
