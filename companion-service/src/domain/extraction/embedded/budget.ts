import type { Budget, Evidence } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import { findMoney, findMoneyRanges, type MoneyMention } from './money.js';

/**
 * Budget: the amount the customer commits to or accepts for this purchase. Every amount in the
 * conversation (money.ts) is scored by the clause around it: an approved or allocated budget, a
 * price the customer signs off on or agrees to, a counter-offer stated as a ceiling pull up; revenue,
 * funding, headcount, salaries, list prices, our quotes, a rival's price, discounts and past spend
 * push down, and so does an amount the customer says they do not have or only hedges about. A range
 * stays a range: its ceiling is the amount, both ends are kept.
 */

const POSITIVE: [RegExp, number][] = [
  [/\b(?:capex|opex|budget line|allocation|allocated|line item|hard cap|ceiling)\b/i, 3],
  [/\b(?:we|they) (?:can|could) (?:do|go up to|stretch to|manage)\b/i, 3],
  [
    /\bthe (?:number|figure|amount) (?:we have|we've got|we can (?:approve|do|spend|go to)|we're working with|is)\b/i,
    4,
  ],
  [/\b(?:can|could) approve\b|\bapprov(?:e|es)\b/i, 3],
  [/\b(?:ACV|TCV|annual contract value|total contract value|contract value|deal (?:value|size))\b/i, 3],
  [/\bbudget(?:ed|s)?\b/i, 4],
  [
    /\b(?:set aside|allocated|earmarked|approved|approval for|signed off on|sign-?off (?:for|on)|green-?lit|released|freed up|unlocked|secured|committed|ok'?d|okayed|authori[sz]ed (?:for|to spend|up to)|(?:gave|given|giving) (?:us|me))\b/i,
    3,
  ],
  [
    /\b(?:we(?:'ve| have)? (?:got|been given|been allocated|been approved for)|we have|I have|there(?:'s| is))\b/i,
    2,
  ],
  [/\b(?:purchase order|PO|contract|order form|signed)\b[^.]{0,30}\bfor\b/i, 3],
  [/\b(?:purchase order|PO|order form)\b|\bto (?:work with|play with)\b/i, 3],
  [
    /\bfor (?:this|the) [\w -]{0,30}?(?:project|initiative|purchase|program|rollout|implementation|tooling|platform|switch)\b/i,
    2,
  ],
  [
    /\b(?:can|could|able to|willing to|prepared to|plan to|planning to|looking to) (?:spend|invest|pay|go up to|stretch to)\b/i,
    4,
  ],
  [
    /\b(?:up to|no more than|cap(?:ped)? at|ceiling|max(?:imum)?|not to exceed|tops?|at most|the most we|all[- ]in)\b/i,
    3,
  ],
  // "We can't go over 90k": a ceiling said as a refusal to exceed it.
  [
    /\b(?:can't|cannot|can not|won't|will not|not|never) (?:go|going|spend|pay|be|get)? ?(?:over|above|beyond|past|higher than|more than|exceed)\b/i,
    4,
  ],
  [/\b(?:spend|afford|investment|for this (?:project|purchase|initiative))\b/i, 1],
  [/^\s*(?:budget|money)\s*[:=-]/i, 4],
  [/(?:^|\s)\$\$(?=[\s:=~-]|$)/, 4],
  // "somewhere in the 200-250k range", "ballpark 80k": the customer's own figure, loosely held.
  [/\b(?:range|ballpark|somewhere (?:between|around|in))\b/i, 2],
  [/\b(?:we're|we are|we were|I'm|I was) (?:thinking|targeting|aiming for|looking at)\b/i, 3],
];

/**
 * The customer taking a figure as theirs: "I'll sign off on the $150,000", "we can do 120k", "that
 * works for us", "we agreed on 80k". It outweighs the words that say whose price it first was.
 */
const ACCEPTANCE =
  /\b(?:sign(?:ed|ing)? off on|(?:I|we)(?:'ll| will| can| could)? (?:approve|sign|accept|commit to|go with|live with|do)\b|(?:I|we)(?:'re| are| am|'m) (?:good|fine|ok|okay|happy|comfortable) (?:with|at)|works? for (?:us|me|our)|agreed? (?:to|on)|accept(?:ed|s)?|let'?s (?:do|go with|lock in)|lock(?:ed)? in|green-?light(?:ed|s)?|commit(?:ted)? to|go ahead|write (?:it|this|that) up|paper (?:it|this|that))\b/i;
/** "$48,500 it is": the figure taken, said after it. */
const ACCEPTED_AFTER = /^\s*(?:it is|it's a deal|works for (?:us|me)|is fine|is approved|it'll be)\b/i;
/**
 * A reply that takes the figure just said without repeating it: "I'll sign off on that", "that
 * number works for us", "we can live with that". The figure is in the sentence before; the reply
 * weighs like a stated budget with an approval word, since the customer took the figure as theirs.
 */
const ACCEPTS_PREVIOUS: [RegExp, number] = [
  /\b(?:sign(?:ed)? off on|approve|accept|go with|live with|agree to|(?:good|fine|happy|comfortable) with|commit to|lock in|do|make)\s+(?:that|it|this|those|the (?:number|price|figure|amount|offer|terms|revised (?:number|price|offer|terms)))(?: work)?\b(?!\s+(?:later|first|when|after|once|by|next|tomorrow))|\b(?:that|this|the) (?:number|price|figure|amount|offer)? ?works for (?:us|me)\b|^\W*(?:deal|agreed|done)\b/i,
  7,
];

/** Whose price a figure was before anyone accepted it: ours, a list price, a quote. Acceptance overrides these. */
const OFFERED: [RegExp, number][] = [
  [
    /\b(?:quoted|quote from|quote came in|came in at|offered us|their price|their pricing|charging us|charges)\b/i,
    -3,
  ],
  [
    /\b(?:our|the|my|your) (?:proposal|quote|price|pricing|offer)\b|\bwe (?:quoted|proposed|offered)\b|\bforecast\b|\bproposal (?:was|is|came|at)\b/i,
    -6,
  ],
  [
    /\b(?:list(?: price)?|at list|sticker(?: price)?|msrp|rack rate|rate card|retail|full price|pricing page|start(?:s|ing) at|standard (?:price|pricing|rate))\b/i,
    -6,
  ],
  [/\b(?:discount(?:ed|s)?|\d+ ?(?:%|percent) off|rebate)\b/i, -4],
];

/** Money that is gone or never was, said anywhere in the sentence: "we had 200k set aside, but it got pulled". */
const GONE =
  /\b(?:is gone|was gone|(?:been |was |got )?pulled(?: back)?|no longer (?:there|available)|redirected|reallocated|clawed back|taken away|was cut(?! to| down to)|got cut(?! to| down to)|disappeared|evaporated|frozen)\b/i;

const NEGATIVE: [RegExp, number][] = [
  [
    /\b(?:no (?:actual )?budget|didn't give (?:me |us )?(?:an? )?(?:actual )?(?:budget|number)|up for review|under review|could we get it under|get it under)\b/i,
    -5,
  ],
  [/\bin [\w-]+ (?:sales|revenue|turnover)\b|\bsales a year\b/i, -6],
  // Money that is gone or never was: "the 250k we'd set aside is gone", "if they ever got budget".
  [GONE, -7],
  [/\bif they ever|\bif we ever|\bwould be like|\bnot real\b|\bwouldn't commit|\bhypothetical/i, -5],
  [
    /\b(?:revenue|arr|mrr|turnover|sales of|valuation|raised (?:a |our |their )?(?:series|round|seed|funding|capital|\$|€|£|\d)|funding|series [a-e]|round|ipo|market cap|profit|ebitda|gmv)\b/i,
    -6,
  ],
  [
    /\b(?:employees|headcount|staff|people|salary|salaries|per hour|hourly|per month per|per seat|per user|per license|a seat|each seat)\b/i,
    -3,
  ],
  [/\b(?:last year|previous(?:ly)?|used to|in 20\d\d|historically|paid (?:for|to) )\b/i, -2],
  // What is spent today or was spent before, not what this purchase may cost.
  [
    /\b(?:we|they|I) (?:spent|paid|pay|spend)\b|\b(?:we're|we are|they're|they are) (?:paying|spending)\b|\bcurrently (?:pay|paying|spend|spending)\b|\brenewal (?:was|came|is)\b/i,
    -4,
  ],
  [/\b(?:lost|losing|cost(?:s|ing)? us|wasted|waste|fines?|penalt(?:y|ies)|savings?|save|saving)\b/i, -2],
  [/\b(?:GDP|gross domestic product)\b/i, -6],
];

/**
 * A signing threshold says who approves what, not what this purchase may cost: "I can approve
 * anything under $25k on my own", "anything over $100,000 needs board sign-off", "my signing authority is 50k".
 */
const THRESHOLD =
  /\b(?:anything|everything|any (?:purchase|deal|contract|spend)|purchases?|deals?|contracts?) (?:over|above|under|below|more than|less than|greater than|north of|[<>])|\bsigning (?:authority|limit|threshold|power)|\b(?:approval|sign-?off|spending|discretionary|signature) (?:limit|threshold|authority)|\bon (?:my|his|her|their) own\b/i;

/**
 * "We don't have 100k", "I can't sign off on 150k", "that isn't approved": the customer refusing a
 * figure. "Can't go over 120k" and "not to exceed" state a ceiling instead, which is a budget.
 */
const NEGATION =
  /\b(?:don't|do not|doesn't|does not|didn't|did not|can't|cannot|can not|couldn't|won't|will not|wouldn't|isn't|is not|aren't|wasn't|haven't|hasn't|never|no way|nowhere near|not)\b/i;
const CEILING_AFTER_NEGATION =
  /\b(?:not to exceed|(?:go|going|be|spend|pay|get) (?:over|above|beyond|past|higher than|more than)|more than|exceed|over|above|north of)\b/i;
/** "100k isn't approved", "80k is not something we have". */
const NEGATED_AFTER =
  /^\s*(?:(?:is|was|has|had|were|are)(?:n't| not)|(?:is|was|has|are|were) (?:not|never|no longer)|(?:is|was) nowhere near)\b/i;
/** "Maybe if it were 50k", "we might find 40k": a figure floated, not committed. */
const HEDGE =
  /\b(?:maybe|perhaps|possibly|might|hypothetically|in theory|wishful|I doubt|doubt (?:we|it|that)|not sure|unlikely|in a perfect world)\b/i;
const HYPOTHETICAL = /\bif (?:it|that|this|the (?:price|cost|number|total)) (?:were|was)\b/i;
/** "If you can get it to 120k, we'll sign": a condition with a commitment attached is a counter-offer. */
const COMMITMENT =
  /\b(?:we(?:'ll| will| can)|I(?:'ll| will| can))\s+(?:sign|approve|do it|commit|move forward|go ahead|close|buy)\b/i;
/** Our side restating the customer's figure ("so your budget is 80k") still speaks of their money. */
const RECAP =
  /\b(?:your (?:budget|ceiling|number|cap|target)|you(?:'ve| have)? (?:approved|got|said|mentioned|told)|you (?:can|could) (?:do|spend)|you(?:'re| are) working with|to confirm)\b/i;
/**
 * "Would you take $90k?", "could you get it down to 95k?": a customer's counter-offer put as a
 * question still names the ceiling they will pay.
 */
const COUNTER_QUESTION =
  /\b(?:would|could|can|will) you (?:do|take|accept|go (?:down )?to|come down to|meet us at|get (?:it |that |this )?(?:down )?to|match)\b/i;

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

/** An amount followed by a unit counts things, not money ("54,000 orders", "2,000 employees"). */
const COUNTED =
  /^\s*(?:units?|items?|orders?(?! form)|tickets?|calls|requests|transactions|records|rows|users|employees|people|customers|stores|locations|sq ?ft|miles|km|hours|minutes|days|seats|licen[cs]es|agents|reps|members|students|patients|vehicles|trucks|drivers|nurses|engineers|devices|endpoints|accounts|sites|beds|claims|shipments|parcels)\b/i;
/** A bare number before a plural noun counts things too ("1,200 technicians"). */
const BARE_COUNTED = /^\s*[a-z]+s\b/i;
/** "we have 60,000", "I've got two hundred thousand": an amount someone holds for this. */
const HOLDING =
  /\b(?:we|I)(?:'ve| have)? (?:have|got)\s+(?:about |around |roughly |up to |maybe |almost |nearly )?(?:[$€£]|\d|[a-z]+(?:[ -][a-z]+){0,3}[ -](?:hundred|thousand|million|grand))/i;

const CLAUSE_BREAK =
  /[,;:()]|\s[-–—]\s|\b(?:but|while|whereas|although|though|however|versus|vs\.?|compared to|than)\b/gi;

/** Where each clause break of a sentence starts and ends, found once per sentence. */
function clauseBreaks(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  CLAUSE_BREAK.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLAUSE_BREAK.exec(text))) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  return { starts, ends };
}

/** The index of the first value in the ascending list that is at least `value` (list length if none). */
function firstAtLeast(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
  breaks: ReturnType<typeof clauseBreaks>,
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
}

/** The amounts of a sentence, a range counted once (its low end is not a figure of its own). */
function candidatesIn(sentence: Sentence): Candidate[] {
  const mentions = findMoney(sentence);
  if (mentions.length === 0) return [];
  const ranges = findMoneyRanges(sentence, mentions);
  // A range's ends are its high mention and, when the low end was an amount of its own ("50k-70k"),
  // the mention where it starts; looked up by position so a sentence of many ranges stays linear.
  const ends = new Set<number>(ranges.flatMap((r) => [r.high.start, r.low.start]));
  return [
    ...ranges.map((r) => ({ amount: r.high, low: r.low, start: r.start, end: r.end })),
    ...mentions
      .filter((m) => !ends.has(m.start))
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
  aboutCompetitor: boolean;
  seller: boolean;
  gone: boolean;
  /** A question that is a counter-offer ("would you take $90k?"). */
  counterOffer: boolean;
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
  const text = clause.text;
  const accepted = !context.seller && ACCEPTANCE.test(text);
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
  if (THRESHOLD.test(text)) sc -= 8;
  if (context.gone && !GONE.test(text) && !/\b(?:now|new|revised|instead)\b/i.test(text)) sc -= 7;
  if (!context.seller && ACCEPTED_AFTER.test(s.text.slice(c.end - s.start, c.end - s.start + 30))) sc += 5;
  if (context.aboutCompetitor && !/\bbudget/i.test(text)) sc -= 3;
  if (context.seller && !RECAP.test(text)) sc -= 4;
  if (c.amount.bare) sc -= 1;
  return sc;
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
  if (reply.isQuestion || input.saidBySeller?.(reply) || !ACCEPTS_PREVIOUS[0].test(reply.text)) return null;
  if (NEGATION.test(reply.text) || HEDGE.test(reply.text) || THRESHOLD.test(reply.text)) return null;
  for (let back = index - 1; back >= Math.max(0, index - 2); back--) {
    const before = input.sentences[back]!;
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

export function extractBudget(input: BudgetInput): BudgetResult | null {
  let best: Best | null = null;
  for (const [index, s] of input.sentences.entries()) {
    const counterOffer = s.isQuestion && !input.saidBySeller?.(s) && COUNTER_QUESTION.test(s.text);
    if (s.isQuestion && !counterOffer) continue;
    const candidates = candidatesIn(s);
    if (candidates.length === 0) {
      const accepted = acceptedBefore(input, index);
      if (accepted && (!best || ACCEPTS_PREVIOUS[1] >= best.score))
        best = { ...accepted, score: ACCEPTS_PREVIOUS[1] };
      continue;
    }
    let commits: boolean | null = null;
    const context: SentenceContext = {
      keyed: /^\s*(?:budget|\$\$|money|spend)\s*[:=-]/i.test(s.text) ? 4 : 0,
      talksBudget: /\bbudget/i.test(s.text),
      aboutCompetitor: input.aboutCompetitor(s),
      seller: input.saidBySeller?.(s) ?? false,
      gone: GONE.test(s.text),
      counterOffer,
      commits: () => (commits ??= COMMITMENT.test(s.text)),
    };
    const breaks = clauseBreaks(s.text);
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
        best = { s, c, score: sc, evidence: evidenceForSentence(s) };
    }
  }
  if (!best) return null;
  const { evidence } = best;
  const currency = best.c.amount.currency ?? input.defaultCurrency;
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
