import type { Budget } from '../../insights/schema.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';

/**
 * Budget: what the customer can or plans to spend on this purchase. Every amount in the
 * conversation is found ($120k, 1.2M, "80 thousand euros", £50,000) and scored by what surrounds it;
 * revenue, funding, headcount, salaries, a rival's quote, our list price and last year's spend are
 * pushed down, words like "budget", "approved" and "can spend" pull up.
 */
export interface MoneyMention {
  amount: number;
  currency: string | null;
  start: number;
  end: number;
}

const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', 'US$': 'USD', 'A$': 'AUD', 'C$': 'CAD' };
const CODES = /^(usd|eur|gbp|cad|aud|chf|jpy|inr|sek|nok|dkk)$/i;
const WORDS: [RegExp, string][] = [
  [/^(dollars?|bucks)$/i, 'USD'],
  [/^euros?$/i, 'EUR'],
  [/^(pounds?|quid)$/i, 'GBP'],
];
const SCALE: Record<string, number> = {
  k: 1e3, K: 1e3, thousand: 1e3, grand: 1e3, m: 1e6, M: 1e6, mm: 1e6, MM: 1e6, mil: 1e6, million: 1e6, b: 1e9, B: 1e9, bn: 1e9, billion: 1e9,
};
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, twenty: 20,
  'twenty-five': 25, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
  'a hundred': 100, 'one hundred': 100, 'a couple hundred': 200, 'two hundred': 200, 'a half': 0.5, half: 0.5,
};

const MONEY = new RegExp(
  String.raw`(?<cur>US\$|A\$|C\$|[$€£¥]|\b(?:USD|EUR|GBP|CAD|AUD|CHF)\s?)?` +
    String.raw`(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')})\b)` +
    String.raw`\s?(?<scale>k|K|mm|MM|m|M|mil|bn|b|B|thousand|grand|million|billion)?\b` +
    String.raw`(?:\s?(?<word>dollars?|bucks|euros?|pounds?|quid|USD|EUR|GBP|CAD|AUD|CHF))?`,
  'g',
);

export function findMoney(sentence: Sentence): MoneyMention[] {
  const out: MoneyMention[] = [];
  MONEY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MONEY.exec(sentence.text))) {
    const g = m.groups!;
    const cur = g.cur?.trim();
    const scale = g.scale;
    const word = g.word;
    // A bare number is money only with a currency or a money scale ("80k" in a budget line).
    if (!cur && !word && !(scale && /^(k|K|mm|MM|M|mil|bn|grand|thousand|million|billion)$/.test(scale))) continue;
    if (!cur && !word && /^(thousand|million|billion)$/.test(scale ?? '') && !/\$|budget|spend|cost|price|dollar|euro|pound/i.test(sentence.text)) continue;
    const base = /^\d/.test(g.num!) ? Number(g.num!.replace(/,/g, '')) : NUMBER_WORDS[g.num!.toLowerCase()]!;
    if (!Number.isFinite(base) || base <= 0) continue;
    const amount = Math.round(base * (scale ? SCALE[scale]! : 1) * 100) / 100;
    let currency: string | null = cur ? (SYMBOLS[cur] ?? (CODES.test(cur) ? cur.toUpperCase() : null)) : null;
    if (!currency && word) currency = CODES.test(word) ? word.toUpperCase() : (WORDS.find(([re]) => re.test(word))?.[1] ?? null);
    out.push({ amount, currency, start: sentence.start + m.index, end: sentence.start + m.index + m[0].length });
  }
  return out;
}

const POSITIVE: [RegExp, number][] = [
  [/\bbudget(?:ed|s)?\b/i, 4],
  [/\b(?:set aside|allocated|earmarked|approved|signed off on|green-?lit)\b/i, 3],
  [/\b(?:can|could|able to|willing to|prepared to|plan to|planning to|looking to) (?:spend|invest|pay|go up to|stretch to)\b/i, 4],
  [/\b(?:up to|no more than|cap(?:ped)? at|ceiling|max(?:imum)?|not to exceed|tops?)\b/i, 2],
  [/\b(?:spend|afford|investment|for this (?:project|purchase|initiative))\b/i, 1],
  [/^\s*(?:budget|money)\s*[:=-]/i, 4],
  [/(?:^|\s)\$\$(?=[\s:=~-]|$)/, 4],
];
const NEGATIVE: [RegExp, number][] = [
  [/\b(?:revenue|arr|mrr|turnover|sales of|valuation|raised|funding|series [a-e]|round|ipo|market cap|profit|ebitda|gmv)\b/i, -6],
  [/\b(?:employees|headcount|staff|people|salary|salaries|per hour|hourly|per month per|per seat|per user|per license|a seat|each seat)\b/i, -3],
  [/\b(?:quoted|quote from|offered us|their price|their pricing|charging us|charges|list price|sticker price|msrp|rack rate)\b/i, -3],
  [/\b(?:last year|previous(?:ly)?|used to|in 20\d\d|historically|paid (?:for|to) )\b/i, -2],
  [/\b(?:lost|losing|cost(?:s|ing)? us|wasted|waste|fines?|penalt(?:y|ies)|savings?|save|saving)\b/i, -2],
  [/\b(?:GDP|gross domestic product)\b/i, -6],
];

function score(text: string): number {
  let total = 0;
  for (const [re, w] of POSITIVE) if (re.test(text)) total += w;
  for (const [re, w] of NEGATIVE) if (re.test(text)) total += w;
  return total;
}

const CLAUSE_BREAK = /[,;:()]|\s[-–—]\s|\b(?:but|while|whereas|although|though|however|versus|vs\.?|compared to|than)\b/gi;

/** The clause around an amount: "their quote came in at €82,000, but our budget is €75,000" is two claims. */
function clauseAround(sentence: Sentence, money: MoneyMention): string {
  const at = money.start - sentence.start;
  let from = 0;
  let to = sentence.text.length;
  CLAUSE_BREAK.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLAUSE_BREAK.exec(sentence.text))) {
    if (m.index + m[0].length <= at) from = m.index + m[0].length;
    else if (m.index >= money.end - sentence.start) {
      to = m.index;
      break;
    }
  }
  return sentence.text.slice(from, to);
}

export interface BudgetResult {
  budget: Budget;
  confidence: number;
}

export function extractBudget(sentences: Sentence[], defaultCurrency: string, competitorSentence: (s: Sentence) => boolean): BudgetResult | null {
  let best: { s: Sentence; money: MoneyMention; score: number } | null = null;
  for (const s of sentences) {
    if (s.isQuestion) continue;
    const mentions = findMoney(s);
    if (mentions.length === 0) continue;
    const sentenceTalksBudget = /\bbudget/i.test(s.text);
    const aboutCompetitor = competitorSentence(s);
    for (const money of mentions) {
      const clause = clauseAround(s, money);
      let sc = score(clause) + (sentenceTalksBudget && !/\bbudget/i.test(clause) && score(clause) >= 0 ? 1 : 0);
      if (aboutCompetitor && !/\bbudget/i.test(clause)) sc -= 3;
      if (sc < 3) continue;
      // Later statements revise earlier ones ("actually the budget got cut to 50k").
      const revision = /\b(?:now|actually|revised|cut|reduced|increased|down to|up to)\b/i.test(clause);
      if (!best || sc >= best.score || (sc >= 4 && revision)) best = { s, money, score: sc };
    }
  }
  if (!best) return null;
  return {
    budget: { amount: best.money.amount, currency: best.money.currency ?? defaultCurrency, evidence: evidenceForSentence(best.s) },
    confidence: Math.min(0.95, 0.5 + best.score * 0.07),
  };
}
