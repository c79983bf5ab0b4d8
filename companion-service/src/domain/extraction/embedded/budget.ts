import type { Budget, Evidence } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { ConversationCurrency, findMoney, findMoneyRanges, type MoneyMention } from './money.js';
import { findPerUnitTotals, findScaledBareFigures } from './money-totals.js';
import {
  ACCEPTANCE,
  ACCEPTED_AFTER,
  ACCEPTS_PREVIOUS,
  SIGNED,
  NOT_SIGNED_YET,
  TAG_QUESTION,
  AFFIRMS,
  BEYOND_MEANS,
  BARE_COUNTED,
  BUDGET_QUESTION,
  SPEND_NOW,
  CEILING_AFTER_NEGATION,
  COMMITMENT,
  COUNTERFACTUAL,
  COUNTED,
  COUNTER_QUESTION,
  GONE,
  HEDGE,
  HOLDING,
  HYPOTHETICAL,
  NEGATED_AFTER,
  NEGATION,
  NEGATIVE,
  OFFERED,
  OUTSIDE_BUDGET,
  POSITIVE,
  RECAP,
  THRESHOLD,
} from './budget-cues.js';
import { clauseBreaks, firstAtLeast, type ClauseBreaks } from '../../text/clause-breaks.js';

/**
 * Budget: the amount the customer commits to or accepts for this purchase. Every amount in the
 * conversation (money.ts) is scored by the clause around it: an approved or allocated budget, a
 * price the customer signs off on or agrees to, a counter-offer stated as a ceiling pull up; revenue,
 * funding, headcount, salaries, list prices, our quotes, a rival's price, discounts and past spend
 * push down, and so does an amount the customer says they do not have or only hedges about. A range
 * stays a range: its ceiling is the amount, both ends are kept.
 */

function cueScore(text: string): number {
  let total = 0;
  for (const [re, w] of POSITIVE) if (re.test(text)) total += w;
  for (const [re, w] of NEGATIVE) if (re.test(text)) total += w;
  return total;
}

/** Whose figure it was, unless the customer takes it as theirs. */
function offeredScore(text: string): number {
  let total = 0;
  for (const [re, w] of OFFERED) if (re.test(text)) total += w;
  return total;
}

/**
 * What the customer says of the figure: taken (+), refused (-), floated (-), or nothing (0). The
 * condition and the commitment of "if you can get it to 110k, we'll sign" sit in two clauses, so the
 * commitment is looked for in the whole sentence.
 */
