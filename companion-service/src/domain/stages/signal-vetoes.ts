import type { Sentence, Token } from '../text/sentences.js';
import type { PatternToken } from './stage-rules.js';
import { anySpanBetween } from '../text/span-index.js';
import { LOCALE_HYPOTHETICALS, LOCALE_NEGATORS } from '../extraction/embedded/locales/locales.js';

/**
 * What stops a phrase found in a sentence from counting as a signal, one named veto each with its
 * reason, tried in order. A match only counts when the sentence states it: not negated, not a plan
 * or a condition, not about a competitor's deal; for closed stages not a hypothetical; for backward
 * signals not a setback already undone or long past.
 */

const NEGATORS = new Set([
  ...LOCALE_NEGATORS,
  'not',
  "n't",
  'no',
  'never',
  'without',
  "haven't",
  "hasn't",
  "hadn't",
  "didn't",
  "don't",
  "doesn't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "won't",
  "wouldn't",
  "can't",
  'cannot',
  "couldn't",
  'yet',
  'nothing',
  'neither',
  'nor',
]);
/** The modal verbs: what will, could or must happen has not happened. */
const MODALS = ['will', 'would', 'should', 'could', 'can', 'may', 'might', 'must'];

const HYPOTHETICAL_BEFORE = new Set([
  ...LOCALE_HYPOTHETICALS,
  ...MODALS,
  "'ll",
  'if',
  'once',
  'when',
  'unless',
  'maybe',
  'perhaps',
  'consider',
  'considering',
  'thinking',
  'before',
  'until',
  'hope',
  'hoping',
  'expect',
  'expecting',
  'plan',
  'planning',
  'want',
  'wants',
  'whether',
  'soon',
  'about',
  'ready',
  'need',
  'needs',
]);
const GENERIC_PAUSE = new Set([
  'on',
  'put',
  'paused',
  'pausing',
  'pause',
  'holding',
  'hold',
  'shelved',
  'pulled',
  'deprioritized',
  'de-prioritized',
  'cancel',
  'cancelled',
  'canceled',
  'postponed',
]);
const CONDITIONAL = new Set(['once', 'if', 'before', 'unless', 'until', 'whether']);
/**
 * "We'd accept your proposal if you can discount the onboarding fee": a condition put to us is a
 * request, the negotiation itself, not a plan that waits on something.
 */
const ASKS_US = /\bif you (?:can|could|would|'d|will|'ll)\s+(?:\S+\s+){0,3}$/i;
/** A cancelled meeting or project given a new date was moved, not stopped. */
const RESCHEDULED =
  /\b(?:reschedul\w*|moved? (?:it|the \w+) to|push(?:ed)? (?:it|the \w+) to|instead|new (?:time|date) (?:is|of|on)|(?:new|another) slot|reprogram\w*|(?:la|lo) (?:movemos|movimos|pasamos) (?:al|a)|nueva fecha (?:es|el|será))\b/i;
const CANCELS = /^(?:cancel|postpon|meeting|call)/;
/** Words that make what follows a possibility rather than a plan: "maybe we'd run a pilot". */
const SPECULATIVE = new Set([
  'might',
  'maybe',
  'perhaps',
  'possibly',
  'potentially',
  'hypothetically',
  'theoretically',
  'suppose',
  'supposing',
  'imagine',
  'someday',
  'eventually',
]);
/**
 * How things go in general, not what happened on this deal: "usually legal reviews the contract
 * before anyone signs", "we typically run a pilot".
 */
const HABITUAL = new Set([
  'usually',
  'typically',
  'normally',
  'generally',
  'ordinarily',
  'traditionally',
  'always',
  'often',
  'sometimes',
  'tend',
  'tends',
]);
/**
 * Progress put off: "we want to defer the proof of concept", "we're putting off the pilot", "the
 * security review is pushed to next year". For a setback these are the news (Project postponed);
 * for progress they say the step is not being taken.
 */
const PUT_OFF_BEFORE =
  /\b(?:defer\w*|postpon\w*|put(?:ting)? off|push(?:ed|ing)? back|hold(?:ing)? off on|held off on|park(?:ed|ing)?|shelv\w*|delay(?:ed|ing)?|skip(?:ped|ping)?|drop(?:ped|ping)?|cancel\w*|scrap\w*|not doing|no need for|rule[ds]? out|ruled out|without)\s+(?:\S+\s+){0,3}$/i;
