import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { SourceFormatError } from '../../domain/source/conversation.js';
import { InputError } from '../../services/extract-conversation.js';
import {
  EnqueueError,
  IdempotencyConflictError,
  IntakeBusyError,
  QueueFullError,
} from '../../domain/source/ingest-queue.js';

/**
 * The one error handler: a 4xx says exactly what is wrong with the request and how to fix it; a 5xx
 * body is generic and the details go to the log with the request id.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const issues = error.validation.map((v) => ({
          field:
            v.instancePath.replace(/^\//, '').replace(/\//g, '.') ||
            (v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') ||
            'body',
          message: v.message ?? 'invalid',
        }));
        return reply.code(400).send({
          error: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
          issues,
        });
      }
      if (error instanceof SourceFormatError || error instanceof InputError) {
        return reply.code(422).send({ error: `the conversation cannot be read: ${error.message}` });
      }
      if (error instanceof IdempotencyConflictError) {
        return reply.code(409).send({ error: error.message });
      }
      if (error instanceof QueueFullError) {
        return reply
          .code(429)
          .header('retry-after', String(error.retryAfterSeconds))
          .send({ error: error.message });
      }
      // The service, not the caller, is over its capacity: a sender retries a 503 after Retry-After.
      if (error instanceof IntakeBusyError) {
        return reply
          .code(503)
          .header('retry-after', String(error.retryAfterSeconds))
          .send({ error: error.message });
      }
      if (error instanceof EnqueueError) {
        if (!error.retryable) return reply.code(422).send({ error: error.message });
        // The database's own words may name internals: they go to the log, the sender hears to retry.
        request.log.error({ err: error }, 'the conversation could not be queued');
        return reply.code(503).header('retry-after', '1').send({
          error: 'the conversation could not be stored just now and nothing was kept: send it again',
          requestId: request.id,
        });
      }
      if (error.statusCode && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: error.message });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({
        error: 'internal error; the service log has the details under this request id',
        requestId: request.id,
      });
    });
  },
  { name: 'errors', fastify: '5.x' },
);
