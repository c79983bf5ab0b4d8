import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import type { GongWebhookVerifier } from '../../adapters/gong/webhook-auth.js';
import { ErrorSchema } from '../schemas/conversation.js';
import { GongWebhookAckSchema, GongWebhookQuerySchema, GongWebhookSchema } from '../schemas/gong-webhook.js';
import { megabytes, refuseOversize } from './body-limit.js';

/**
 * POST /webhooks/gong: a Gong automation rule's call, authenticated against the exact bytes received,
 * then validated and queued under the call's id. 202 only once the job is stored; the same call again
 * is acknowledged and changes nothing; Gong's test deliveries are acknowledged and not processed.
 */

export interface GongWebhookOptions {
  queue: IngestQueue;
  verifier: GongWebhookVerifier;
  bodyLimit: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for the JWT's body_sha256; set on this route only. */
    rawBody?: Buffer;
  }
}

const gongWebhookRoutes: FastifyPluginAsyncZod<GongWebhookOptions> = async (
  app,
  { queue, verifier, bodyLimit },
) => {
  refuseOversize(
    app,
    bodyLimit,
    `Gong sends one call per request; a call's data is far below ${megabytes(bodyLimit)}`,
  );

  // The signature covers the bytes, not a re-serialization: keep them, and parse only after the check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(
      Object.assign(new Error('send the webhook body as JSON (Content-Type: application/json)'), {
        statusCode: 415,
      }),
    );
  });

  app.addHook('preValidation', async (request, reply) => {
    if (!verifier.configured) {
      return reply.code(503).send({
        error:
          'Gong webhooks are not enabled: set GONG_WEBHOOK_PUBLIC_KEY and GONG_WEBHOOK_URL (signed rules) or GONG_WEBHOOK_KEY (URL key rules), then restart',
      });
    }
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    const verdict = await verifier.verify({
      authorization: request.headers.authorization,
      urlKey: urlKeyOf(request.query),
      rawBody,
    });
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'Gong webhook refused');
      return reply.code(401).send({ error: `Gong webhook not authenticated: ${verdict.reason}` });
    }
    if (rawBody.length === 0) {
      return reply
        .code(400)
        .send({ error: 'body: the body is empty; expected { "callData": {...}, "isTest": false }' });
    }
    try {
      request.body = JSON.parse(rawBody.toString('utf8'));
    } catch (error) {
      return reply.code(400).send({ error: `body: not valid JSON (${(error as Error).message})` });
    }
  });

  app.post(
    '/webhooks/gong',
    {
      bodyLimit,
      // Gong cannot send the API key; its rule's JWT or URL key is checked above instead.
      config: { access: 'open', ingest: true },
      schema: {
        querystring: GongWebhookQuerySchema,
        body: GongWebhookSchema,
        response: {
          200: GongWebhookAckSchema,
          202: GongWebhookAckSchema,
          400: ErrorSchema,
          401: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { callData, isTest } = request.body;
      const callId = callData.metaData.id;
      if (isTest) {
        request.log.info({ callId }, 'Gong test webhook acknowledged');
        return reply.code(200).send({ status: 'test', callId, test: true });
      }
      const result = await queue.enqueue({
        source: 'gong',
        idempotencyKey: `gong:${callId}`,
        correlationId: randomUUID(),
        payload: { callData },
        receivedAt: new Date().toISOString(),
      });
      reply.header('Location', `/v1/conversations/${result.conversationId}`);
      if (result.duplicate) {
        return reply
          .code(200)
          .send({ status: 'duplicate', id: result.conversationId, callId, duplicate: true });
      }
      return reply.code(202).send({ status: 'queued', id: result.conversationId, callId });
    },
  );
};

/** Read before the query is validated, so only a single string counts as a key. */
function urlKeyOf(query: unknown): string | undefined {
  const key = (query as Record<string, unknown> | undefined)?.key;
  return typeof key === 'string' ? key : Array.isArray(key) ? '' : undefined;
}

export default gongWebhookRoutes;
