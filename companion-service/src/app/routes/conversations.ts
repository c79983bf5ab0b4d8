import { randomUUID } from 'node:crypto';
import { conversationTooLarge } from '../../domain/source/ingest-queue.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseConversation } from '../../domain/source/detect.js';
import { sourceIdFor } from '../../services/conversation-input.js';
import type { ConversationRecord } from '../../adapters/postgres/conversation-table.js';
import { ConversationParamsSchema, ConversationRequestSchema, ErrorSchema } from '../schemas/conversation.js';
import {
  ConversationStatusSchema,
  IdempotencyHeadersSchema,
  type ConversationStatusBody,
} from '../schemas/conversation-status.js';

/**
 * The conversation API: POST checks the conversation can be read, stores it durably with its job and
 * answers 202 with its Location; the worker processes it. The same conversation again (the same
 * Idempotency-Key, or without one the same source id) is the same conversation: the answer names the
 * id it already has (200 once processed) and nothing changes. GET shows its state and result.
 */

export function statusBody(record: ConversationRecord): ConversationStatusBody {
  return {
    id: record.id,
    source: record.source,
    status: record.status,
    correlationId: record.correlationId,
    attempts: record.attempts,
    receivedAt: record.receivedAt,
    updatedAt: record.updatedAt,
    nextAttemptAt: record.nextAttemptAt,
    error: record.error,
    deadLetter: record.deadLetter,
    result: record.result,
  };
}

const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/conversations',
    {
      // Room for the largest conversation allowed, written as JSON (escapes can double it).
      bodyLimit: Math.max(5 * 1024 * 1024, 2 * app.limits.maxConversationBytes + 64 * 1024),
      schema: {
        body: ConversationRequestSchema,
        headers: IdempotencyHeadersSchema,
        response: { 200: ConversationStatusSchema, 202: ConversationStatusSchema, 413: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { gong, content, ...rest } = request.body;
      const input = { ...rest, content: content ?? JSON.stringify(gong) };
      // Refused before it is read: the size limit keeps every conversation's work bounded.
      const tooLarge = conversationTooLarge(input.content, app.limits.maxConversationBytes);
      if (tooLarge) return reply.code(413).send({ error: tooLarge });
      // Unreadable text is refused now (422), not found dead later.
      const sourceId = sourceIdFor(input, parseConversation(input.content));
      const { conversationId, duplicate } = await app.ingest.enqueue({
        source: 'api',
        idempotencyKey: request.headers['idempotency-key'] ?? sourceId,
        correlationId: randomUUID(),
        payload: input,
        receivedAt: new Date().toISOString(),
      });
      const record = await app.conversations.find(conversationId);
      if (!record) throw new Error(`conversation ${conversationId} was stored but cannot be read back`);
      request.log.info(
        { conversationId, duplicate, correlationId: record.correlationId },
        'conversation accepted',
      );
      reply.header('Location', `/v1/conversations/${conversationId}`);
      return reply.code(duplicate && record.status === 'processed' ? 200 : 202).send(statusBody(record));
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        params: ConversationParamsSchema,
        response: { 200: ConversationStatusSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const record = await app.conversations.find(request.params.id);
      if (!record) {
        return reply.code(404).send({
          error: `no conversation ${request.params.id}: POST it to /v1/conversations (the answer's Location names its id)`,
        });
      }
      return statusBody(record);
    },
  );
};

export default conversationRoutes;
