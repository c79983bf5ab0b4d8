import type { Evidence } from '../insights/schema.js';
import { anySpanBetween, anySpanWithin, spanStartingAt } from '../text/span-index.js';
import type { Sentence, Token } from '../text/sentences.js';
import { tokenize } from '../text/sentences.js';
import { inInstructionBlock, isInstruction } from '../guards/instructions.js';
import type { PatternToken, SignalPattern, StageSignal } from './stage-rules.js';

/**
 * Matches the phrase patterns of stage signals against sentences. A match only counts when the
 * sentence states it: questions, negations ("we haven't signed"), and text addressed to a machine do
 * not; for closed stages neither do hypotheticals ("once the contract is signed").
 */

const MAX_GAP = 3;
const REQUEST =
  /^(?:\w+,\s+)?(?:could|can|would) you (?:please )?(?:send|share|provide|put together|get us|prepare)\b/i;
const NEGATORS = new Set([
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
const HYPOTHETICAL_BEFORE = new Set([
  'will',
  "'ll",
  'would',
  'should',
  'could',
  'can',
  'may',
  'might',
  'must',
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
  'pause',
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
const PAST_TIME =
  /\b(?:last (?:january|february|march|april|may|june|july|august|september|october|november|december|year|spring|summer|autumn|fall|winter)|years? ago|back in (?:20\d\d|january|february|march|april|may|june|july|august|september|october|november|december)|in 20\d\d)\b/i;
const DEAL_WORDS =
  /\b(?:deal|project|purchase|evaluation|decision|budget|spend|spending|initiative|rollout|contract|proposal|pilot|program|programme|process|this|it|everything|us|you|your|renewal|order|po|signature|meeting|call|demo)\b/i;
function aboutTheDeal(sentence: string): boolean {
  return DEAL_WORDS.test(sentence);
}
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
const HYPOTHETICAL_INSIDE = new Set([
  'gets',
  'get',
  'will',
  'would',
  'should',
  'could',
  'can',
  'may',
  'might',
  'must',
  'need',
  'needs',
  'to',
  'going',
]);
const WINDOW = 4;
/** What follows "signed by" when it is a deadline rather than a signatory. */
const DEADLINE =
  /^(?:\d|(?:the|end|next|this|eod|eow|eom|eoq|eoy|tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday|q[1-4])$|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$)/;
/** Hypotheticals reach further back: "we would like to have the contract signed". */
const FACT_WINDOW = 7;

export interface CompetitorMention {
  name: string;
  start: number;
  end: number;
}

export interface SignalHit {
  signal: string;
  evidence: Evidence;
  speaker: string | null;
}

export interface MatchOptions {
  /** Closed stages need a stated fact: hypotheticals and plans do not count. */
  factualOnly: boolean;
  /** Backward signals: a regression said to be over ("the freeze was lifted") does not count. */
  regression?: boolean;
  competitorMentions: CompetitorMention[];
}

interface PreparedSentence {
  sentence: Sentence;
  tokens: Token[];
  /** Every word and its possessive-free form: a pattern whose words are not all here cannot match. */
  words: Set<string>;
  hasCompetitor: boolean;
  excluded: boolean;
}

export function prepareSentences(
  sentences: Sentence[],
  competitorMentions: CompetitorMention[],
  /** The conversation's text, so a sentence inside an injected block is excluded with the block. */
  text?: string,
): PreparedSentence[] {
  return sentences.map((sentence) => {
    const tokens = tokenize(sentence);
    const words = new Set<string>();
    for (const t of tokens) {
      words.add(t.text);
      words.add(stripPossessive(t.text));
    }
    return {
      sentence,
      tokens,
      words,
      hasCompetitor: anySpanWithin(competitorMentions, sentence.start, sentence.end),
      // A question is no evidence, except a request for something that moves the deal ("Could you send a quote?").
      excluded:
        (sentence.isQuestion && !REQUEST.test(sentence.text)) ||
        isInstruction(sentence.text) ||
        (text !== undefined && inInstructionBlock(text, sentence.start, sentence.end)),
    };
  });
}

function tokenMatches(pattern: PatternToken, token: Token): boolean {
  if (pattern.kind === 'word')
    return token.text === pattern.text || stripPossessive(token.text) === pattern.text;
  if (pattern.kind === 'prefix') return token.text.startsWith(pattern.text);
  return false;
}

function stripPossessive(word: string): string {
  return word.endsWith("'s") ? word.slice(0, -2) : word;
}

/** Tries to match the pattern at token index i; returns the index after the match, or -1. */
function matchAt(
  tokens: Token[],
  i: number,
  pattern: PatternToken[],
  p: number,
  competitors: CompetitorMention[],
  gapWords: Token[],
): number {
  if (p === pattern.length) return i;
  const pt = pattern[p]!;
  if (pt.kind === 'gap') {
    for (let skip = 0; skip <= MAX_GAP && i + skip <= tokens.length; skip++) {
      const end = matchAt(tokens, i + skip, pattern, p + 1, competitors, gapWords);
      if (end >= 0) {
        gapWords.push(...tokens.slice(i, i + skip));
        return end;
      }
    }
    return -1;
  }
  if (i >= tokens.length) return -1;
  if (pt.kind === 'competitor') {
    const token = tokens[i]!;
    const mention = spanStartingAt(competitors, token.start);
    if (!mention) return -1;
    let j = i;
    while (j < tokens.length && tokens[j]!.end <= mention.end) j++;
    return matchAt(tokens, j, pattern, p + 1, competitors, gapWords);
  }
  return tokenMatches(pt, tokens[i]!) ? matchAt(tokens, i + 1, pattern, p + 1, competitors, gapWords) : -1;
}

function competitorNear(mentions: CompetitorMention[], start: number, end: number): boolean {
  return anySpanBetween(mentions, start - 60, end + 60);
}

function precededBy(prepared: PreparedSentence, index: number, words: Set<string>, window = WINDOW): boolean {
  const { tokens, sentence } = prepared;
  for (let k = Math.max(0, index - window); k < index; k++) {
    const t = tokens[k]!.text;
    // "No worries, we signed": an interjection, not a negation.
    const rest = sentence.text.slice(tokens[k]!.end - sentence.start);
    if (t === 'no' && /^(?:[,!]|\s+(?:worries|problem|doubt)\b)/.test(rest)) continue;
    if (words.has(t) || (words === NEGATORS && t.endsWith("n't"))) return true;
    if (words === HYPOTHETICAL_BEFORE && t.endsWith("'ll")) return true;
  }
  return false;
}

function matchPhrase(
  prepared: PreparedSentence,
  pattern: PatternToken[],
  options: MatchOptions,
): Evidence | null {
  const { tokens } = prepared;
  for (const t of pattern) if (t.kind === 'word' && !prepared.words.has(t.text)) return null;
  const usesCompetitor = pattern.some((t) => t.kind === 'competitor');
  for (let i = 0; i < tokens.length; i++) {
    const gapWords: Token[] = [];
    const end = matchAt(tokens, i, pattern, 0, options.competitorMentions, gapWords);
    if (end < 0 || end === i) continue;
    const patternHasNegator = pattern.some(
      (t) => t.kind === 'word' && (NEGATORS.has(t.text) || t.text.endsWith("n't")),
    );
    if (!patternHasNegator && precededBy(prepared, i, NEGATORS)) continue;
    if (gapWords.some((w) => NEGATORS.has(w.text))) continue;
    if (options.regression && tokens.slice(end, end + 4).some((t) => REVERSED.has(t.text))) continue;
    // "Line 3 was on hold for six hours last October", "we shelved the cooking show": a pause is a
    // regression only when it is about this deal, and only when it is news.
    if (options.regression && GENERIC_PAUSE.has(tokens[i]!.text) && !aboutTheDeal(prepared.sentence.text))
      continue;
    if (options.regression && PAST_TIME.test(prepared.sentence.text)) continue;
    // "We'll talk about a discount once the trial is done", "before we talk about a proposal": plans.
    if (!options.factualOnly && !options.regression && precededBy(prepared, i, CONDITIONAL, FACT_WINDOW))
      continue;
    if (!options.factualOnly && !options.regression && /\bnot (?:now|yet)\b/i.test(prepared.sentence.text))
      continue;
    // What a competitor did ("Clari sent us a quote") is not our deal's progress; only patterns that
    // name the competitor may match near one. Near, because a dictated memo is one long sentence.
    if (
      !usesCompetitor &&
      prepared.hasCompetitor &&
      competitorNear(options.competitorMentions, tokens[i]!.start, tokens[end - 1]!.end)
    )
      continue;
    if (options.factualOnly) {
      if (precededBy(prepared, i, HYPOTHETICAL_BEFORE, FACT_WINDOW)) continue;
      if (gapWords.some((w) => HYPOTHETICAL_INSIDE.has(w.text))) continue;
      // "signed next week" is a plan; "went with Gong three years ago" is history, not this deal.
      const after = tokens.slice(end, end + 4).map((t) => t.text);
      if (after.some((w) => FUTURE_OR_PAST.has(w))) continue;
      // "the contract signed by 31 March" is a deadline, not news.
      if (tokens[end]?.text === 'by' && DEADLINE.test(tokens[end + 1]?.text ?? '')) continue;
    }
    return evidenceForSentence(prepared.sentence);
  }
  return null;
}

/** Sentences holding a pattern's first literal word, from an index built once per conversation. */
const wordIndex = new WeakMap<PreparedSentence[], Map<string, PreparedSentence[]>>();
function candidatesFor(prepared: PreparedSentence[], pattern: PatternToken[]): PreparedSentence[] {
  const first = pattern.find((t) => t.kind === 'word');
  if (!first || first.kind !== 'word') return prepared;
  let index = wordIndex.get(prepared);
  if (!index) {
    index = new Map();
    for (const ps of prepared) {
      for (const word of ps.words) {
        const list = index.get(word);
        if (list) list.push(ps);
        else index.set(word, [ps]);
      }
    }
    wordIndex.set(prepared, index);
  }
  return index.get(first.text) ?? [];
}

/** The whole sentence is the quote: a rep reads the claim, not the three words that matched. */
export function evidenceForSentence(sentence: Sentence): Evidence {
  return { quote: sentence.text, start: sentence.start, end: sentence.end };
}

export function matchSignals(
  signals: StageSignal[],
  prepared: PreparedSentence[],
  insightEvidence: (pattern: Extract<SignalPattern, { kind: 'insight' }>) => Evidence | null,
  options: MatchOptions,
): SignalHit[] {
  const hits: SignalHit[] = [];
  for (const signal of signals) {
    let hit: SignalHit | null = null;
    for (const pattern of signal.patterns) {
      if (pattern.kind === 'insight') {
        const evidence = insightEvidence(pattern);
        if (evidence) hit = { signal: signal.label, evidence, speaker: null };
      } else {
        for (const ps of candidatesFor(prepared, pattern.tokens)) {
          if (ps.excluded) continue;
          const evidence = matchPhrase(ps, pattern.tokens, options);
          if (evidence) {
            hit = { signal: signal.label, evidence, speaker: ps.sentence.speaker };
            break;
          }
        }
      }
      if (hit) break;
    }
    if (hit) hits.push(hit);
  }
  return hits;
}
