import { z } from 'zod';

/**
 * What processing a conversation produced, as the API returns it and `npm start` prints it: the deal
 * it matched and why, the suggestions and auto-applied values, what went stale, what failed, and the
 * Salesforce API calls it took.
 */

const EvidenceQuote = z.string().nullable();

export const ConversationResultSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  status: z.enum(['processed', 'failed']),
  conversationRecordId: z.string().nullable(),
  format: z.string().nullable(),
  extractor: z.string().nullable(),
  meetingDate: z.string().nullable(),
  match: z.object({
    kind: z.enum(['opportunity', 'ambiguous', 'account', 'none']),
    opportunity: z.object({ id: z.string(), name: z.string(), stageName: z.string() }).nullable(),
    account: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    reasons: z.array(z.string()),
    candidates: z.array(
      z.object({
        opportunityId: z.string(),
        name: z.string(),
        score: z.number(),
        reasons: z.array(z.string()),
      }),
    ),
  }),
  suggestions: z.array(
    z.object({
      id: z.string().nullable(),
      externalId: z.string(),
      type: z.string(),
      field: z.string().nullable(),
      currentValue: z.string().nullable(),
      proposedValue: z.string(),
      confidence: z.number(),
      status: z.string(),
      statusReason: z.string().nullable(),
      reasons: z.array(z.string()),
      evidence: EvidenceQuote,
    }),
  ),
  autoApplied: z.array(
    z.object({
      field: z.string(),
      value: z.string(),
      previousValue: z.string().nullable(),
      policy: z.string(),
      provenanceId: z.string().nullable(),
      evidence: EvidenceQuote,
    }),
  ),
  stale: z.array(z.object({ suggestionId: z.string(), reason: z.string() })),
  fieldOutcomes: z.array(
    z.object({ field: z.string(), outcome: z.string(), value: z.string().nullable(), reason: z.string() }),
  ),
  /**
   * Values the extractor proposed that their quotes do not bear out (an injected instruction, an
   * invented quote, a next step the quote never said): none was suggested or written; each says why.
   */
  dropped: z
    .array(z.object({ insight: z.string(), value: z.string(), quote: z.string(), reason: z.string() }))
    .default([]),
  errors: z.array(z.object({ code: z.string(), message: z.string(), fields: z.array(z.string()) })),
  /**
   * Salesforce refused the conversation for a missing permission: what, and what an admin grants.
   * Nothing was written but the Conversation__c's status and error; the conversation is dead.
   */
  refusal: z
    .object({
      code: z.string(),
      object: z.string().nullable(),
      fields: z.array(z.string()),
      missing: z.string(),
      message: z.string(),
    })
    .nullable()
    .optional(),
  /** Salesforce API calls this conversation took (the org's rules are read once and cached). */
  apiCalls: z.number().int(),
  /** False when the org already held everything (a replay). */
  changedOrg: z.boolean(),
  processedAt: z.string(),
});
export type ConversationResult = z.infer<typeof ConversationResultSchema>;