function stanceScore(clause: Clause, commitsInSentence: () => boolean, accepted: boolean): number {
  // What comes before the figure governs it ("we don't have 100k"), and so do the words right after
  // it ("100k isn't approved"); a "not" further on is about something else.
  const before = clause.text.slice(0, clause.at);
  const negated =
    (NEGATION.test(before) && !CEILING_AFTER_NEGATION.test(clause.text)) ||
    /\b(?:there(?:'s| is)|we have|we've got|with) no\s+(?:[$€£]|\d|[a-z]+ (?:thousand|million|grand))/i.test(
      clause.text,
    ) ||
    NEGATED_AFTER.test(clause.text.slice(clause.atEnd));
  if (negated) return -8;
  if (HEDGE.test(clause.text)) return -6;
  if (/\bif\b/i.test(clause.text) && commitsInSentence()) return 4;
  if (HYPOTHETICAL.test(clause.text)) return -6;
  return accepted ? 5 : 0;
}

const CLAUSE_BREAK =
  /[,;:()]|\s[-–—]\s|\b(?:but|while|whereas|although|though|however|versus|vs\.?|compared to|than)\b/gi;

/** The words of the clause around an amount, and where the amount sits in them. */
interface Clause {
  text: string;
  at: number;
  atEnd: number;
}

/**
 * The clause around an amount: "their quote came in at €82,000, but our budget is €75,000" is two
 * claims. The breaks are found once per sentence and looked up per amount, so a long sentence full
 * of amounts costs its length, not its length times its amounts. A range is one amount here: the
 * dash of "50 - 70k" does not break it.
 */
function clauseAround(
  sentence: Sentence,
  span: { start: number; end: number },
  breaks: ClauseBreaks,
): Clause {
  const at = span.start - sentence.start;
  const atEnd = span.end - sentence.start;
  // The clause opens after the last break that ends before the amount, and closes at the first that starts after it.
  const before = firstAtLeast(breaks.ends, at + 1) - 1;
  const after = firstAtLeast(breaks.starts, atEnd);
  const from = before >= 0 ? breaks.ends[before]! : 0;
  const to = after < breaks.starts.length ? breaks.starts[after]! : sentence.text.length;
  // Dictated memos run on without punctuation: never look further than a few words either side.
  const start = Math.max(from, at - 70);
  const end = Math.min(to, atEnd + 50);
  return { text: sentence.text.slice(start, end), at: at - start, atEnd: atEnd - start };
}

/** One figure that could be the budget: a single amount, or a range whose ceiling is its amount. */
interface Candidate {
  amount: MoneyMention;
  low: MoneyMention | null;
  start: number;
  end: number;
  /** The words a total is read from ("$300 a seat", "120 seats"): they say what it is made of, not whose it is. */
  terms?: { start: number; end: number }[];
  /** The earlier amount whose scale a bare figure was read at, which its quote must state too. */
  scaledBy?: Reference;
}

/** The last amount with a scale said before, for a figure said without one ("we can do 90"). */
interface Reference {
  mention: MoneyMention;
  sentence: Sentence;
  index: number;
}

/**
 * The amounts of a sentence: a range counted once (its low end is not a figure of its own), a price
 * per seat counted only in the total its seats make, and figures said without a scale at the scale
 * of the amount before them.
 */
function candidatesIn(sentence: Sentence, reference: Reference | null = null): Candidate[] {
  const mentions = findMoney(sentence);
  const bare = findScaledBareFigures(sentence, mentions, reference?.mention ?? null);
  if (mentions.length === 0 && bare.length === 0) return [];
  const ranges = findMoneyRanges(sentence, mentions);
  const totals = findPerUnitTotals(sentence, mentions);
  // A range's ends are its high mention and, when the low end was an amount of its own ("50k-70k"),
  // the mention where it starts; looked up by position so a sentence of many ranges stays linear.
  const ends = new Set<number>(ranges.flatMap((r) => [r.high.start, r.low.start]));
  const prices = new Set<number>(totals.map((t) => t.terms[0]!.start));
  return [
    ...ranges.map((r) => ({ amount: r.high, low: r.low, start: r.start, end: r.end })),
    ...totals.map((t) => ({ amount: t, low: null, start: t.start, end: t.end, terms: t.terms })),
    ...bare.map((b) => ({
      amount: b,
      low: null,
      start: b.start,
      end: b.end,
      scaledBy: b.reference === reference?.mention ? reference : undefined,
    })),
    ...mentions
      .filter((m) => !ends.has(m.start) && !prices.has(m.start))
      .map((m) => ({ amount: m, low: null, start: m.start, end: m.end })),
  ].sort((a, b) => a.start - b.start);
}

export interface BudgetInput {
  /** The conversation's normalized text, which the sentences point into. */
  text: string;
  sentences: Sentence[];
  defaultCurrency: string;
  /** Whether a sentence names a competitor: their prices are not the customer's budget. */
  aboutCompetitor: (s: Sentence) => boolean;
  /** Whether a sentence was said by our side: what we offer is a price until the customer takes it. */
  saidBySeller?: (s: Sentence) => boolean;
}

export interface BudgetResult {
  budget: Budget;
  confidence: number;
}

/** What holds for every figure of one sentence, found once per sentence (a long one may hold many figures). */
interface SentenceContext {
  /** A notes key ("budget: 250K USD, FY26") speaks for the whole line. */
  keyed: number;
  talksBudget: boolean;
  outsideBudget: boolean;
  aboutCompetitor: boolean;
  seller: boolean;
  gone: boolean;
  /** A question that is a counter-offer ("would you take $90k?"). */
  counterOffer: boolean;
  /** An unreal condition on the customer's means ("if we had budget, we'd go to 100k"). */
  counterfactual: boolean;
  /** The customer reports a signature in this sentence or the one before: its figure was committed to. */
  signed: boolean;
  /** Whether the sentence commits to something ("we'll sign"), asked only when a clause says "if". */
  commits: () => boolean;
}

/** How strongly the clause around one candidate says it is the customer's budget. */
function scoreCandidate(
  s: Sentence,
  c: Candidate,
  clause: Clause,
  sentenceCues: () => number,
  context: SentenceContext,
): number {
  // Our side saying "we can do 150k" is an offer; only the customer accepts.
  const text = c.terms ? maskTerms(s, c, clause) : clause.text;
  const beyond = BEYOND_MEANS.test(text);
  // "I can approve up to $25,000 myself" says what one person may sign, not a figure taken.
  const accepted = !context.seller && !beyond && ACCEPTANCE.test(text) && !THRESHOLD.test(text);
  const offered = offeredScore(text);
  const own = cueScore(text) + (accepted ? 0 : offered) + (HOLDING.test(text) ? 2 : 0);
  const stance = stanceScore(clause, context.commits, accepted);
  // Cues elsewhere in the sentence lend weight to a neutral clause ("PO issued, 54,000, finance released").
  const lent = own >= 0 && stance >= 0 ? Math.max(0, sentenceCues() - own) * 0.75 : 0;
  // "The budget's there, 45 thousand": the budget word speaks for amounts in clauses that object to nothing.
  let sc =
    context.keyed +
    own +
    stance +
    lent +
    (context.talksBudget && !/\bbudget/i.test(text) && own >= 0 && stance >= 0 ? 3 : 0);
  if (context.counterOffer && stance >= 0) sc += 5;
  if (context.counterfactual) sc -= 8;
  if (context.signed && own >= 0 && stance >= 0) sc += 5;
  if (context.outsideBudget) sc -= 6;
  if (beyond) sc -= 8;
  if (THRESHOLD.test(text)) sc -= 8;
  if (context.gone && !GONE.test(text) && !/\b(?:now|new|revised|instead)\b/i.test(text)) sc -= 7;
  if (!context.seller && ACCEPTED_AFTER.test(s.text.slice(c.end - s.start, c.end - s.start + 30))) sc += 5;
  if (context.aboutCompetitor && !/\bbudget/i.test(text)) sc -= 3;
  if (context.seller && !RECAP.test(text)) sc -= 4;
  if (c.amount.bare) sc -= 1;
  return sc;
}

/** The clause with a total's terms blanked: "a seat" makes the total, it does not make it a price per seat. */
function maskTerms(s: Sentence, c: Candidate, clause: Clause): string {
  const clauseStart = c.start - s.start - clause.at;
  let text = clause.text;
  for (const t of c.terms ?? []) {
    const from = Math.max(0, t.start - s.start - clauseStart);
    const to = Math.min(text.length, t.end - s.start - clauseStart);
    if (to > from) text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
  }
  return text;
}

/** The figure that is the budget so far, and the words that say so. */
interface Best {
  s: Sentence;
  c: Candidate;
  score: number;
  evidence: Evidence;
}

/**
 * "We can do $150,000." / "I'll sign off on that.": the customer takes, in one sentence, the figure
 * said in one of the two before it. The quote runs from the figure to the acceptance, so it states both.
 */
function acceptedBefore(input: BudgetInput, index: number): Pick<Best, 's' | 'c' | 'evidence'> | null {
  const reply = input.sentences[index]!;
  if (reply.isQuestion || input.saidBySeller?.(reply)) return null;
  const takes = ACCEPTS_PREVIOUS[0].test(reply.text);
  // "Yes" takes only a figure the question before put to the customer as theirs.
  const confirms = !takes && AFFIRMS.test(reply.text);
  if (!takes && !confirms) return null;
  if (NEGATION.test(reply.text) || HEDGE.test(reply.text) || THRESHOLD.test(reply.text)) return null;
  for (let back = index - 1; back >= Math.max(0, index - (confirms ? 1 : 2)); back--) {
    const before = input.sentences[back]!;
    if (confirms && !(before.isQuestion && RECAP.test(before.text))) return null;
    const candidates = candidatesIn(before).filter(
      (c) => !COUNTED.test(before.text.slice(c.end - before.start)),
    );
    if (candidates.length === 0) continue;
    // Only a single figure is unambiguous: "list is 240k, we can do 200k" leaves "that" unclear.
    if (candidates.length > 1 || input.aboutCompetitor(before)) return null;
    return {
      s: before,
      c: candidates[0]!,
      evidence: { quote: input.text.slice(before.start, reply.end), start: before.start, end: reply.end },
    };
  }
  return null;
}

/** How many sentences back a figure said without a scale may take the scale of an amount. */
const REFERENCE_REACH = 3;

/** The words from one sentence to a later one: a figure read at an earlier amount's scale quotes both. */
function spanning(input: BudgetInput, from: Sentence, to: Sentence): Evidence {
  return { quote: input.text.slice(from.start, to.end), start: from.start, end: to.end };
}

export function extractBudget(input: BudgetInput): BudgetResult | null {
  let best: Best | null = null;
  let reference = null as Reference | null;
  const spokenIn = new ConversationCurrency();
  /** The last amount with a scale in the sentence becomes the reference for the sentences after it. */
  const refer = (s: Sentence, index: number, amounts: MoneyMention[]) => {
    for (const m of amounts) spokenIn.note(m.currency);
    const scaled = amounts.filter((m) => !m.bare && m.amount >= 1000);
    if (scaled.length > 0) reference = { mention: scaled[scaled.length - 1]!, sentence: s, index };
  };
  for (const [index, s] of input.sentences.entries()) {
    if (reference && index - reference.index > REFERENCE_REACH) reference = null;
    const counterOffer = s.isQuestion && !input.saidBySeller?.(s) && COUNTER_QUESTION.test(s.text);
    if (s.isQuestion && !counterOffer && !TAG_QUESTION.test(s.text)) {
      refer(s, index, findMoney(s));
      continue;
    }
    const candidates = candidatesIn(s, reference);
    refer(
      s,
      index,
      candidates.filter((c) => !c.scaledBy).map((c) => c.amount),
    );
    if (candidates.length === 0) {
      const accepted = acceptedBefore(input, index);
      if (accepted && (!best || ACCEPTS_PREVIOUS[1] >= best.score))
        best = { ...accepted, score: ACCEPTS_PREVIOUS[1] };
      continue;
    }
    let commits: boolean | null = null;
    const asked = input.sentences[index - 1];
    // The customer's answer to a question about their budget speaks of it as if it named it.
    const answersBudget =
      asked !== undefined &&
      asked.isQuestion &&
      asked.speaker !== s.speaker &&
      !input.saidBySeller?.(s) &&
      BUDGET_QUESTION.test(asked.text) &&
      !SPEND_NOW.test(asked.text);
    const context: SentenceContext = {
      keyed: /^\s*(?:budget|\$\$|money|spend)\s*[:=-]/i.test(s.text) ? 4 : 0,
      // "Not in the budget, the $88,000" talks budget to say what it is not.
      talksBudget: (answersBudget || /\bbudget/i.test(s.text)) && !OUTSIDE_BUDGET.test(s.text),
      outsideBudget: OUTSIDE_BUDGET.test(s.text),
      aboutCompetitor: input.aboutCompetitor(s),
      seller: input.saidBySeller?.(s) ?? false,
      gone: GONE.test(s.text),
      counterOffer,
      counterfactual: COUNTERFACTUAL.test(s.text),
      signed: [s, input.sentences[index - 1]].some(
        (t) =>
          t !== undefined && !input.saidBySeller?.(t) && SIGNED.test(t.text) && !NOT_SIGNED_YET.test(t.text),
      ),
      commits: () => (commits ??= COMMITMENT.test(s.text)),
    };
    const breaks = clauseBreaks(s.text, CLAUSE_BREAK);
    // Scored once per sentence, not once per amount in it.
    let sentenceScore: number | null = null;
    const sentenceCues = () => (sentenceScore ??= cueScore(s.text) + offeredScore(s.text));
    for (const c of candidates) {
      const after = s.text.slice(c.end - s.start);
      if (COUNTED.test(after) || (c.amount.bare && BARE_COUNTED.test(after))) continue;
      const clause = clauseAround(s, c, breaks);
      const sc = scoreCandidate(s, c, clause, sentenceCues, context);
      if (sc < 3) continue;
      // Later statements revise earlier ones ("actually the budget got cut to 50k").
      const revision = /\b(?:now|actually|revised|cut|reduced|increased|down to|up to)\b/i.test(clause.text);
      if (!best || sc > best.score || (sc === best.score && best.s !== s) || (sc >= 4 && revision))
        best = {
          s,
          c,
          score: sc,
          evidence: c.scaledBy ? spanning(input, c.scaledBy.sentence, s) : evidenceForSentence(s),
        };
    }
  }
  if (!best) return null;
  const { evidence } = best;
  const currency = best.c.amount.currency ?? spokenIn.or(input.defaultCurrency);
  return {
    budget: {
      amount: best.c.amount.amount,
      currency,
      evidence,
      range: best.c.low
        ? { low: { amount: best.c.low.amount, evidence }, high: { amount: best.c.amount.amount, evidence } }
        : null,
    },
    confidence: Math.min(0.95, 0.5 + best.score * 0.07),
  };
}
