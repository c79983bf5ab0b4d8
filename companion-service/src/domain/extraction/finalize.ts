import type { Insights } from '../insights/schema.js';
import { InsightsSchema } from '../insights/schema.js';
import type { Conversation } from '../source/conversation.js';
import type { DraftInsights } from './draft.js';
import type { ExtractionContext } from './extractor.js';
import { groundDraft } from '../evidence/ground.js';
import { splitSentences } from '../text/sentences.js';
import { suggestStage } from '../stages/suggest-stage.js';
import type { CompetitorMention } from '../stages/signal-matcher.js';
import { deriveFieldUpdates } from '../insights/field-updates.js';
import { summarize } from './summary.js';

/**
 * The steps every extractor shares, so the promise holds whichever one ran: ground every quote,
 * decide the stage from the org's stage rules, propose field values under the field policies, and
 * check the result against the contract.
 */
export function finalizeInsights(
  conversation: Conversation,
  draft: DraftInsights,
  context: ExtractionContext,
  extractor: { name: string; version: string },
): Insights {
  const grounded = groundDraft(conversation, draft);
  const sentences = splitSentences(conversation);
  const stageSuggestion = suggestStage({
    rules: context.rules.stageRules,
    currentStage: context.currentStage,
    sentences,
    competitorMentions: findMentions(
      conversation.text,
      grounded.competitors.map((c) => c.name),
      context.rules.competitors.entries,
    ),
    insights: grounded,
  });
  const insights: Insights = {
    summary: grounded.summary.trim() || summarize(conversation, grounded, stageSuggestion),
    decisions: grounded.decisions,
    objections: grounded.objections,
    nextSteps: grounded.nextSteps,
    stakeholders: grounded.stakeholders,
    budget: grounded.budget,
    timeline: grounded.timeline,
    competitors: grounded.competitors,
    useCase: grounded.useCase,
    seatCount: grounded.seatCount,
    meddpicc: grounded.meddpicc,
    stageSuggestion,
    fieldUpdates: deriveFieldUpdates(grounded, stageSuggestion, context.rules.fieldMappings),
    source: {
      format: conversation.format,
      meetingDate: context.meetingDate,
      characters: conversation.text.length,
      extractor: extractor.name,
      extractorVersion: extractor.version,
    },
  };
  return InsightsSchema.parse(insights);
}

/** Where each competitor (by name or catalog alias) is mentioned, for patterns that name one. */
export function findMentions(
  text: string,
  names: string[],
  catalog: { name: string; aliases: string[] }[],
): CompetitorMention[] {
  const forms = new Map<string, string>();
  for (const name of names) forms.set(name, name);
  for (const entry of catalog) {
    if (!names.includes(entry.name)) continue;
    for (const alias of entry.aliases) forms.set(alias, entry.name);
  }
  const mentions: CompetitorMention[] = [];
  for (const [form, name] of forms) {
    const re = new RegExp(`(?<![\\w])${escapeRegExp(form)}(?![\\w])`, 'gi');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) mentions.push({ name, start: m.index, end: m.index + m[0].length });
  }
  return mentions.sort((a, b) => a.start - b.start);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
