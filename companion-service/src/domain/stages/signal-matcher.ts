import type { Evidence } from '../insights/schema.js';
import { anySpanWithin, spanStartingAt } from '../text/span-index.js';
import type { Sentence, Token } from '../text/sentences.js';
import { tokenize } from '../text/sentences.js';
import { inInstructionBlock, isInstruction } from '../guards/instructions.js';
import type { PatternToken, SignalPattern, StageSignal } from './stage-rules.js';
import { vetoOf, type Veto } from './signal-vetoes.js';

/**
 * Matches the phrase patterns of stage signals against sentences. A match only counts when the
 * sentence states it: questions and text addressed to a machine are left out here; negations ("we
 * haven't signed"), conditions and, for closed stages, hypotheticals ("once the contract is signed")
 * are the vetoes of signal-vetoes.ts.
 */

const MAX_GAP = 3;
const REQUEST =
  /^(?:[\p{L}.' -]{1,40}:\s*)?(?:\w+,\s+)?(?:could|can|would) you (?:please )?(?:send|share|provide|put together|get us|prepare|discount|come down|lower|reduce|sharpen|revise|match|do better|redline|meet us)\b/iu;
/**
 * A question about how something that already happened went ("What did you think of the demo?",
 * "¿Qué les pareció la demo del lunes?") takes for granted that it happened.
 */
const LOOKS_BACK =
  /\b(?:what did (?:you|everyone|the team|your team|they) (?:think|make) of|how did (?:\S+ ){1,3}(?:go|land)\b|(?:any )?thoughts on|qu[ée] (?:les|te|le|os) (?:pareci[óo]|gust[óo])|c[óo]mo (?:les|te|le|os) (?:fue|result[óo]))/i;

export interface CompetitorMention {
  name: string;
  start: number;
  end: number;
}

export interface SignalHit {
  signal: string;
  evidence: Evidence;
  speaker: string | null;
  /**
   * Only one-word patterns ("pilot", "discount") stated it, in sentences without a verb of a step
   * taken ("start", "sent"): a word can be said in passing, so the
   * suggestion counts how many sentences say it (`statedAt`) before it alone moves a deal. A phrase
   * ("sent the proposal") or an extracted fact (@budget) is not weak.
   */
  weak: boolean;
  /**
   * Where the sentences (or extracted facts) stating one of the signal's patterns start: for a weak
   * hit all of them; a hit that is not weak stops at its first, since one plain statement is enough.
   */
  statedAt: number[];
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
  /** The sentence after it, where "can we move it to Monday?" follows a cancellation. */
  next: string;
}

export function prepareSentences(
  sentences: Sentence[],
  competitorMentions: CompetitorMention[],
  /** The conversation's text, so a sentence inside an injected block is excluded with the block. */
  text?: string,
): PreparedSentence[] {
  return sentences.map((sentence, i) => {
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
      next: sentences[i + 1]?.text ?? '',
      // A question is no evidence, except a request for something that moves the deal ("Could you send a quote?",
      // "Can you discount it?") or one that looks back on a step taken.
      excluded:
        (sentence.isQuestion && !REQUEST.test(sentence.text) && !LOOKS_BACK.test(sentence.text)) ||
        isInstruction(sentence.text) ||
        (text !== undefined && inInstructionBlock(text, sentence.start, sentence.end)),
    };
  });
}

function tokenMatches(pattern: PatternToken, token: Token): boolean {
  if (pattern.kind === 'word')
    return token.text === pattern.text || stripPossessive(token.text) === pattern.text;
  if (pattern.kind === 'prefix') return token.text.startsWith(pattern.text);
  if (pattern.kind === 'ending')
    return token.text.length > pattern.text.length && token.text.endsWith(pattern.text);
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

/**
 * How a sentence answers a phrase: it states it (with the evidence and the tokens the phrase spans,
 * its first and the one after its last), or a veto stopped it.
 */
export type PhraseJudgement = { evidence: Evidence; at: { start: number; end: number } } | { veto: Veto };

/**
 * The first place the sentence states the phrase; when every place it appears is vetoed, the veto of
 * the first; null when the phrase is not there.
 */
export function judgePhrase(
  prepared: PreparedSentence,
  pattern: PatternToken[],
  options: MatchOptions,
): PhraseJudgement | null {
  const { tokens } = prepared;
  for (const t of pattern) if (t.kind === 'word' && !prepared.words.has(t.text)) return null;
  let stopped: Veto | undefined;
  for (let start = 0; start < tokens.length; start++) {
    const gapWords: Token[] = [];
    const end = matchAt(tokens, start, pattern, 0, options.competitorMentions, gapWords);
    if (end < 0 || end === start) continue;
    const veto = vetoOf({
      ...prepared,
      start,
      end,
      gapWords,
      pattern,
      factualOnly: options.factualOnly,
      regression: options.regression ?? false,
      competitorMentions: options.competitorMentions,
    });
    if (!veto) return { evidence: evidenceForSentence(prepared.sentence), at: { start, end } };
    stopped ??= veto;
  }
  return stopped ? { veto: stopped } : null;
}

/**
 * Sentences holding every literal word of a pattern could state it: the ones holding its rarest, from
 * an index built once per conversation ("with legal" looks only where "legal" is said).
 */
const wordIndex = new WeakMap<PreparedSentence[], Map<string, PreparedSentence[]>>();
function candidatesFor(prepared: PreparedSentence[], pattern: PatternToken[]): PreparedSentence[] {
  const words = pattern.flatMap((t) => (t.kind === 'word' ? [t.text] : []));
  if (words.length === 0) return prepared;
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
  let rarest: PreparedSentence[] | undefined;
  for (const word of words) {
    const list = index.get(word) ?? [];
    if (!rarest || list.length < rarest.length) rarest = list;
  }
  return rarest!;
}

/** The whole sentence is the quote: a rep reads the claim, not the three words that matched. */
export function evidenceForSentence(sentence: Sentence): Evidence {
  return { quote: sentence.text, start: sentence.start, end: sentence.end };
}

/**
 * Verbs of a step taken or planned ("we'd like to start a pilot", "they sent the questionnaire"): a
 * one-word signal with one beside it is not said in passing.
 */
const DEAL_ACTION =
  /\b(?:start\w*|run|runs|running|ran|begin\w*|began|kick(?:ed|ing|s)? off|launch\w*|set(?:ting)? up|agree[ds]?|approv\w*|schedul\w*|book\w*|doing|complet\w*|finish\w*|under ?way|mov(?:e|ed|ing) ahead|proceed\w*|submit\w*|receiv\w*|attach\w*|sen[dt]|sending|return\w*|fill\w* (?:in|out)|signed off|wrap\w* up|passed|extend\w*|offer\w*|ask\w* for|request\w*|go(?:ing)? through|work\w* through)\b/i;

/**
 * How many words either side of a one-word signal a verb of a step taken may stand: "we'd like to
 * run a pilot", "the trial was extended"; not "Tom runs the plant, so loop him in on the pilot scope".
 */
const ACTION_REACH = 4;

function actionBeside(ps: PreparedSentence, at: { start: number; end: number }): boolean {
  const { tokens, sentence } = ps;
  const from = tokens[Math.max(0, at.start - ACTION_REACH)]!.start - sentence.start;
  const to = tokens[Math.min(tokens.length, at.end + ACTION_REACH) - 1]!.end - sentence.start;
  return DEAL_ACTION.test(sentence.text.slice(from, to));
}

/** Whether the pattern is a single word or word prefix: said in passing as often as meant. */
export function isOneWord(pattern: PatternToken[]): boolean {
  return pattern.filter((t) => t.kind !== 'gap').length === 1 && pattern[0]!.kind !== 'competitor';
}

/** The sentences stating a phrase pattern, in conversation order, up to the first that is not weak. */
function sentencesStating(
  prepared: PreparedSentence[],
  pattern: PatternToken[],
  options: MatchOptions,
): { evidence: Evidence; speaker: string | null; weak: boolean }[] {
  const oneWord = isOneWord(pattern);
  const found: { evidence: Evidence; speaker: string | null; weak: boolean }[] = [];
  for (const ps of candidatesFor(prepared, pattern)) {
    if (ps.excluded) continue;
    const judged = judgePhrase(ps, pattern, options);
    if (judged && 'evidence' in judged) {
      const weak = oneWord && !actionBeside(ps, judged.at);
      found.push({ evidence: judged.evidence, speaker: ps.sentence.speaker, weak });
      // One sentence that states it plainly is the evidence; counting goes on only for weak ones.
      if (!weak) break;
    }
  }
  return found;
}

/**
 * One hit per signal the conversation states: the first pattern that holds, preferring an extracted
 * fact or a phrase to a one-word pattern, with how many sentences state any of its patterns.
 */
function hitFor(
  signal: StageSignal,
  prepared: PreparedSentence[],
  insightEvidence: (pattern: Extract<SignalPattern, { kind: 'insight' }>) => Evidence | null,
  options: MatchOptions,
): SignalHit | null {
  let strong: SignalHit | null = null;
  let weak: SignalHit | null = null;
  const sentences = new Set<number>();
  for (const pattern of signal.patterns) {
    if (strong) break;
    if (pattern.kind === 'insight') {
      const evidence = insightEvidence(pattern);
      if (evidence) {
        sentences.add(evidence.start);
        strong ??= { signal: signal.label, evidence, speaker: null, weak: false, statedAt: [] };
      }
      continue;
    }
    const stated = sentencesStating(prepared, pattern.tokens, options);
    for (const s of stated) sentences.add(s.evidence.start);
    const first = stated.find((s) => !s.weak) ?? stated[0];
    if (!first) continue;
    const hit = { signal: signal.label, ...first, statedAt: [] };
    if (hit.weak) weak ??= hit;
    else strong ??= hit;
  }
  const hit = strong ?? weak;
  return hit && { ...hit, statedAt: [...sentences] };
}

export function matchSignals(
  signals: StageSignal[],
  prepared: PreparedSentence[],
  insightEvidence: (pattern: Extract<SignalPattern, { kind: 'insight' }>) => Evidence | null,
  options: MatchOptions,
): SignalHit[] {
  return signals
    .map((signal) => hitFor(signal, prepared, insightEvidence, options))
    .filter((hit): hit is SignalHit => hit !== null);
}
