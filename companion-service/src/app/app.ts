import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { SalesforceConfig } from '../config/salesforce-config.js';
import type { Extractor } from '../domain/extraction/extractor.js';
import type { ExtractionPool } from '../adapters/extraction/extraction-pool.js';
import { DEFAULT_LIMITS, type LimitsConfig } from '../config/limits-config.js';
import type { OrgConnection } from '../services/org-connection.js';
import type { LocalOrgSettings } from './embedded-org.js';
import type { QueueConfig } from '../config/queue-config.js';
import type { Database } from '../adapters/postgres/database.js';
import salesforce from './plugins/salesforce.js';
import conversations from './plugins/conversations.js';
import pipelineScan from './plugins/pipeline-scan.js';
import rescoring from './plugins/rescoring.js';
import type { ScanSchedule } from '../services/pipeline-scan-schedule.js';
import errors from './plugins/errors.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import apiKey from './plugins/api-key.js';
import conversationRoutes from './routes/conversations.js';
import healthRoutes from './routes/health.js';
import metricsRoutes from './routes/metrics.js';
import ingestSources, { type VoiceMemoSettings } from './plugins/ingest-sources.js';
import type { GongConfig } from '../config/gong-config.js';
import { GongClient } from '../adapters/gong/gong-client.js';
import platformEvents from './plugins/platform-events.js';
import retention from './plugins/retention.js';
import type { PubSubConfig } from '../config/pubsub-config.js';
import mail, { type MailPluginOptions } from './plugins/mail.js';
import type { MailConfig } from '../config/mail-config.js';
import recorders from './plugins/recorders.js';
import type { RecordersConfig } from '../config/recorders-config.js';
import { GraphTranscripts } from '../adapters/recorders/transcript-download.js';
import type { TenancyConfig } from '../config/tenancy-config.js';
import orgConnections from './plugins/org-connections.js';
import { DEFAULT_PACKAGE_DIR, readMetadataRecords } from '../adapters/metadata/package-metadata.js';
import { consentRulesFromRecords } from '../adapters/metadata/consent-rules.js';
import { ConsentRulesSource } from '../adapters/salesforce/consent-rules-source.js';
import { contactsWithPlaces } from '../adapters/salesforce/participant-places.js';
import type { MeetingConsentDeps } from '../services/ingest/meeting-consent.js';

/**
 * The companion service as a Fastify plugin: shared decorators (the Salesforce connection, the
 * conversation processor) and the encapsulated routes. server.ts boots it; tests register it on a
 * bare Fastify instance and use inject().
 */

export interface AppOptions {
  salesforce: SalesforceConfig;
  localOrg?: LocalOrgSettings;
  connection?: OrgConnection;
  extractor: Extractor;
  /** How much work one input may cause; the defaults when unset. */
  limits?: LimitsConfig;
  /** The threads extraction runs on; closed with the app. */
  extractionPool?: ExtractionPool;
  /** The key /v1 callers must present; null or unset with no `apiKeys`: none asked for. */
  apiKey?: string | null;
  /** Every key accepted (rotation: the new and the old); `apiKey` is accepted too. */
  apiKeys?: readonly string[];
  /** Where conversations are kept and how they are worked. */
  queue: QueueConfig;
  /** An already open database; otherwise the one `queue` names is opened. */
  database?: Database;
  /** False: take conversations in but leave working them to other processes. */
  worker?: boolean;
  /** Gong webhooks' authentication and Gong's API (GONG_*); unset, webhooks answer 503. */
  gong?: GongConfig;
  /** How voice memos are transcribed; unset, they answer 503 saying how to enable it. */
  voiceMemos?: VoiceMemoSettings;
  /** Platform Events through the Pub/Sub API; unset or null, the service does not subscribe. */
  pubsub?: PubSubConfig | null;
  /** Zoom, Teams and the other recorders (ZOOM_*, TEAMS_*, RECORDINGS_*); unset, their routes answer 503. */
  recorders?: RecordersConfig;
  /** The scheduled pipeline scan; omitted, the app has no scanner (tests of other routes). */
  pipelineScan?: ScanSchedule;
  /** Email and calendar intake (SCRIBE_MAIL_*, SCRIBE_SMTP_*); unset, the SMTP listener is off. */
  mail?: MailConfig;
  /** DNS for the SMTP listener's DKIM/SPF/DMARC checks; the system's when unset. */
  mailResolver?: MailPluginOptions['resolver'];
  /** One org (unset or single: as always) or many connected through the setup page (SCRIBE_TENANCY=multi). */
  tenancy?: TenancyConfig;
}

