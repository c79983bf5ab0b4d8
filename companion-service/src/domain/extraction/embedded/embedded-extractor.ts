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
import { extractBudget } from './budget.js';
import { extractStatements } from './statements.js';
import { extractNextSteps } from './next-steps.js';
import { extractContactDetails } from './contact-details.js';
import { extractCompanyFacts } from './company-facts.js';
import { ROLE_CUES } from './lexicon.js';
import { hasTitleWord } from './names.js';
import { detectLanguage } from '../../source/language.js';
import { EMBEDDED_LANGUAGES, lexiconFor } from './locales/locales.js';
import { addLocalePeople } from './locales/locale-people.js';
import { localizeDraft } from './locales/locale-draft.js';

/** The people a conversation names, with the sentences and sides they were found from. */
function findPeople(conversation: Conversation, rules: OrgRules) {
  const sentences = splitSentences(conversation);
  // Spanish and Chinese add their own words to the English steps (locales/).
  const lexicon = lexiconFor(detectLanguage(conversation));
  const sides = inferSides(conversation, sentences, rules, lexicon);
  const catalogNames = rules.competitors.entries.flatMap((e) => [e.name, ...e.aliases]);
  const english = extractPeople({
    conversation,
    sentences,
    sides,
    organisations: [...catalogNames, ...rules.sellerNames, ...rules.nonCompetitors],
    seller: { people: rules.sellerPeople, domains: rules.sellerEmailDomains },
  });
  const organisations = new Set(
    [...catalogNames, ...rules.sellerNames, ...rules.nonCompetitors].map((n) => n.toLowerCase()),
  );
  const people = lexicon
    ? addLocalePeople({ conversation, sentences, sides, lexicon, found: english, excluded: organisations })
    : english;
  return { sentences, sides, people, lexicon };
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
  readonly languages = EMBEDDED_LANGUAGES;
  readonly version = '0.2.0';

  async extract(conversation: Conversation, context: ExtractionContext): Promise<Insights> {
    return finalizeInsights(conversation, this.draft(conversation, context), context, this);
  }

  draft(conversation: Conversation, context: ExtractionContext): DraftInsights {
    const { rules } = context;
    const { sentences, sides, people, lexicon } = findPeople(conversation, rules);

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
    // Our own product goes by our company's name: "Staffwise's scheduling module" in a mail to
    // kyle@staffwise.com is what we sell, whatever words surround it.
    const sellerSide = new Set(
      people.filter((p) => p.affiliation === 'seller').map((p) => p.name.toLowerCase()),
    );
    const sellerDomains = [
      ...rules.sellerEmailDomains,
      ...conversation.participants
        .filter((p) => p.affiliation === 'seller' || sellerSide.has(p.name.toLowerCase()))
        .map((p) => p.email?.split('@')[1] ?? ''),
    ];
    // Either side's own company, from the call's parties, is never competing for the deal.
    for (const p of conversation.participants) if (p.company) excluded.add(p.company.toLowerCase());
    for (const domain of sellerDomains) {
      const name = companyOfDomain(domain);
      if (name) excluded.add(name);
    }
    const competitors = extractCompetitors({
      sentences,
      catalog: rules.competitors,
      excluded,
      knownSystems: new Set(rules.nonCompetitors.map((n) => n.toLowerCase())),
      open: {
        // A full name read as a person is one; a lone capitalised word ("Fleetora handles dispatch")
        // may be a vendor, and its frames decide.
        people: new Set(
          people
            .filter((p) => p.name.includes(' '))
            .flatMap((p) => [p.name.toLowerCase(), p.name.split(' ')[0]!.toLowerCase()]),
        ),
        saidBySeller: (s) => (s.speaker ? sides.get(s.speaker) === 'seller' : false),
        weights: rules.competitorEvidence,
      },
    });
    const vendorNames = new Set(competitors.map((c) => c.name.toLowerCase()));
    const stakeholders = people.filter((p) => !vendorNames.has(p.name.toLowerCase()));
    const mentions = findMentions(
      conversation.text,
      competitors.map((c) => c.name),
      rules.competitors.entries,
    );
    const mentionsCompetitor = (s: Sentence) => anySpanWithin(mentions, s.start, s.end);

    const sideOf = (s: Sentence) => (s.speaker ? sides.get(s.speaker) : undefined);
    const budget = extractBudget({
      text: conversation.text,
      sentences,
      defaultCurrency: rules.defaultCurrency,
      aboutCompetitor: mentionsCompetitor,
      saidBySeller: (s) => sideOf(s) === 'seller',
    });
    const isCustomer = (s: Sentence) => sideOf(s) !== 'seller';
    const statements = extractStatements({ sentences, isCustomer, meetingDate: context.meetingDate });
    // A vendor competing for the deal, our company or a person is never one of the customer's systems.
    const notSystems = new Set(
      [...competitors.map((c) => c.name), ...rules.sellerNames, ...sides.keys()]
        .concat(people.flatMap((p) => [p.name, p.name.split(' ')[0]!]))
        .map((n) => n.toLowerCase()),
    );
    const facts = extractCompanyFacts({
      sentences,
      defaultCurrency: rules.defaultCurrency,
      notSystems,
      knownSystems: rules.nonCompetitors,
      timeline: statements.timeline,
      timelineIsDecision: statements.timelineIsDecision,
    });

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

    const draft: DraftInsights = {
      summary: '',
      decisions: statements.decisions,
      objections: statements.objections,
      nextSteps,
      stakeholders,
      contactDetails: extractContactDetails({
        conversation,
        sentences,
        stakeholders,
        sellerDomains: rules.sellerEmailDomains,
        extractor: this.name,
      }),
      budget: budget?.budget ?? null,
      timeline: statements.timeline,
      competitors,
      useCase: statements.useCase,
      seatCount: statements.seatCount,
      ...facts,
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
    if (!lexicon) return draft;
    return localizeDraft({
      english: draft,
      sentences,
      sides,
      lexicon,
      rules,
      meetingDate: context.meetingDate,
      excluded,
      mentionsCompetitor,
      text: conversation.text,
    });
  }
}

/** The company a mail domain names: "staffwise.com" and "mail.staffwise.co.uk" are Staffwise. */
function companyOfDomain(domain: string): string | null {
  const labels = domain.toLowerCase().split('.').filter(Boolean);
  if (labels.length < 2) return null;
  // A two-letter country code after a short second level ("co.uk", "com.au") moves the name left.
  const countrySecond = labels.length >= 3 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3;
  const name = labels.at(countrySecond ? -3 : -2)!;
  return name.length >= 3 ? name : null;
}
