import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Conversation } from '../domain/source/conversation.js';
import type { Insights } from '../domain/insights/schema.js';
import type { MatchHints } from '../domain/matching/match-opportunity.js';
import type { OrgRules } from '../domain/org-rules.js';
import type { SourceLabel } from '../adapters/salesforce/records.js';
import { INPUT_FORMATS, parseConversation, readConversation } from '../domain/source/detect.js';

/**
 * What a conversation brings besides its text: a stable source id (so the same call or email is
 * always the same Conversation__c), a title, where it came from, and the hints that find its deal.
 */

// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const SOURCE_LABELS = ['Gong Call', 'Meeting', 'Email', 'Notes', 'Voice Memo'] as const;

export const ConversationInputSchema = z.object({
  content: z.string().min(1, 'content is empty: send the notes, transcript, email or Gong JSON as text'),
  // It becomes a Salesforce external id, in REST paths: no '/', no control characters, and no '..'
  // that a path could resolve as the folder above.
  sourceId: z
    .string()
    .regex(
      /^[A-Za-z0-9:._@-]{1,200}$/,
      'use up to 200 letters, digits and : . _ @ -, such as gong:7782342274025937895',
    )
    .refine(
      (id) => !id.includes('..'),
      'must not hold ".." (two dots in a row); use one dot or another separator',
    )
    .optional(),
  source: z.enum(SOURCE_LABELS).optional(),
  opportunityId: z.string().regex(ID_PATTERN, 'expected a 15- or 18-character Salesforce id').optional(),
  accountId: z.string().regex(ID_PATTERN, 'expected a 15- or 18-character Salesforce id').optional(),
  meetingDate: z.iso.date('expected a date as YYYY-MM-DD').optional(),
  title: z.string().min(1).max(80).optional(),
  // What the content is, when detection should not decide: the values of `scribe extract --format-in`.
  formatIn: z
    .enum(
      INPUT_FORMATS,
      `formatIn must be one of ${INPUT_FORMATS.join(', ')}; leave it out to have the format detected`,
    )
    .optional(),
});
export type ConversationInput = z.infer<typeof ConversationInputSchema>;

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** An email's source id, from its Message-ID: the same message however it arrives is one conversation. */
export const emailSourceId = (messageId: string) => `email:${digest(messageId)}`;

/** The Gong call id, read from the payload itself. */
function gongCallId(raw: string): string | null {
  try {
    const json = JSON.parse(raw) as { metaData?: { id?: unknown }; callTranscripts?: { callId?: unknown }[] };
    const id = json.metaData?.id ?? json.callTranscripts?.[0]?.callId;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/**
 * The conversation as the service reads it: the format the caller named (a file that does not parse
 * as that format is read as plain text), else the format detected, refusing what cannot be read.
 */
export function conversationOf(input: Pick<ConversationInput, 'content' | 'formatIn'>): Conversation {
  return input.formatIn
    ? readConversation(input.content, input.formatIn).conversation
    : parseConversation(input.content);
}

export function sourceIdFor(input: ConversationInput, conversation: Conversation): string {
  if (input.sourceId) return input.sourceId;
  if (conversation.format === 'gong') {
    const callId = gongCallId(input.content);
    if (callId && /^[A-Za-z0-9_-]{1,100}$/.test(callId)) return `gong:${callId}`;
  }
  if (conversation.format === 'email') {
    const messageId = /^message-id:\s*(\S+)/im.exec(input.content)?.[1];
    if (messageId) return emailSourceId(messageId);
  }
  return `text:${digest(conversation.text)}`;
}

export function sourceLabelFor(input: ConversationInput, conversation: Conversation): SourceLabel {
  if (input.source) return input.source;
  switch (conversation.format) {
    case 'gong':
      return 'Gong Call';
    case 'email':
      return 'Email';
    case 'transcript':
      return 'Meeting';
    default:
      return 'Notes';
  }
}

export function titleFor(
  input: ConversationInput,
  conversation: Conversation,
  insights: Insights,
  source: SourceLabel,
): string {
  if (input.title) return input.title;
  if (conversation.subject) return conversation.subject;
  const who = insights.stakeholders.find((s) => s.affiliation === 'customer')?.name;
  return [source, insights.source.meetingDate, who].filter(Boolean).join(' · ');
}

/** The customer side's emails and names: participants not on the seller side, and customer stakeholders. */
export function matchHints(
  input: ConversationInput,
  conversation: Conversation,
  customerNames: string[],
  rules: OrgRules,
): MatchHints {
  const sellerDomain = (email: string) =>
    rules.sellerEmailDomains.some((d) => email.toLowerCase().endsWith(`@${d}`));
  const customers = conversation.participants.filter(
    (p) => p.affiliation !== 'seller' && !(p.email && sellerDomain(p.email)),
  );
  const emails = [...new Set(customers.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])))];
  const names = [
    ...new Set(
      [...customers.map((p) => p.name), ...customerNames].map((n) => n.trim()).filter((n) => n.includes(' ')),
    ),
  ];
  return {
    crmOpportunityId: conversation.crmContext?.opportunityId ?? null,
    requestedOpportunityId: input.opportunityId ?? null,
    requestedAccountId: input.accountId ?? null,
    previousOpportunityId: null,
    emails,
    names,
    text: `${conversation.subject ?? ''}\n${conversation.text}`,
  };
}

/** Participants' email addresses by lower-cased name, for contact suggestions. */
export function emailsByName(conversation: Conversation): Record<string, string> {
  return Object.fromEntries(
    conversation.participants.flatMap((p) => (p.email ? [[p.name.toLowerCase(), p.email]] : [])),
  );
}
