import type { Conversation } from '../../source/conversation.js';
import type { Insights, Stakeholder, Statement } from '../../insights/schema.js';
import type { ExtractionContext, Extractor } from '../extractor.js';
import type { OrgRules } from '../../org-rules.js';
import type { DraftInsights } from '../draft.js';
import { finalizeInsights, findMentions } from '../finalize.js';
import { splitSentences, type Sentence } from '../../text/sentences.js';
import { anySpanWithin } from '../../text/span-index.js';
import { inferSides } from './sides.js';
import { extractPeople } from './people.js';
import { extractCompetitors } from './competitors.js';
import { extractBudget } from './money.js';
import { extractStatements } from './statements.js';
import { extractNextSteps } from './next-steps.js';
import { ROLE_CUES } from './lexicon.js';
import { hasTitleWord } from './names.js';

/** The people a conversation names, with the sentences and sides they were found from. */
function findPeople(conversation: Conversation, rules: OrgRules) {
  const sentences = splitSentences(conversation);
  const sides = inferSides(conversation, sentences, rules);
  const catalogNames = rules.competitors.entries.flatMap((e) => [e.name, ...e.aliases]);
  const people = extractPeople({
    conversation,
    sentences,
    sides,
    organisations: [...catalogNames, ...rules.sellerNames, ...rules.nonCompetitors],
    seller: { people: rules.sellerPeople, domains: rules.sellerEmailDomains },
  });
  return { sentences, sides, people };
}

/**
 * The customer's people a conversation names, to find the deal by before anything is extracted:
 * only the people rules, not the extraction, so a conversation is extracted once whichever
 * extractor then writes its insights.
 */
export function customerNames(conversation: Conversation, rules: OrgRules): string[] {
  return findPeople(conversation, rules)
    .people.filter((p) => p.affiliation === 'customer')
    .map((p) => p.name);
}

/**
 * The default extractor: rules over sentences plus chrono-node for dates; no network, no model
 * download. It runs in a few milliseconds per 10,000 words, so it can also run on every keystroke
 * of quick capture. Its output goes through the same grounding and stage rules as the LLM's.
 */
export class EmbeddedExtractor implements Extractor {
  readonly name = 'embedded';
  readonly languages = ['en'] as const;
  readonly version = '0.2.0';

  async extract(conversation: Conversation, context: ExtractionContext): Promise<Insights> {
    return finalizeInsights(conversation, this.draft(conversation, context), context, this);
  }

  draft(conversation: Conversation, context: ExtractionContext): DraftInsights {
    const { rules } = context;
    const { sentences, sides, people } = findPeople(conversation, rules);

    // Our company and the vendors customers use alongside us are never competitors.
    const excluded = new Set<string>(
      [...rules.sellerNames, ...rules.nonCompetitors].map((n) => n.toLowerCase()),
    );
    // Only people we are sure of keep a name from being a vendor: a speaker, a participant, someone
    // with a title or a role. "Luma Health sent us a quote" makes Luma Health a vendor, not a person.
    const participantNames = new Set(conversation.participants.map((p) => p.name.toLowerCase()));
    const surePeople = people.filter(
      (p) =>
        (p.title && hasTitleWord(p.title)) ||
        p.role ||
        participantNames.has(p.name.toLowerCase()) ||
        sides.has(p.name),
    );
    for (const p of surePeople) {
      excluded.add(p.name.toLowerCase());
      excluded.add(p.name.split(' ')[0]!.toLowerCase());
    }
    for (const label of sides.keys()) excluded.add(label.toLowerCase());
    const competitors = extractCompetitors({ sentences, catalog: rules.competitors, excluded });
    const vendorNames = new Set(competitors.map((c) => c.name.toLowerCase()));
    const stakeholders = people.filter((p) => !vendorNames.has(p.name.toLowerCase()));
    const mentions = findMentions(
      conversation.text,
      competitors.map((c) => c.name),
      rules.competitors.entries,
    );
    const mentionsCompetitor = (s: Sentence) => anySpanWithin(mentions, s.start, s.end);

    const budget = extractBudget(sentences, rules.defaultCurrency, mentionsCompetitor);
    const sideOf = (s: Sentence) => (s.speaker ? sides.get(s.speaker) : undefined);
    const isCustomer = (s: Sentence) => sideOf(s) !== 'seller';
    const statements = extractStatements({ sentences, isCustomer, meetingDate: context.meetingDate });

    const resolveName = (label: string): string | null => {
      const first = label.split(' ')[0]!.toLowerCase();
      const person =
        stakeholders.find((p) => p.name.toLowerCase() === label.toLowerCase()) ??
        stakeholders.find((p) => p.title?.toLowerCase() === label.toLowerCase()) ??
        stakeholders.find((p) => p.name.split(' ')[0]!.toLowerCase() === first);
      return person?.name ?? null;
    };
    const counterpartOf = (speaker: string | null): string | null => {
      const side = speaker ? sides.get(speaker) : undefined;
      if (!side) return null;
      const other = [...sides.entries()].find(([label, s]) => s !== side && label !== speaker);
      return other ? resolveName(other[0]) : null;
    };
    const customerOf = (speaker: string | null): string | null =>
      speaker && sides.get(speaker) === 'seller' ? counterpartOf(speaker) : null;
    const nextSteps = extractNextSteps({
      sentences,
      meetingDate: context.meetingDate,
      resolveName,
      counterpartOf,
      customerOf,
      isNotes: conversation.format === 'notes',
      priorityCutoffs: rules.nextStepPriority,
    });

    const roleStatements = (role: Stakeholder['role']): Statement[] => {
      const fromPeople = stakeholders
        .filter((p) => p.role === role && p.affiliation === 'customer')
        .map((p) => ({ text: `${p.name}${p.title ? `, ${p.title}` : ''}`, evidence: p.evidence }));
      if (fromPeople.length > 0) return fromPeople;
      const cue = ROLE_CUES.find((c) => c.role === role)!.re;
      return sentences
        .filter((s) => !s.isQuestion && cue.test(s.text))
        .slice(0, 2)
        .map((s) => ({ text: s.text, evidence: { quote: s.text, start: s.start, end: s.end } }));
    };

    return {
      summary: '',
      decisions: statements.decisions,
      objections: statements.objections,
      nextSteps,
      stakeholders,
      budget: budget?.budget ?? null,
      timeline: statements.timeline,
      competitors,
      useCase: statements.useCase,
      seatCount: statements.seatCount,
      meddpicc: {
        ...statements.meddpicc,
        economicBuyer: roleStatements('economic_buyer'),
        champion: roleStatements('champion'),
        competition: competitors.map((c) => ({ text: `${c.name}: ${c.context}`, evidence: c.evidence })),
      },
      confidence: budget ? { budget: budget.confidence } : {},
      timelineIsDecision: statements.timelineIsDecision,
      proposedStage: null,
    };
  }
}
