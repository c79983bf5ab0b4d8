import type { Evidence } from '../../../insights/schema.js';
import type { Sentence } from '../../../text/sentences.js';
import { evidenceForSentence } from '../../../stages/signal-matcher.js';
import type { BudgetResult } from '../budget.js';
import type { Lexicon } from './lexicon.js';
import { findLocaleMoney, findLocaleRanges, saysPesos, type LocaleMoney } from './locale-money.js';
import { ConversationCurrency } from '../money.js';
import { clauseBreaks, firstAtLeast, type ClauseBreaks } from '../../../text/clause-breaks.js';

/**
 * The budget in a Spanish or Chinese conversation: every amount found, scored by the words of its
 * own clause (and, less, of its sentence) in the language's lexicon: a budget approved or set aside
 * pulls up; a rival's quote, our own price, a signing threshold or revenue pushes down. A range
 * ("30万到40万", "entre 30 y 40 mil") is its ceiling, with both ends kept.
 */

// A dictated memo runs its claims together with "y que", "además": each starts a clause of its own.
const CLAUSE_BREAK =
  /[,;:，；：、]|\s[-–—]\s|\b(?:pero|aunque|mientras|y que|además|también)\b|(?:但是|不过|但|而)/gu;

/**
 * The clause around an amount, from the breaks found once per sentence, and never more than a few
 * words either side: a sentence without punctuation (a dictated memo) would otherwise be one clause
 * read again for each of its amounts.
 */
function clauseOf(text: string, start: number, end: number, breaks: ClauseBreaks): string {
  const before = firstAtLeast(breaks.ends, start + 1) - 1;
  const after = firstAtLeast(breaks.starts, end);
  const from = Math.max(before >= 0 ? breaks.ends[before]! : 0, start - 70);
  const to = Math.min(after < breaks.starts.length ? breaks.starts[after]! : text.length, end + 50);
  return text.slice(from, to);
}

function score(text: string, lexicon: Lexicon): number {
  let total = 0;
  for (const [re, w] of lexicon.budgetFor) if (re.test(text)) total += w;
  for (const [re, w] of lexicon.budgetAgainst) if (re.test(text)) total += w;
  return total;
}

/** The second end of a range: "30万到40万" is read as 40万 (a bare "30" before it takes the scale after). */
function ceilingOf(s: Sentence, list: LocaleMoney[], i: number, lexicon: Lexicon): LocaleMoney {
  const next = list[i + 1];
  if (!next) return list[i]!;
  const between = s.text.slice(list[i]!.end - s.start, next.start - s.start);
  const join = lexicon.language === 'zh' ? /^\s*(?:到|至|-|–|~|～)\s*$/ : lexicon.rangeJoin;
  return join.test(between) && next.amount >= list[i]!.amount ? next : list[i]!;
}

/** The text around the figures, and what to call "pesos" said alone. */
export interface LocaleBudgetContext {
  /** The conversation's text, so an acceptance said after the figure can quote both. */
  text?: string;
  /** The currency "pesos" said alone are: the country's the conversation is in. */
  pesos?: string;
}

/** How strongly a reply that takes the figure just said weighs, as in English (budget-cues.ts ACCEPTS_PREVIOUS). */
const ACCEPTED_BEFORE = 7;

interface Best {
  s: Sentence;
  money: LocaleMoney;
  low: LocaleMoney | null;
  score: number;
  /** From the figure to the reply that took it, when the figure was said first and taken after. */
  evidence?: Evidence;
}

/**
 * "El precio final sería de 72.500 euros." / "Nos parece bien, aceptamos ese precio.": the customer
 * takes the one figure said in one of the two sentences before. The quote runs from the figure to
 * the acceptance.
 */
function acceptedBefore(
  sentences: Sentence[],
  index: number,
  lexicon: Lexicon,
  text: string,
  mentionsCompetitor: (s: Sentence) => boolean,
): Best | null {
  const reply = sentences[index]!;
  if (!lexicon.acceptsPrevious.test(reply.text)) return null;
  for (let back = index - 1; back >= Math.max(0, index - 2); back--) {
    const before = sentences[back]!;
    const money = findLocaleMoney(before.text, lexicon.language, before.start);
    if (money.length === 0) continue;
    // Only a single figure is unambiguous: "list 95, for you 80" leaves "that" unclear.
    if (money.length > 1 || mentionsCompetitor(before)) return null;
    return {
      s: before,
      money: money[0]!,
      low: null,
      score: ACCEPTED_BEFORE,
      evidence: { quote: text.slice(before.start, reply.end), start: before.start, end: reply.end },
    };
  }
  return null;
}

export function extractLocaleBudget(
  sentences: Sentence[],
  lexicon: Lexicon,
  defaultCurrency: string,
  mentionsCompetitor: (s: Sentence) => boolean,
  context: LocaleBudgetContext = {},
): BudgetResult | null {
  let best: Best | null = null;
  const spokenIn = new ConversationCurrency();
  for (const [index, s] of sentences.entries()) {
    if (s.isQuestion) continue;
    const money = findLocaleMoney(s.text, lexicon.language, s.start);
    for (const m of money) spokenIn.note(m.currency);
    if (money.length === 0) {
      const taken = context.text
        ? acceptedBefore(sentences, index, lexicon, context.text, mentionsCompetitor)
        : null;
      if (taken && (!best || taken.score >= best.score)) best = taken;
      continue;
    }
    const sentenceScore = score(s.text, lexicon);
    // The low end of each range, by where its high end starts.
    const lows = new Map(
      findLocaleRanges(s.text, lexicon.language, s.start, money).map((r) => [r.high.start, r.low]),
    );
    const breaks = clauseBreaks(s.text, CLAUSE_BREAK);
    const aboutCompetitor = mentionsCompetitor(s);
    for (let i = 0; i < money.length; i++) {
      const mention = ceilingOf(s, money, i, lexicon);
      if (mention !== money[i]) i++;
      const clause = clauseOf(s.text, money[i]!.start - s.start, money[i]!.end - s.start, breaks);
      const own = score(clause, lexicon);
      // The sentence's words lend weight to a clause that objects to nothing ("预算批准了，总额是36万元").
      let sc = own + (own >= 0 ? Math.max(0, sentenceScore - own) * 0.75 : 0);
      if (aboutCompetitor && own <= 0) sc -= 3;
      if (sc < 3) continue;
      if (!best || sc > best.score)
        best = { s, money: mention, low: lows.get(mention.start) ?? null, score: sc };
    }
  }
  if (!best) return null;
  const evidence = best.evidence ?? evidenceForSentence(best.s);
  return {
    budget: {
      amount: best.money.amount,
      currency:
        best.money.currency ??
        (saysPesos(best.money.text)
          ? (context.pesos ?? 'MXN')
          : // Chinese names the currency only when it is not the yuan, so a bare 万 stays yuan.
            lexicon.language === 'zh'
            ? defaultCurrency
            : spokenIn.or(defaultCurrency)),
      evidence,
      range: best.low
        ? { low: { amount: best.low.amount, evidence }, high: { amount: best.money.amount, evidence } }
        : null,
    },
    confidence: Math.min(0.95, 0.5 + best.score * 0.07),
  };
}
