import type { Insights } from '../insights/schema.js';
import { InsightsSchema } from '../insights/schema.js';
import type { Conversation } from '../source/conversation.js';
import type { DraftInsights } from './draft.js';
import type { ExtractionContext } from './extractor.js';
import { holdSummary, holdToQuotes } from '../evidence/hold-to-quotes.js';
import { splitSentences } from '../text/sentences.js';
import { suggestStage } from '../stages/suggest-stage.js';
import { signalsInLanguage } from '../stages/stage-rules.js';
import type { CompetitorMention } from '../stages/signal-matcher.js';
import { deriveFieldUpdates } from '../insights/field-updates.js';
import { summarize } from './summary.js';
import { detectLanguage, languageName, UNDETERMINED } from '../source/language.js';
import type { OrgRules } from '../org-rules.js';
import { personKey, sellerKeys } from './seller-side.js';
import { customerContactDetails } from './contact-owners.js';
import { NAME_END, NAME_START } from '../text/word-boundary.js';

/**
 * The steps every extractor shares, so the promise holds whichever one ran: hold every value to its
 * quote (dropping, with a reason, what the quote does not bear out), decide the stage from the org's
 * stage rules, propose field values under the field policies, and check the result against the contract.
 */
/**
 * Whichever extractor read the conversation, the org's own people are never the customer's and
 * our company or the vendors customers use alongside us are never competitors.
 */
function onOurSide(draft: DraftInsights, rules: OrgRules): DraftInsights {
  const ours = sellerKeys(rules.sellerPeople);
  const notRivals = new Set([...rules.sellerNames, ...rules.nonCompetitors].map((n) => n.toLowerCase()));
  return {
    ...draft,
    stakeholders: draft.stakeholders.map((s) =>
      s.affiliation === 'customer' && ours.has(personKey(s.name))
        ? { ...s, affiliation: 'seller' as const, role: null }
        : s,
    ),
    competitors: draft.competitors.filter((c) => !notRivals.has(c.name.toLowerCase())),
    // A vendor competing for the deal is not one of the customer's systems, whoever proposed it.
    techStack: draft.techStack?.filter(
      (t) => !draft.competitors.some((c) => c.name.toLowerCase() === t.name.toLowerCase()),
    ),
    meddpicc: {
      ...draft.meddpicc,
      competition: draft.meddpicc.competition.filter(
        (c) => !notRivals.has(c.text.split(':')[0]!.trim().toLowerCase()),
      ),
    },
  };
}

export function finalizeInsights(
  conversation: Conversation,
  draft: DraftInsights,
  context: ExtractionContext,
  extractor: { name: string; version: string; languages?: readonly string[] },
): Insights {
  const language = detectLanguage(conversation);
  const held = holdToQuotes(conversation, draft, {
    meetingDate: context.meetingDate,
    competitors: context.rules.competitors.entries,
  });
  const grounded = onOurSide(held.draft, context.rules);
  const { dropped } = held;
  const modelSummary = holdSummary(grounded.summary, conversation, context.meetingDate);
  const sentences = splitSentences(conversation);
  const stageSuggestion = suggestStage({
    rules: signalsInLanguage(context.rules.stageRules, language),
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
    summary: modelSummary.summary ?? summarize(conversation, grounded, stageSuggestion),
    decisions: grounded.decisions,
    objections: grounded.objections,
    nextSteps: grounded.nextSteps,
    stakeholders: grounded.stakeholders,
    contactDetails: customerContactDetails(
      grounded.contactDetails ?? [],
      grounded.stakeholders,
      context.rules,
    ),
    budget: grounded.budget,
    timeline: grounded.timeline,
    competitors: grounded.competitors,
    useCase: grounded.useCase,
    seatCount: grounded.seatCount,
    employeeCount: grounded.employeeCount ?? null,
    annualRevenue: grounded.annualRevenue ?? null,
    techStack: grounded.techStack ?? [],
    decisionTimeline: grounded.decisionTimeline ?? null,
    meddpicc: grounded.meddpicc,
    stageSuggestion,
    fieldUpdates: deriveFieldUpdates(grounded, stageSuggestion, context.rules.fieldMappings),
    dropped: [...dropped, ...modelSummary.dropped],
    language,
    warnings: languageWarnings(language, extractor),
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

function languageWarnings(
  language: string,
  extractor: { name: string; languages?: readonly string[] },
): string[] {
  const reads = extractor.languages;
  if (!reads || language === UNDETERMINED || reads.includes(language.split('-')[0]!)) return [];
  const names = reads.map(languageName).join(', ');
  return [
    `the conversation reads as ${languageName(language)} (${language}); the ${extractor.name} extractor reads ${names} only, so what it found may be incomplete: configure an LLM extractor (OPENAI_API_KEY) to extract in any language`,
  ];
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
    const re = new RegExp(`${NAME_START}(?:${alternatives})${NAME_END}`, anyCase ? 'giu' : 'gu');
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
