import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { SalesforceConfig } from '../config/salesforce-config.js';
import type { Extractor } from '../domain/extraction/extractor.js';
import type { LocalOrgSettings, OrgConnection } from '../services/org-connection.js';
import type { ConversationStore } from '../adapters/store/memory-conversation-store.js';
import salesforce from './plugins/salesforce.js';
import conversations from './plugins/conversations.js';
import pipelineScan from './plugins/pipeline-scan.js';
import type { ScanSchedule } from '../services/pipeline-scan-schedule.js';
import errors from './plugins/errors.js';
import apiKey from './plugins/api-key.js';
import conversationRoutes from './routes/conversations.js';
import healthRoutes from './routes/health.js';

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
  apiKey?: string | null;
  store?: ConversationStore;
  /** The scheduled pipeline scan; omitted, the app has no scanner (tests of other routes). */
  pipelineScan?: ScanSchedule;
}

const app: FastifyPluginAsync<AppOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  await fastify.register(errors);
  await fastify.register(apiKey, { apiKey: options.apiKey ?? null });
  await fastify.register(salesforce, {
    salesforce: options.salesforce,
    localOrg: options.localOrg,
    connection: options.connection,
  });
  await fastify.register(conversations, { extractor: options.extractor, store: options.store });
  if (options.pipelineScan) await fastify.register(pipelineScan, { schedule: options.pipelineScan });
  await fastify.register(healthRoutes);
  await fastify.register(conversationRoutes);
};

export default app;