const app: FastifyPluginAsync<AppOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  await fastify.register(errors);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const apiKeys = [...(options.apiKey ? [options.apiKey] : []), ...(options.apiKeys ?? [])];
  await fastify.register(rateLimitPlugin, {
    perMinute: limits.ratePerMinute,
    orgPerMinute: limits.orgRatePerMinute,
    apiKeys,
  });
  const pool = options.extractionPool;
  if (pool) fastify.addHook('onClose', async () => pool.close());
  await fastify.register(apiKey, { apiKeys });
  await fastify.register(salesforce, {
    salesforce: options.salesforce,
    localOrg: options.localOrg,
    connection: options.connection,
  });
  // One reading of the consent rules for both halves: the routes judge recorders' payloads as they
  // arrive, the worker judges Zoom and Teams meetings once their transcripts are in.
  const consentRules = new ConsentRulesSource(
    fastify.salesforce.api,
    consentRulesFromRecords(await readMetadataRecords(DEFAULT_PACKAGE_DIR)),
    fastify.log,
  );
  const meetingConsent: MeetingConsentDeps = {
    rules: (now) => consentRules.rules(now),
    lookUp: (people) => contactsWithPlaces(fastify.salesforce.api, people),
  };
  await fastify.register(conversations, {
    extractor: options.extractor,
    customerNames: options.extractionPool
      ? (conversation, rules) => options.extractionPool!.customerNames(conversation, rules)
      : undefined,
    queue: options.queue,
    limits,
    database: options.database,
    worker: options.worker,
    gong: options.gong?.api.auth ? new GongClient(options.gong.api) : null,
    recorders: recorderClients(options.recorders, limits.maxConversationBytes, meetingConsent),
  });
  if (options.worker !== false) {
    await fastify.register(retention, { retentionDays: options.queue.retentionDays });
  }
  if (options.pipelineScan) {
    await fastify.register(pipelineScan, { schedule: options.pipelineScan });
    await fastify.register(rescoring);
  }
  await fastify.register(healthRoutes);
  await fastify.register(metricsRoutes);
  await fastify.register(conversationRoutes);
  await fastify.register(ingestSources, { gong: options.gong, voiceMemos: options.voiceMemos });
  await fastify.register(mail, {
    mail: options.mail,
    worker: options.worker,
    resolver: options.mailResolver,
  });
  await fastify.register(recorders, { recorders: options.recorders, consent: consentRules });
  if (options.tenancy?.mode === 'multi') {
    await fastify.register(orgConnections, { tenancy: options.tenancy, sweep: options.worker !== false });
  }
  if (options.pubsub) {
    await fastify.register(platformEvents, {
      pubsub: options.pubsub,
      localOrgDataFile: options.localOrg?.dataFile,
    });
  }
};

function recorderClients(config: RecordersConfig | undefined, maxBytes: number, consent: MeetingConsentDeps) {
  if (!config) return null;
  const limits = { timeoutMs: config.timeoutMs, maxBytes };
  const { teams } = config;
  return {
    zoom: config.zoom.secretToken ? { allowedOrigin: config.zoom.apiBaseUrl } : null,
    teams: teams.credentials
      ? new GraphTranscripts({ ...teams, credentials: teams.credentials }, limits)
      : null,
    limits,
    consent,
  };
}

export default app;
