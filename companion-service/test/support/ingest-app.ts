import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../src/app/app.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';
import type { GongConfig } from '../../src/config/gong-config.js';
import type { RecordersConfig } from '../../src/config/recorders-config.js';
import type { VoiceMemoSettings } from '../../src/app/plugins/ingest-sources.js';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import type { TestDatabase } from './postgres.js';
import { DEFAULT_LIMITS } from '../../src/config/limits-config.js';

/**
 * The whole service for the ingestion proofs: a real Postgres queue and worker, the local org, and
 * Gong webhooks and voice memos configured as a test needs them.
 */

export const GONG_PUBLIC_URL = 'https://scribe.example.com/webhooks/gong';

export interface IngestAppOptions {
  db: TestDatabase;
  gong?: GongConfig;
  voiceMemos?: VoiceMemoSettings;
  worker?: boolean;
  recorders?: RecordersConfig;
}

export async function buildIngestApp(
  salesforce: SalesforceConfig,
  options: IngestAppOptions,
): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  await server.register(fp(app), {
    salesforce,
    extractor: new EmbeddedExtractor(),
    // The proofs send thousands of requests from one address: the rate per source would answer most
    // of them 429 and leave the routes untried (test/app/bounded-work.e2e.test.ts proves the rate).
    limits: { ...DEFAULT_LIMITS, ratePerMinute: 1_000_000, orgRatePerMinute: 1_000_000 },
    queue: options.db.settings(),
    database: options.db.database,
    worker: options.worker,
    gong: options.gong,
    voiceMemos: options.voiceMemos,
    recorders: options.recorders,
  });
  await server.ready();
  return server;
}

/** Follows a conversation until the worker is done with it. */
export async function settle(server: FastifyInstance, id: string): Promise<ConversationStatusBody> {
  for (let i = 0; i < 800; i++) {
    const body = (
      await server.inject({ method: 'GET', url: `/v1/conversations/${id}` })
    ).json() as ConversationStatusBody;
    if (body.status === 'processed' || body.status === 'dead') return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`conversation ${id} did not settle`);
}
