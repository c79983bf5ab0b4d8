import type { Stakeholder, Statement } from '../../../insights/schema.js';
import type { Sentence } from '../../../text/sentences.js';
import type { OrgRules } from '../../../org-rules.js';
import type { DraftInsights } from '../../draft.js';
import { evidenceForSentence } from '../../../stages/signal-matcher.js';
import type { Side } from '../sides.js';
import type { Lexicon } from './lexicon.js';
import { extractLocaleBudget } from './locale-budget.js';
import { findLocaleMoney } from './locale-money.js';
import { addLocaleCompetitors } from './locale-competitors.js';
import { extractLocaleNextSteps, extractLocaleTimeline } from './locale-next-steps.js';

/**
 * A Spanish or Chinese conversation's draft: the English steps' draft (names in Latin letters,
 * the catalog's competitors, anything said in English) completed with what the language's lexicon
 * reads: the budget, the timeline, next steps, open competitors, and the statements the stage
 * signals refer to (pain, criteria, decision and paper process).
 */
export interface LocaleDraftInput {
  english: DraftInsights;
  sentences: Sentence[];
  sides: Map<string, Side>;
  lexicon: Lexicon;
  rules: OrgRules;
  meetingDate: string;
  /** Lower-cased names that are no competitors: people, our company, vendors used alongside us. */
  excluded: Set<string>;
  mentionsCompetitor: (s: Sentence) => boolean;
  /** The conversation's text, which the sentences point into. */
  text?: string;
}

function statements(
  sentences: Sentence[],
  re: RegExp,
  max: number,
  pred: (s: Sentence) => boolean = () => true,
): Statement[] {
  return sentences
    .filter((s) => !s.isQuestion && s.text.length >= 4 && re.test(s.text) && pred(s))
    .slice(0, max)
    .map((s) => ({ text: s.text, evidence: evidenceForSentence(s) }));
}

/** "孙律师" and "的孙律师" name one person: a Chinese run is read from its end, a Latin name by its first name too. */
export function nameResolver(stakeholders: Stakeholder[]) {
  return (label: string): string | null => {
    const lower = label.toLowerCase();
    const exact = stakeholders.find((p) => p.name.toLowerCase() === lower);
    if (exact) return exact.name;
    if (/\p{Script=Han}/u.test(label)) {
      for (let i = 0; i < label.length - 1; i++) {
        const tail = label.slice(i);
        const hit = stakeholders.find((p) => p.name === tail);
        if (hit) return hit.name;
      }
      return null;
    }
    const first = lower.split(' ')[0]!;
    return stakeholders.find((p) => p.name.toLowerCase().split(' ')[0] === first)?.name ?? null;
  };
}

/** Where the conversation says it is, the country whose pesos "pesos" are. */
const PESO_COUNTRIES: [RegExp, string][] = [
  [/(?<!\p{L})(?:colombia\w*|bogot[aá]|medell[ií]n|barranquilla)(?!\p{L})/iu, 'COP'],
  [/(?<!\p{L})(?:chile(?:n[oa]s?)?|santiago de chile|valpara[ií]so)(?!\p{L})/iu, 'CLP'],
  [/(?<!\p{L})(?:argentin\w*|buenos aires|c[oó]rdoba|rosario)(?!\p{L})/iu, 'ARS'],
];

/**
 * "Pesos" said alone are Mexican, unless the conversation places itself in Colombia, Chile or
 * Argentina (and never in Mexico).
 */
function pesosOf(sentences: Sentence[]): string {
  const said = sentences.map((s) => s.text).join('\n');
  if (/(?<!\p{L})(?:m[eé]xic\p{L}*|MXN)(?!\p{L})/iu.test(said)) return 'MXN';
  return PESO_COUNTRIES.find(([re]) => re.test(said))?.[1] ?? 'MXN';
}

export function localizeDraft(input: LocaleDraftInput): DraftInsights {
  const { english, sentences, sides, lexicon } = input;
  const stakeholders = english.stakeholders;
  const resolveName = nameResolver(stakeholders);
  const counterpartOf = (speaker: string | null): string | null => {
    const side = speaker ? sides.get(speaker) : undefined;
    if (!side) return null;
    const other = [...sides.entries()].find(([label, s]) => s !== side && label !== speaker);
    return other ? resolveName(other[0]) : null;
  };
  const isCustomer = (s: Sentence) => (s.speaker ? sides.get(s.speaker) !== 'seller' : true);

  // A bare amount in 万 is yuan: mainland Chinese says the currency only when it is another one.
  const currency = lexicon.language === 'zh' ? 'CNY' : input.rules.defaultCurrency;
  // The English reading stands only where the language's own reads no amount: "120 mil" is not 120 million.
  const englishBudget =
    english.budget && findLocaleMoney(english.budget.evidence.quote, lexicon.language).length === 0
      ? { budget: english.budget, confidence: english.confidence.budget ?? 0.5 }
      : null;
  const budget =
    extractLocaleBudget(sentences, lexicon, currency, input.mentionsCompetitor, {
      text: input.text,
      pesos: pesosOf(sentences),
    }) ?? englishBudget;
  const timeline = extractLocaleTimeline(sentences, lexicon, input.meetingDate);
  const localSteps = extractLocaleNextSteps({
    sentences,
    lexicon,
    meetingDate: input.meetingDate,
    resolveName,
    counterpartOf,
    priorityCutoffs: input.rules.nextStepPriority,
  });
  const nextSteps = [
    ...localSteps,
    ...english.nextSteps.filter((e) => !localSteps.some((l) => l.evidence.start === e.evidence.start)),
  ];
  const competitors = addLocaleCompetitors({
    sentences,
    lexicon,
    excluded: input.excluded,
    found: english.competitors,
  });
  const role = (r: Stakeholder['role']) =>
    stakeholders
      .filter((p) => p.role === r && p.affiliation === 'customer')
      .map((p) => ({ text: `${p.name}${p.title ? `, ${p.title}` : ''}`, evidence: p.evidence }));
  const m = english.meddpicc;
  const orEnglish = (mine: Statement[], theirs: Statement[]) => (mine.length > 0 ? mine : theirs);

  return {
    ...english,
    budget: budget?.budget ?? null,
    confidence: budget ? { ...english.confidence, budget: budget.confidence } : english.confidence,
    timeline: timeline.timeline ?? english.timeline,
    timelineIsDecision: timeline.timeline ? timeline.timelineIsDecision : english.timelineIsDecision,
    nextSteps: nextSteps.slice(0, 12),
    competitors,
    objections: orEnglish(statements(sentences, lexicon.objection, 8, isCustomer), english.objections),
    meddpicc: {
      ...m,
      identifiedPain: orEnglish(statements(sentences, lexicon.pain, 6, isCustomer), m.identifiedPain),
      decisionCriteria: orEnglish(statements(sentences, lexicon.criteria, 6), m.decisionCriteria),
      decisionProcess: orEnglish(statements(sentences, lexicon.decisionProcess, 5), m.decisionProcess),
      paperProcess: orEnglish(statements(sentences, lexicon.paperProcess, 5), m.paperProcess),
      economicBuyer: orEnglish(role('economic_buyer'), m.economicBuyer),
      champion: orEnglish(role('champion'), m.champion),
      competition: competitors.map((c) => ({ text: `${c.name}: ${c.context}`, evidence: c.evidence })),
    },
  };
}
