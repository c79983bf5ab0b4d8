import { z } from 'zod';
import { ConversationInputSchema } from '../../services/conversation-input.js';

/**
 * POST /v1/conversations: the conversation as text (notes, a "Speaker: text" transcript, an email
 * with its headers, dictated memo text) in `content`, or Gong's JSON object in `gong`; optionally the
 * deal or account it was captured on and a source id of the caller's own.
 */
export const ConversationRequestSchema = ConversationInputSchema.omit({ content: true })
  .extend({
    content: z
      .string()
      .min(1, 'content is empty: send the notes, transcript or email text')
      .max(2_000_000)
      .optional(),
    gong: z
      .looseObject({ callTranscripts: z.array(z.unknown()) })
      .optional()
      .describe("Gong's /v2/calls/transcript response, optionally with parties, metaData and context"),
  })
  .refine((body) => (body.content === undefined) !== (body.gong === undefined), {
    message: 'send exactly one of content (the text) or gong (the Gong JSON object)',
    path: ['content'],
  });
export type ConversationRequest = z.infer<typeof ConversationRequestSchema>;

export const ConversationParamsSchema = z.object({
  id: z.string().regex(/^cv_[A-Za-z0-9_-]{22}$/, 'expected a conversation id such as cv_4sQ0...'),
});

/** DELETE /v1/conversations/:id: `inOrg=true` erases the Conversation__c and its suggestions in Salesforce too. */
export const EraseQuerySchema = z.object({
  inOrg: z
    .enum(['true', 'false'], 'use inOrg=true to erase the records in Salesforce too, or leave it out')
    .optional(),
});

export const ErrorSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  id: z.string().optional(),
  requestId: z.string().optional(),
});
