import type { Extractor } from '../domain/extraction/extractor.js';
import type { Insights } from '../domain/insights/schema.js';
import type { Conversation } from '../domain/source/conversation.js';
import type { MatchResult } from '../domain/matching/match-opportunity.js';
import { decideWrites, matchSuggestions } from '../domain/writeback/decide-writes.js';
import type { WriteDecision } from '../domain/writeback/plan.js';
import type { OrgSnapshot } from '../adapters/salesforce/org-rules.js';
import type { ConversationRead } from '../adapters/salesforce/conversation-read.js';
import type { WriteInput } from '../adapters/salesforce/conversation-write.js';
import { conversationRecord } from '../adapters/salesforce/records.js';
import { extractRead, InputError } from './extract-conversation.js';
import type { ReadConversation } from '../domain/source/detect.js';
import { emailsByName, sourceLabelFor, titleFor, type ConversationInput } from './conversation-input.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { activityEntry, type ActivityChannel } from '../domain/activity/activity-entry.js';
import type { SourceLabel } from '../adapters/salesforce/records.js';
import type { ActivitySettings } from '../adapters/salesforce/activity-records.js';
import type { ActivityWrite } from '../adapters/salesforce/conversation-write.js';

/**
 * The steps between the read and the write: extraction against the matched deal's stage, the write
 * decision for the kind of match, and the write it turns into.
 */

export const NO_WRITES: WriteDecision = { suggestions: [], applies: [], stale: [], outcomes: [] };

/** Extracts the conversation as it was read for the record, so evidence offsets point into its text. */
export async function extractForMatch(
  input: ConversationInput,
  read: ReadConversation,
  match: MatchResult,
  snapshot: OrgSnapshot,
  today: string,
  extractor: Extractor,
  errors: ConversationResult['errors'],
): Promise<Insights> {
  const stage = match.kind === 'opportunity' ? match.opportunity.stageName : null;
  const request = {
    meetingDate: input.meetingDate ?? null,
    today,
    rules: snapshot.rules,
    extractor,
  };
  try {
    return await extractRead(read, { ...request, currentStage: stage });
  } catch (error) {
    if (!(error instanceof InputError) || !stage) throw error;
    // A stage sales ops have not described: extract without knowing where the deal stands.
    errors.push({ code: 'UNKNOWN_STAGE', message: error.message, fields: ['StageName'] });
    return extractRead(read, { ...request, currentStage: null });
  }
}

export function decideForMatch(
  insights: Insights,
  match: MatchResult,
  read: ConversationRead,
  snapshot: OrgSnapshot,
  sourceId: string,
  conversation: Conversation,
): WriteDecision {
  if (match.kind === 'ambiguous') {
    return { ...NO_WRITES, suggestions: matchSuggestions(sourceId, match.candidates, read.existing) };
  }
  if (match.kind !== 'opportunity') return NO_WRITES;
  return decideWrites({
    insights,
    sourceId,
    occurredAt: insights.source.meetingDate,
    opportunity: match.opportunity,
    fields: snapshot.opportunityFields,
    accountFields: snapshot.accountFields,
    policies: snapshot.rules.fieldMappings,
    orgCurrency: snapshot.rules.defaultCurrency,
    closedStages: snapshot.rules.stageRules.stages.filter((s) => s.isClosed).map((s) => s.stageName),
    trust: read.trust,
    existing: read.existing,
    contactRoleValues: snapshot.contactRoleValues,
    knownContactNames: read.contacts.map((c) => c.name),
    emailsByName: emailsByName(conversation),
    contacts: read.contacts,
    contactFields: snapshot.contactFields ?? {},
  });
}

export interface WriteContext {
  input: ConversationInput;
  sourceId: string;
  conversation: Conversation;
  insights: Insights;
  match: MatchResult;
  read: ConversationRead;
  now: Date;
  activitySettings: ActivitySettings;
  /** Our own people, so the entry says who was on which side. */
  sellers: { domains: readonly string[]; people: readonly string[] };
  /** The activity logged before is gone (a rep deleted it): log the conversation anew. */
  activityGone?: boolean;
}

/** Calls and emails are logged as tasks of their kind, meetings as events, notes and memos as plain tasks. */
const CHANNELS: Record<SourceLabel, ActivityChannel> = {
  'Gong Call': 'call',
  Email: 'email',
  Meeting: 'meeting',
  Notes: 'note',
  'Voice Memo': 'note',
};

/**
 * The activity a processed conversation is logged as, linked to its deal (or its account) and the
 * customer's contacts who took part; none for a failed conversation, nor for one that names nobody
 * and nothing the CRM knows (it would be an orphan in the integration user's task list).
 */
function activityFor(
  ctx: WriteContext,
  source: SourceLabel,
  title: string,
  accountId: string | null,
): ActivityWrite | null {
  const { match, read, insights, conversation } = ctx;
  const opportunityId = match.kind === 'opportunity' ? match.opportunity.id : null;
  const entry = activityEntry({
    channel: CHANNELS[source],
    title,
    insights,
    participants: conversation.participants,
    timing: conversation.timing ?? null,
    contacts: read.contacts,
    accountId,
    today: ctx.now.toISOString().slice(0, 10),
    sellers: ctx.sellers,
  });
  const whatId = opportunityId ?? accountId;
  if (!whatId && !entry.whoId) return null;
  const stored = read.existingConversationFields?.Activity_Id__c;
  return {
    entry,
    whatId,
    ownerId: match.kind === 'opportunity' ? (match.opportunity.activeOwnerId ?? null) : null,
    settings: ctx.activitySettings,
    existingId: typeof stored === 'string' && !ctx.activityGone ? stored : null,
  };
}

export function writeInputFor(
  ctx: WriteContext,
  decision: WriteDecision,
  status: 'Processed' | 'Failed' = 'Processed',
  error: string | null = null,
): WriteInput {
  const { input, sourceId, conversation, insights, match, read } = ctx;
  const source = sourceLabelFor(input, conversation);
  const opportunity = match.kind === 'opportunity' ? match.opportunity : null;
  const accountId =
    match.kind === 'opportunity'
      ? match.opportunity.accountId
      : match.kind === 'none'
        ? null
        : match.accountId;
  const title = titleFor(input, conversation, insights, source);
  return {
    sourceId,
    conversation: conversationRecord({
      insights,
      text: conversation.text,
      title,
      source,
      sourceId,
      accountId,
      opportunityId: opportunity?.id ?? null,
      status,
      error,
    }),
    existingConversationId: read.existing?.id ?? null,
    existingConversationFields: read.existingConversationFields,
    suggestions: decision.suggestions,
    existingSuggestionFields: read.existingSuggestionFields,
    stale: decision.stale,
    opportunityId: opportunity?.id ?? null,
    applies: decision.applies,
    extractor: insights.source.extractor,
    extractorVersion: insights.source.extractorVersion,
    now: ctx.now.toISOString(),
    activity: status === 'Processed' ? activityFor(ctx, source, title, accountId) : null,
    ownerId: opportunity?.activeOwnerId ?? null,
  };
}
