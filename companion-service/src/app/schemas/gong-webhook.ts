import { z } from 'zod';
import { GongCallDataSchema } from '../../adapters/gong/call-data.js';

/** POST /webhooks/gong: what a Gong automation rule sends, `{ callData, isTest }`. */

export const GongWebhookSchema = z.object({
  callData: GongCallDataSchema,
  isTest: z.boolean().optional(),
});
export type GongWebhook = z.infer<typeof GongWebhookSchema>;

export const GongWebhookQuerySchema = z.object({
  key: z.string().max(500, 'the key is longer than any key the service issues').optional(),
});

export const GongWebhookAckSchema = z.object({
  id: z.string().optional(),
  callId: z.string(),
  duplicate: z.boolean().optional(),
  test: z.boolean().optional(),
  status: z.enum(['queued', 'duplicate', 'test']),
});