const PUT_OFF_AFTER =
  /^\s*(?:\S+\s+){0,3}?(?:is |was |got |has been |have been |been )?(?:deferred|postponed|put off|pushed (?:back|out|to)|on hold|shelved|parked|delayed|cancell?ed|scrapped|dropped|off the table)\b/i;
/** The same, said after the phrase: "a pilot at some point", "a discount down the road". */
const SOMEDAY =
  /^\s*(?:\S+\s+){0,3}?(?:at some point|down the road|some day|someday|one day|eventually|in theory|in the future)\b/i;
const PAST_TIME =
  /\b(?:last (?:january|february|march|april|may|june|july|august|september|october|november|december|year|spring|summer|autumn|fall|winter)|years? ago|back in (?:20\d\d|january|february|march|april|may|june|july|august|september|october|november|december)|in 20\d\d)\b/i;
const DEAL_WORDS =
  /\b(?:deal|project|projects|purchase|purchases|purchasing|buying|evaluation|decision|budget|spend|spending|initiative|initiatives|investment|investments|software|tool|tools|tooling|vendor|vendors|all new|rollout|contract|proposal|pilot|program|programme|process|this|it|everything|us|you|your|renewal|order|po|signature|meeting|call|demo)\b/i;
function aboutTheDeal(sentence: string): boolean {
  return DEAL_WORDS.test(sentence);
}
/** "we went with Acme last time": the previous purchase, not this deal's outcome. */
const LAST_TIME = /\b(?:last|the previous|the first) (?:time|round|cycle)\b/i;
const FUTURE_OR_PAST = new Set([
  'next',
  'tomorrow',
  'later',
  'soon',
  'upcoming',
  'ago',
  'previously',
  'formerly',
  'before',
]);
/** What undoes a regression signal said just after it: "the budget freeze was lifted". */
const REVERSED = new Set([
  'lifted',
  'ended',
  'over',
  'resolved',
  'removed',
  'reversed',
  'unfrozen',
  'behind',
]);
/** After a signature: the other party is not us ("with you") but someone else. */
const WITH_ANOTHER =
  /^\s*with (?:them|another|someone|somebody|the other|a different|a competitor|their (?:new |current |existing )?(?:vendor|supplier|provider|partner))\b/i;
/** After "not moving forward", "decided against": what follows is the customer's old way, not us. */
const OLD_THING = /^\s*with (?:the|our|their) (?:old|current|existing|legacy|previous|manual)\b/i;
const HYPOTHETICAL_INSIDE = new Set(['gets', 'get', ...MODALS, 'need', 'needs', 'to', 'going']);
const WINDOW = 4;
/** What follows "signed by" when it is a deadline rather than a signatory. */
const DEADLINE =
  /^(?:\d|(?:the|end|next|this|eod|eow|eom|eoq|eoy|tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday|q[1-4])$|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$)/;
/** Hypotheticals reach further back: "we would like to have the contract signed". */
const FACT_WINDOW = 7;

/** A phrase of a signal's pattern found in a sentence, and what the matcher was asked for. */
export interface PhraseMatch {
  sentence: Sentence;
  tokens: Token[];
  /** The phrase's first token and the one after its last. */
  start: number;
  end: number;
  /** The words the pattern's gaps skipped. */
  gapWords: Token[];
  pattern: PatternToken[];
  /** Closed stages need a stated fact: hypotheticals and plans do not count. */
  factualOnly: boolean;
  /** A backward signal (a setback), rather than progress. */
  regression: boolean;
  /** Where competitors are named in the conversation. */
  competitorMentions: { start: number; end: number }[];
  /** Whether a competitor is named within this sentence. */
  hasCompetitor: boolean;
  /** The next sentence's text. */
  next: string;
}

export interface Veto {
  name: string;
  /** Why a phrase it applies to is no evidence. */
  reason: string;
  applies: (m: PhraseMatch) => boolean;
}

