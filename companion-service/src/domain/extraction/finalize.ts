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
import { findMoney } from './embedded/money.js';
import { isInstruction } from '../guards/instructions.js';

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
  const grounded = valuesMatchQuotes(groundDraft(conversation, draft), context.rules.competitors.entries);
  const sentences = splitSentences(conversation);
  const stageSuggestion = suggestStage({
    rules: context.rules.stageRules,
    text: conversation.text,
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
    summary:
      supportedSummary(grounded.summary, conversation.text) ??
      summarize(conversation, grounded, stageSuggestion),
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

/**
 * A real quote can still be attached to a wrong value ("Our budget is $120k" → 900000). Values that
 * can be read back from their quote must be there: the amount, the seat count, the competitor.
 */
function valuesMatchQuotes(d: DraftInsights, catalog: { name: string; aliases: string[] }[]): DraftInsights {
  const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(0.5, Math.abs(b) * 0.005);
  const budgetOk = (b: NonNullable<DraftInsights['budget']>) =>
    findMoney({
      start: b.evidence.start,
      end: b.evidence.end,
      text: b.evidence.quote,
      speaker: null,
      isQuestion: false,
    }).some((m) => near(m.amount, b.amount));
  const seatsOk = (s: NonNullable<DraftInsights['seatCount']>) =>
    (s.evidence.quote.replace(/,/g, '').match(/\d+/g) ?? []).some((n) => Number(n) === s.count);
  // Catalog aliases stand for their competitor: a quote naming "Wingman" supports Clari.
  const formsOf = (name: string) => [name, ...(catalog.find((e) => e.name === name)?.aliases ?? [])];
  const mentions = (quote: string, name: string) =>
    formsOf(name).some((form) => quote.toLowerCase().includes(form.toLowerCase()));
  return {
    ...d,
    budget: d.budget && budgetOk(d.budget) ? d.budget : null,
    seatCount: d.seatCount && seatsOk(d.seatCount) ? d.seatCount : null,
    competitors: d.competitors.filter((c) => mentions(c.evidence.quote, c.name)),
  };
}

/**
 * A summary written by a model is kept only when it says nothing the source cannot back: no number
 * absent from the source, no closed-deal claim, nothing addressed to a machine.
 */
function supportedSummary(summary: string, source: string): string | null {
  const text = summary.trim();
  if (!text || isInstruction(text) || /\bclosed[- ](?:won|lost)\b/i.test(text)) return null;
  const digits = (s: string) => s.replace(/[,\s]/g, '');
  const flatSource = digits(source);
  const numbers = text.match(/\d[\d,.]*\d|\d/g) ?? [];
  return numbers.every((n) => flatSource.includes(digits(n).replace(/\.$/, ''))) ? text : null;
}

/** Where each competitor (by name or catalog alias) is mentioned, for patterns that name one. */
export function findMentions(
  text: string,
  names: string[],
  catalog: { name: string; aliases: string[] }[],
): CompetitorMention[] {
  // Names match in any case ("comp: clari" in notes); aliases only as written or in capitals, since
  // an alias may be an ordinary word ("drift" is not Drift the product).
  const forms = names.map((n) => ({ form: n, name: n, anyCase: true }));
  for (const entry of catalog) {
    if (!names.includes(entry.name)) continue;
    for (const alias of entry.aliases) forms.push({ form: alias, name: entry.name, anyCase: false });
  }
  const found: CompetitorMention[] = [];
  for (const { form, name, anyCase } of forms) {
    const alternatives = anyCase
      ? escapeRegExp(form)
      : `${escapeRegExp(form)}|${escapeRegExp(form.toUpperCase())}`;
    const re = new RegExp(`(?<![\\p{L}0-9])(?:${alternatives})(?![\\p{L}0-9])`, anyCase ? 'giu' : 'gu');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) found.push({ name, start: m.index, end: m.index + m[0].length });
  }
  // One mention per place: "Gong.io" is not also "Gong".
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const mentions: CompetitorMention[] = [];
  for (const m of found) {
    const last = mentions[mentions.length - 1];
    if (last && m.start < last.end) continue;
    mentions.push(m);
  }
  return mentions;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
