import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conversationTooLarge } from '../../domain/source/ingest-queue.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { conversationOf, sourceIdFor } from '../../services/conversation-input.js';
import { requestFingerprint } from '../../domain/source/request-fingerprint.js';
import type { ConversationStatusRecord } from '../../adapters/postgres/conversation-table.js';
import {
  ConversationParamsSchema,
  ConversationRequestSchema,
  EraseQuerySchema,
  ErrorSchema,
} from '../schemas/conversation.js';
import { erase } from '../../services/erasure.js';
import {
  ConversationStatusSchema,
  IdempotencyHeadersSchema,
  PreferHeadersSchema,
  type ConversationStatusBody,
} from '../schemas/conversation-status.js';

/**
 * The conversation API: POST checks the conversation can be read, stores it durably with its job and
 * answers 202 with its Location; the worker processes it. The same conversation again (the same
 * Idempotency-Key and body, or without a key the same source id) is the same conversation: the answer
 * names the id it already has (200 once processed) and nothing changes. The same Idempotency-Key with
 * another body, within the 24 hours a key is kept, is refused with 409 naming the key. GET shows its
 * state and result; with `Prefer: wait=N` it answers when the conversation is finished (processed or
 * dead) or after N seconds (at most MAX_WAIT_SECONDS), so a caller follows it without polling.
 * DELETE erases every copy the service holds (and with ?inOrg=true its records in Salesforce).
 */

/** The longest a GET waits for its conversation to finish, whatever the caller prefers. */
export const MAX_WAIT_SECONDS = 60;
const FINISHED = new Set<ConversationStatusRecord['status']>(['processed', 'dead']);

/** `Prefer: wait=N` (RFC 7240 §4.3), held to MAX_WAIT_SECONDS; null when absent or 0. */
export function preferredWait(prefer: string | undefined): number | null {
  const seconds = prefer ? /(?:^|[,;\s])wait\s*=\s*(\d{1,6})(?=$|[,;\s])/i.exec(prefer)?.[1] : undefined;
  const wait = seconds === undefined ? 0 : Math.min(Number(seconds), MAX_WAIT_SECONDS);
  return wait > 0 ? wait : null;
}

export function statusBody(record: ConversationStatusRecord): ConversationStatusBody {
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

/** A conversation as it was just stored: queued, not yet tried. */
function queuedBody(
  id: string,
  job: { source: string; correlationId: string; receivedAt: string },
): ConversationStatusBody {
  return {
    id,
    source: job.source,
    status: 'queued',
    correlationId: job.correlationId,
    attempts: 0,
    receivedAt: job.receivedAt,
    updatedAt: job.receivedAt,
    nextAttemptAt: null,
    error: null,
    deadLetter: null,
    result: null,
  };
}

const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/conversations',
    {
      config: { ingest: true },
      // Room for the largest conversation allowed, written as JSON (escapes can double it).
      bodyLimit: Math.max(5 * 1024 * 1024, 2 * app.limits.maxConversationBytes + 64 * 1024),
      schema: {
        body: ConversationRequestSchema,
        headers: IdempotencyHeadersSchema,
        response: {
          200: ConversationStatusSchema,
          202: ConversationStatusSchema,
          409: ErrorSchema,
          413: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { gong, content, ...rest } = request.body;
      const input = { ...rest, content: content ?? JSON.stringify(gong) };
      // Refused before it is read: the size limit keeps every conversation's work bounded.
      const tooLarge = conversationTooLarge(input.content, app.limits.maxConversationBytes);
      if (tooLarge) return reply.code(413).send({ error: tooLarge });
      // Unreadable text is refused now (422), not found dead later.
      const sourceId = sourceIdFor(input, conversationOf(input));
      const clientKey = request.headers['idempotency-key'];
      const job = {
        source: 'api' as const,
        idempotencyKey: clientKey ?? sourceId,
        ...(clientKey ? { requestHash: requestFingerprint(request.body) } : {}),
        correlationId: randomUUID(),
        // With the source id it was read for, so the worker does not parse it again to find it.
        payload: { ...input, sourceId },
        receivedAt: new Date().toISOString(),
      };
      const { conversationId, duplicate } = await app.ingest.enqueue(job);
      // A new conversation is answered from what was just stored; only a repeat is read back.
      const record = duplicate ? await app.conversations.find(conversationId) : null;
      if (duplicate && !record) {
        throw new Error(`conversation ${conversationId} was stored but cannot be read back`);
      }
      const body = record ? statusBody(record) : queuedBody(conversationId, job);
      request.log.info(
        { conversationId, duplicate, correlationId: body.correlationId },
        'conversation accepted',
      );
      reply.header('Location', `/v1/conversations/${conversationId}`);
      return reply.code(body.status === 'processed' ? 200 : 202).send(body);
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        params: ConversationParamsSchema,
        headers: PreferHeadersSchema,
        response: { 200: ConversationStatusSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const waitSeconds = preferredWait(request.headers.prefer);
      // Listening before reading, so a conversation that finishes in between is not missed.
      const wait = waitSeconds ? app.conversations.notices.waitForFinish(id, waitSeconds * 1000) : null;
      let record: ConversationStatusRecord | null;
      try {
        record = await app.conversations.find(id);
        if (wait && record && !FINISHED.has(record.status)) {
          await wait.finished;
          record = await app.conversations.find(id);
        }
      } finally {
        wait?.cancel();
      }
      if (wait) reply.header('Preference-Applied', `wait=${waitSeconds}`);
      if (!record) {
        return reply.code(404).send({
          error: `no conversation ${id}: POST it to /v1/conversations (the answer's Location names its id)`,
        });
      }
      return statusBody(record);
    },
  );

  app.delete(
    '/v1/conversations/:id',
    {
      schema: {
        params: ConversationParamsSchema,
        querystring: EraseQuerySchema,
        response: { 204: z.null(), 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const summary = await erase(
        {
          db: app.conversations.org,
          org: request.query.inOrg === 'true' ? app.salesforce.api : null,
        },
        { conversationId: id },
      );
      request.log.info(
        { conversationId: id, service: summary.service, org: summary.org?.deleted ?? null },
        'conversation erased',
      );
      if (summary.busy.length > 0) {
        reply.header('Retry-After', '60');
        return reply.code(409).send({
          error: `conversation ${id} is being processed right now; send the DELETE again in a minute`,
        });
      }
      const refused = summary.org?.refused ?? [];
      if (refused.length > 0) {
        return reply.code(409).send({
          error: `the service's copies of ${id} are erased, but Salesforce refused to delete ${refused
            .map((r) => `${r.object} ${r.id} (${r.code})`)
            .join(', ')}: an admin deletes them, or grants the integration user Delete on them`,
        });
      }
      if (summary.conversations.length === 0 && !summary.org?.deleted.conversations) {
        return reply.code(404).send({ error: `no conversation ${id}: nothing to erase` });
      }
      return reply.code(204).send(null);
    },
  );
};

export default conversationRoutes;
