import fp from 'fastify-plugin';
import type { GongConfig } from '../../config/gong-config.js';
import type { Transcriber } from '../../adapters/transcription/transcriber.js';
import { GongWebhookVerifier } from '../../adapters/gong/webhook-auth.js';
import gongWebhookRoutes from '../routes/webhooks-gong.js';
import voiceMemoRoutes from '../routes/voice-memos.js';

/**
 * The ways in besides POST /v1/conversations that hand work to the ingest queue: Gong's webhooks
 * and dictated voice memos. Unconfigured, both still answer, with 503 and how to enable them.
 */

export interface IngestSourcesOptions {
  gong?: GongConfig;
  voiceMemos?: VoiceMemoSettings;
}

export interface VoiceMemoSettings {
  transcriber: Transcriber | null;
  maxBytes: number;
}

/** A call's data is a few hundred kilobytes at most; the limit leaves room and refuses floods. */
const GONG_WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;
const VOICE_MEMO_MAX_BYTES = 25 * 1024 * 1024;

export default fp<IngestSourcesOptions>(
  async (app, options) => {
    await app.register(gongWebhookRoutes, {
      queue: app.ingest,
      verifier: new GongWebhookVerifier(
        options.gong?.webhook ?? { publicKey: null, webhookUrl: null, urlKey: null },
      ),
      bodyLimit: GONG_WEBHOOK_BODY_LIMIT,
    });
    await app.register(voiceMemoRoutes, {
      queue: app.ingest,
      transcriber: options.voiceMemos?.transcriber ?? null,
      maxBytes: options.voiceMemos?.maxBytes ?? VOICE_MEMO_MAX_BYTES,
      maxConversationBytes: app.limits.maxConversationBytes,
    });
  },
  { name: 'ingest-sources', dependencies: ['conversations'], fastify: '5.x' },
);
