import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import type { RecorderMetrics } from '../../adapters/metrics/recorder-metrics.js';
import { verifyDelivery } from '../../adapters/recorders/signed-delivery.js';
import { signatureWindowMs, type ReplayMemory } from '../../domain/source/replay-memory.js';
import {
  readRecording,
  RecordingMappingError,
  type RecorderMapping,
} from '../../domain/source/recorder-mapping.js';
import {
  consentDecision,
  type ConsentRules,
  type RecordingJob,
} from '../../domain/privacy/recording-consent.js';
import { megabytes, refuseOversize } from './body-limit.js';
import { keepRawJsonBody, parseRawJson } from './raw-json-body.js';

/**
 * POST /v1/recordings/:tool: any call recorder (or the relay that forwards its payload), signed with
 * the shared secret RECORDINGS_SECRET:
 *   X-Scribe-Timestamp: <Unix seconds>
 *   X-Scribe-Signature: v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)>
 * A stale timestamp, a wrong signature or the same signature twice is refused (401). The payload is
 * read through the tool's mapping (recorder-mappings/<tool>.json), decided on for consent, and
 * queued under the recorder's own id.
 */

export interface RecordingsOptions {
  queue: IngestQueue;
  secret: string | null;
  mappings: ReadonlyMap<string, RecorderMapping>;
  /** The org's consent rules as of `now` (Consent_Jurisdiction__mdt, Recording_Consent_Policy__c). */
  consent: (now: number) => Promise<ConsentRules>;
  maxSkewSeconds: number;
  bodyLimit: number;
  metrics: RecorderMetrics;
  /** Signatures already taken, by this process or any other on the database. */
  replays: ReplayMemory;
}

const recordingRoutes: FastifyPluginAsync<RecordingsOptions> = async (app, options) => {
  const { queue, secret, mappings, consent, maxSkewSeconds, bodyLimit, metrics, replays } = options;
  refuseOversize(app, bodyLimit, `send one recording per request, at most ${megabytes(bodyLimit)}`);
  keepRawJsonBody(app, bodyLimit);

  // Not taken (the org's rules unreadable, the queue full): the same delivery again is no replay.
  const notTaken = (signature: string) => replays.forget('recordings', signature).catch(() => undefined);

  const refuse = (reply: FastifyReply, status: number, reason: 'payload' | 'unconfigured', error: string) => {
    metrics.refused('recordings', reason);
    return reply.code(status).send({ error });
  };

  app.post<{ Params: { tool: string } }>(
    '/v1/recordings/:tool',
    // The signature proves the sender; the API key is not asked for, as for Gong's webhooks.
    { bodyLimit, config: { access: 'open', ingest: true } },
    async (request, reply) => {
      if (!secret) {
        return refuse(
          reply,
          503,
          'unconfigured',
          'recordings are not enabled: set RECORDINGS_SECRET (at least 32 characters, shared with the recorder), then restart',
        );
      }
      const rawBody = request.rawBody ?? Buffer.alloc(0);
      const signature = request.headers['x-scribe-signature'];
      const timestamp = request.headers['x-scribe-timestamp'];
      const verdict = verifyDelivery(
        {
          secret,
          version: 'v1',
          signature: typeof signature === 'string' ? signature : undefined,
          timestamp: typeof timestamp === 'string' ? timestamp : undefined,
          rawBody,
          nowMs: Date.now(),
          maxSkewSeconds,
        },
        { signature: 'X-Scribe-Signature', timestamp: 'X-Scribe-Timestamp' },
      );
      if (!verdict.ok) {
        metrics.refused('recordings', verdict.code);
        request.log.warn({ reason: verdict.reason }, 'recording refused');
        return reply.code(401).send({ error: `recording not authenticated: ${verdict.reason}` });
      }
      if (!(await replays.firstSight('recordings', signature as string, signatureWindowMs(maxSkewSeconds)))) {
        metrics.refused('recordings', 'replayed');
        return reply
          .code(401)
          .send({ error: 'recording not authenticated: this signature was already used (a replay)' });
      }
      const mapping = mappings.get(request.params.tool);
      if (!mapping) {
        return refuse(
          reply,
          404,
          'payload',
          `tool: no mapping for "${request.params.tool}"; the service reads ${[...mappings.keys()].join(', ')} (add recorder-mappings/<tool>.json for another)`,
        );
      }
      const body = parseRawJson(rawBody);
      if ('error' in body) return refuse(reply, 400, 'payload', body.error);
      let job: RecordingJob;
      try {
        const recording = readRecording(mapping, body.value);
        const decision = consentDecision(recording, await consent(Date.now()));
        if (decision.action === 'drop') {
          request.log.info(
            { tool: mapping.tool, jurisdiction: decision.jurisdiction },
            'recording dropped for consent',
          );
          return reply.code(200).send({ status: 'dropped', reason: decision.reason });
        }
        job = {
          recording,
          consent:
            decision.action === 'hold'
              ? { action: 'hold', reason: decision.reason, jurisdiction: decision.jurisdiction }
              : { action: 'process', reason: null },
        };
      } catch (error) {
        if (error instanceof RecordingMappingError) {
          return refuse(reply, 400, 'payload', `${mapping.tool} payload: ${error.message}`);
        }
        await notTaken(signature as string);
        throw error;
      }
      let result;
      try {
        result = await queue.enqueue({
          source: 'recording',
          idempotencyKey: `${mapping.tool}:${job.recording.externalId}`,
          correlationId: randomUUID(),
          payload: job,
          receivedAt: new Date().toISOString(),
        });
      } catch (error) {
        await notTaken(signature as string);
        throw error;
      }
      reply.header('Location', `/v1/conversations/${result.conversationId}`);
      const status = result.duplicate ? 'duplicate' : job.consent.action === 'hold' ? 'held' : 'queued';
      return reply.code(result.duplicate ? 200 : 202).send({
        status,
        id: result.conversationId,
        ...(job.consent.action === 'hold' ? { reason: job.consent.reason } : {}),
      });
    },
  );
};

export default recordingRoutes;