function precededBy(m: PhraseMatch, words: Set<string>, window = WINDOW): boolean {
  const { tokens, sentence } = m;
  for (let k = Math.max(0, m.start - window); k < m.start; k++) {
    const t = tokens[k]!.text;
    // "No worries, we signed": an interjection, not a negation.
    const rest = sentence.text.slice(tokens[k]!.end - sentence.start);
    if (t === 'no' && /^(?:[,!]|\s+(?:worries|problem|doubt)\b)/.test(rest)) continue;
    if (words.has(t) || (words === NEGATORS && t.endsWith("n't"))) return true;
    if (words === HYPOTHETICAL_BEFORE && t.endsWith("'ll")) return true;
  }
  return false;
}

/** The sentence's text before the phrase. */
function textBefore(m: PhraseMatch): string {
  return m.sentence.text.slice(0, m.tokens[m.start]!.start - m.sentence.start);
}

/** The sentence's text after the phrase. */
function textAfter(m: PhraseMatch): string {
  return m.sentence.text.slice(m.tokens[m.end - 1]!.end - m.sentence.start);
}

/** "not discussed", "isn't needed", "has not been scheduled", "was never raised", "no longer on the table". */
const NEGATED_AFTER =
  /^\s*(?:(?:is|was|are|were|has|have|had|has been|have been|had been|will be|would be)\s+)?(?:not|never|no longer|not yet)\b|^\s*(?:isn't|wasn't|aren't|weren't|hasn't|haven't|hadn't|won't|wouldn't)\b/i;
const negates = (t: PatternToken) => t.kind === 'word' && (NEGATORS.has(t.text) || t.text.endsWith("n't"));
const wordsAfter = (m: PhraseMatch, n: number) => m.tokens.slice(m.end, m.end + n).map((t) => t.text);
/** Open stages take plans ("will be signed next week"), but not conditions or refusals. */
const forOpenStages = (m: PhraseMatch) => !m.factualOnly && !m.regression;

/**
 * A competitor said before the phrase (its subject: "Clari is running a pilot") or just after it as
 * its party ("a pilot with Clari", "the quote from Clari"). One named later in another role ("live
 * before the Zendesk contract ends") leaves the phrase ours.
 */
const PARTY_AFTER = /^\s*(?:\S+\s+){0,2}?(?:with|from|by|of|for|to|at)\s+(?:the\s+)?$/i;
function nearCompetitor(m: PhraseMatch): boolean {
  const start = m.tokens[m.start]!.start;
  const end = m.tokens[m.end - 1]!.end;
  if (anySpanBetween(m.competitorMentions, start - 60, end)) return true;
  const after = m.competitorMentions.find((c) => c.start >= end && c.start <= end + 30);
  return (
    after !== undefined &&
    PARTY_AFTER.test(m.sentence.text.slice(end - m.sentence.start, after.start - m.sentence.start))
  );
}

export const VETOES: readonly Veto[] = [
  {
    name: 'negated',
    reason: '"we haven\'t signed": a negation just before the phrase, unless the pattern is itself negative',
    applies: (m) => !m.pattern.some(negates) && precededBy(m, NEGATORS),
  },
  {
    // Notes put the verdict after the thing: "Discount not discussed.", "pilot isn't needed",
    // "security review never started". Only the words right after the phrase, so "sent the proposal,
    // not the contract" keeps its proposal.
    name: 'negated after',
    reason: '"discount not discussed": a negation right after the phrase says it did not happen',
    applies: (m) =>
      !m.pattern.some(negates) &&
      NEGATED_AFTER.test(textAfter(m)) &&
      // "The freeze is not lifted" keeps the setback.
      !(m.regression && wordsAfter(m, 4).some((w) => REVERSED.has(w))),
  },
  {
    name: 'negated within',
    reason: '"signed no contract": a negation among the words a gap skipped',
    applies: (m) => m.gapWords.some((w) => NEGATORS.has(w.text)),
  },
  {
    name: 'setback undone',
    reason: '"the budget freeze was lifted": a setback said to be over',
    applies: (m) => m.regression && wordsAfter(m, 4).some((w) => REVERSED.has(w)),
  },
  {
    name: 'moved, not cancelled',
    reason:
      '"we cancelled Thursday\'s call; can we move it to Monday?": a new date, in the sentence or the next, keeps the deal where it is',
    applies: (m) =>
      m.regression &&
      m.pattern.some((t) => (t.kind === 'word' || t.kind === 'prefix') && CANCELS.test(t.text)) &&
      RESCHEDULED.test(`${m.sentence.text} ${m.next}`) &&
      !/\b(?:no new date|not (?:been )?rescheduled)\b/i.test(m.sentence.text),
  },
  {
    // "Line 3 was on hold for six hours last October", "we shelved the cooking show".
    name: 'pause of something else',
    reason: 'a pause is a setback only when it is about this deal',
    applies: (m) =>
      m.regression && GENERIC_PAUSE.has(m.tokens[m.start]!.text) && !aboutTheDeal(m.sentence.text),
  },
  {
    name: 'old setback',
    reason: '"frozen back in 2022": a setback is one only when it is news',
    applies: (m) => m.regression && PAST_TIME.test(m.sentence.text),
  },
  {
    // "We'll talk about a discount once the trial is done", "before we talk about a proposal".
    name: 'condition',
    reason: 'a plan that waits on a condition is not progress yet',
    applies: (m) =>
      forOpenStages(m) && precededBy(m, CONDITIONAL, FACT_WINDOW) && !ASKS_US.test(textBefore(m)),
  },
  {
    name: 'not now',
    reason: '"not now", "not yet": the sentence puts it off',
    applies: (m) => forOpenStages(m) && /\bnot (?:now|yet)\b/i.test(m.sentence.text),
  },
  {
    name: 'habitual',
    reason: '"usually legal reviews the contract first": how things go in general is not this deal\'s news',
    applies: (m) => precededBy(m, HABITUAL, FACT_WINDOW),
  },
  {
    name: 'put off',
    reason: '"we want to defer the proof of concept": a step put off is not taken, so it is no progress',
    applies: (m) =>
      forOpenStages(m) && (PUT_OFF_BEFORE.test(textBefore(m)) || PUT_OFF_AFTER.test(textAfter(m))),
  },
  {
    // "Maybe down the line we'd look at a pilot", "we might need a discount at some point".
    name: 'speculation',
    reason: '"maybe we\'d run a pilot at some point": a possibility is not progress, nor a setback',
    applies: (m) => !m.factualOnly && (precededBy(m, SPECULATIVE, FACT_WINDOW) || SOMEDAY.test(textAfter(m))),
  },
  {
    // Near, because a dictated memo is one long sentence.
    name: "competitor's deal",
    reason: '"Clari sent us a quote": what a competitor did is not our deal\'s progress',
    applies: (m) => !m.pattern.some((t) => t.kind === 'competitor') && m.hasCompetitor && nearCompetitor(m),
  },
  {
    // "They went with Agiloft. It's final, the contract's signed with them."
    name: 'signed with someone else',
    reason: '"the contract\'s signed with them": a signature with another party is not our deal won',
    applies: (m) =>
      m.factualOnly && !m.pattern.some((t) => t.kind === 'competitor') && WITH_ANOTHER.test(textAfter(m)),
  },
  {
    name: 'dropping something old',
    reason: '"not moving forward with the old spreadsheet process": what the customer stops is not this deal',
    applies: (m) => m.factualOnly && OLD_THING.test(textAfter(m)),
  },
  {
    name: 'hypothetical',
    reason: '"we would like to have the contract signed": closed stages need a stated fact',
    applies: (m) => m.factualOnly && precededBy(m, HYPOTHETICAL_BEFORE, FACT_WINDOW),
  },
  {
    name: 'hypothetical within',
    reason: '"the contract will be signed": a plan inside the phrase, not a fact',
    applies: (m) => m.factualOnly && m.gapWords.some((w) => HYPOTHETICAL_INSIDE.has(w.text)),
  },
  {
    name: 'future or history',
    reason: '"signed next week" is a plan; "went with Gong three years ago" is history, not this deal',
    applies: (m) =>
      m.factualOnly &&
      (wordsAfter(m, 4).some((w) => FUTURE_OR_PAST.has(w)) || LAST_TIME.test(wordsAfter(m, 4).join(' '))),
  },
  {
    name: 'deadline',
    reason: '"the contract signed by 31 March" is a deadline, not news',
    applies: (m) =>
      m.factualOnly && m.tokens[m.end]?.text === 'by' && DEADLINE.test(m.tokens[m.end + 1]?.text ?? ''),
  },
];

/** The first veto that stops the phrase, or undefined when it counts. */
export function vetoOf(m: PhraseMatch): Veto | undefined {
  return VETOES.find((veto) => veto.applies(m));
}
