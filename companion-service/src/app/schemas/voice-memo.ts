import { z } from 'zod';

/**
 * POST /v1/voice-memos: the recording is the body (its Content-Type names the format); what it is
 * about travels in the query string, and a client's retry key in the Idempotency-Key header.
 */

// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const VoiceMemoQuerySchema = z.object({
  opportunityId: z
    .string()
    .regex(ID_PATTERN, 'expected the 15- or 18-character Salesforce id of the opportunity the memo is about')
    .optional(),
  recordedAt: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'expected when the memo was recorded, as an ISO date or date-time such as 2026-03-12T17:05:00Z',
    })
    .optional(),
  title: z.string().min(1).max(80, 'use at most 80 characters').optional(),
});

export const VoiceMemoHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9:._@-]{1,200}$/, 'use up to 200 letters, digits and : . _ @ -, such as a UUID')
    // It becomes the memo's source id, a Salesforce external id in REST paths.
    .refine((key) => !key.includes('..'), 'must not hold ".." (two dots in a row), such as a UUID')
    .optional(),
});

export const VoiceMemoAckSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'duplicate']),
  transcript: z.string(),
  engine: z.string(),
});

export type VoiceMemoQuery = z.infer<typeof VoiceMemoQuerySchema>;
export type VoiceMemoAck = z.infer<typeof VoiceMemoAckSchema>;
