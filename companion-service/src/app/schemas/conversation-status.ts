import { z } from 'zod';
import { ConversationResultSchema } from '../../domain/conversation-result.js';
import { CONVERSATION_STATUSES } from '../../adapters/postgres/conversation-table.js';

/**
 * A conversation as GET /v1/conversations/:id (and POST's 202) shows it: where it is in processing,
 * what processing produced once it has, and, when it is dead, why.
 */
export const ConversationStatusSchema = z.object({
  id: z.string(),
  source: z.string(),
  status: z.enum(CONVERSATION_STATUSES),
  correlationId: z.string(),
  attempts: z.number().int(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  /** The last failure: the reason a dead conversation stopped, or what a retrying one met. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  deadLetter: z.object({ reason: z.string(), errorCode: z.string(), deadAt: z.string() }).nullable(),
  result: ConversationResultSchema.nullable(),
});
export type ConversationStatusBody = z.infer<typeof ConversationStatusSchema>;

export const IdempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'use 1 to 200 visible ASCII characters, such as a UUID')
    .optional(),
});

/** RFC 7240 preferences; only `wait` is acted on (GET /v1/conversations/:id). */
export const PreferHeadersSchema = z.looseObject({
  prefer: z.string().max(200, 'Prefer: keep it under 200 characters, such as wait=30').optional(),
});
