import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import type { RecorderMetrics } from '../../adapters/metrics/recorder-metrics.js';
import { hmacHex, verifyDelivery } from '../../adapters/recorders/signed-delivery.js';
import { signatureWindowMs, type ReplayMemory } from '../../domain/source/replay-memory.js';
import {
  ZOOM_TRANSCRIPT_EVENT,
  ZOOM_VALIDATION_EVENT,
  ZoomEnvelopeSchema,
  ZoomTranscriptCompletedSchema,
  ZoomValidationSchema,
  zoomJob,
} from '../../adapters/recorders/zoom-payload.js';
import { megabytes, refuseOversize } from './body-limit.js';
import { firstIssue, keepRawJsonBody, parseRawJson } from './raw-json-body.js';

/**
 * POST /webhooks/zoom: Zoom's event subscription. Every request, the URL validation included, must
 * carry `x-zm-signature` over `v0:{x-zm-request-timestamp}:{body}` with the app's Secret Token, a
 * timestamp within the allowed skew, and a signature not seen before; then the validation challenge
 * is answered, and a completed transcript is queued under its file's id. Zoom wants 200 within three
 * seconds, so the transcript is downloaded by the worker, not here.
 * https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 */

export interface ZoomWebhookOptions {
  queue: IngestQueue;
  secretToken: string | null;
  maxSkewSeconds: number;
  bodyLimit: number;
  metrics: RecorderMetrics;
  /** Signatures already taken, by this process or any other on the database. */
  replays: ReplayMemory;
  now?: () => number;
}

const zoomWebhookRoutes: FastifyPluginAsync<ZoomWebhookOptions> = async (app, options) => {
  const { queue, secretToken, maxSkewSeconds, bodyLimit, metrics, replays } = options;
  const now = options.now ?? Date.now;
  refuseOversize(app, bodyLimit, `Zoom sends one event per request, far below ${megabytes(bodyLimit)}`);
  keepRawJsonBody(app, bodyLimit);

  app.post(
    '/webhooks/zoom',
    { bodyLimit, config: { access: 'open', ingest: true } },
    async (request, reply) => {
      if (!secretToken) {
        metrics.refused('zoom', 'unconfigured');
        return reply.code(503).send({
          error:
            "Zoom webhooks are not enabled: set ZOOM_WEBHOOK_SECRET_TOKEN to your app's Secret Token, then restart",
        });
      }
      const rawBody = request.rawBody ?? Buffer.alloc(0);
      const signature = request.headers['x-zm-signature'];
      const verdict = verifyDelivery(
        {
          secret: secretToken,
          version: 'v0',
          signature: typeof signature === 'string' ? signature : undefined,
          timestamp: single(request.headers['x-zm-request-timestamp']),
          rawBody,
          nowMs: now(),
          maxSkewSeconds,
        },
        { signature: 'x-zm-signature', timestamp: 'x-zm-request-timestamp' },
      );
      if (!verdict.ok) {
        metrics.refused('zoom', verdict.code);
        request.log.warn({ reason: verdict.reason }, 'Zoom webhook refused');
        return reply.code(401).send({ error: `Zoom webhook not authenticated: ${verdict.reason}` });
      }
      if (!(await replays.firstSight('zoom', signature as string, signatureWindowMs(maxSkewSeconds)))) {
        metrics.refused('zoom', 'replayed');
        request.log.warn('Zoom webhook refused: replayed');
        return reply
          .code(401)
          .send({ error: 'Zoom webhook not authenticated: this signature was already used (a replay)' });
      }
      const body = parseRawJson(rawBody);
      if ('error' in body) return payloadError(reply, body.error);
      const envelope = ZoomEnvelopeSchema.safeParse(body.value);
      if (!envelope.success) return payloadError(reply, firstIssue(envelope.error));

      if (envelope.data.event === ZOOM_VALIDATION_EVENT) {
        const challenge = ZoomValidationSchema.safeParse(body.value);
        if (!challenge.success) return payloadError(reply, firstIssue(challenge.error));
        const { plainToken } = challenge.data.payload;
        return reply.code(200).send({ plainToken, encryptedToken: hmacHex(secretToken, plainToken) });
      }
      if (envelope.data.event !== ZOOM_TRANSCRIPT_EVENT) {
        // Subscribed to more than transcripts: acknowledged so Zoom does not retry, and left alone.
        return reply.code(200).send({ status: 'ignored', event: envelope.data.event });
      }
      const event = ZoomTranscriptCompletedSchema.safeParse(body.value);
      if (!event.success) return payloadError(reply, firstIssue(event.error));
      const picked = zoomJob(event.data);
      if ('error' in picked) return payloadError(reply, picked.error);
      let result;
      try {
        result = await queue.enqueue({
          source: 'zoom',
          idempotencyKey: `zoom:${picked.job.transcriptFileId}`,
          correlationId: randomUUID(),
          payload: picked.job,
          receivedAt: new Date(now()).toISOString(),
        });
      } catch (error) {
        // Not taken (the queue is full, the database failed): the same delivery again is no replay.
        await replays.forget('zoom', signature as string).catch(() => undefined);
        throw error;
      }
      reply.header('Location', `/v1/conversations/${result.conversationId}`);
      return reply
        .code(200)
        .send({ status: result.duplicate ? 'duplicate' : 'queued', id: result.conversationId });
    },
  );

  function payloadError(reply: FastifyReply, error: string) {
    metrics.refused('zoom', 'payload');
    return reply.code(400).send({ error });
  }
};

function single(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? header : undefined;
}

export default zoomWebhookRoutes;
