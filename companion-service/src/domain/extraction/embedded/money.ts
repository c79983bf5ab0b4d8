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
  /** "54,000" with no currency or scale: money only where the words around say so. */
  bare: boolean;
  start: number;
  end: number;
}

const SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  US$: 'USD',
  A$: 'AUD',
  C$: 'CAD',
};
const CODES =
  /^(usd|eur|gbp|cad|aud|chf|jpy|inr|sek|nok|dkk|zar|aed|mxn|pln|sgd|hkd|nzd|brl|cny|krw|try|czk|huf|ils|sar|qar)$/i;
const WORDS: [RegExp, string][] = [
  [/^(?:swiss )?francs?$/i, 'CHF'],
  [/^rand$/i, 'ZAR'],
  [/^dirhams?$/i, 'AED'],
  [/^(?:mexican )?pesos$/i, 'MXN'],
  [/^(?:zloty|złoty|zlotys)$/i, 'PLN'],
  [/^yen$/i, 'JPY'],
  [/^(?:rupees?)$/i, 'INR'],
  [/^(?:kronor|kroner|krona|krone)$/i, 'SEK'],
  [/^(?:reais|reals?)$/i, 'BRL'],
  [/^(dollars?|bucks)$/i, 'USD'],
  [/^euros?$/i, 'EUR'],
  [/^(pounds?|quid)$/i, 'GBP'],
];
const SCALE: Record<string, number> = {
  k: 1e3,
  K: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  M: 1e6,
  mm: 1e6,
  MM: 1e6,
  mil: 1e6,
  million: 1e6,
  b: 1e9,
  B: 1e9,
  bn: 1e9,
  billion: 1e9,
};
const UNITS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
// At most twelve words ("one hundred and twenty five thousand" is six), so a run of number words
// costs a bounded amount per word; "a half" is "a" then "half", never a word of its own, or the
// engine could split "a half a half ..." two ways at each step and backtrack exponentially.
const SPELLED = String.raw`(?:(?:point|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and|half|couple(?: of)?)[\s-]*){1,12}`;

/** "eighty-five" → 85, "one hundred and fifty" → 150, "a couple hundred" → 200, "half a" → 0.5. */
export function parseSpelledNumber(text: string): number | null {
  // "one and a half" is 1.5: the half is added after the whole number is read.
  const half = /\band a half\b/i.test(text);
  const words = text
    .toLowerCase()
    .replace(/\band a half\b/, '')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter((w) => w && w !== 'and' && w !== 'of');
  if (words.length === 0) return null;
  if (words.join(' ') === 'half' || words.join(' ') === 'a half' || words.join(' ') === 'half a') return 0.5;
  // "one point four" is 1.4: digits after "point" are read one by one.
  const point = words.indexOf('point');
  if (point > 0) {
    const whole = parseSpelledNumber(words.slice(0, point).join(' '));
    const decimals = words.slice(point + 1).map((w) => UNITS[w] ?? (w === 'zero' || w === 'oh' ? 0 : NaN));
    if (whole === null || decimals.length === 0 || decimals.some((d) => Number.isNaN(d) || d > 9))
      return null;
    return Number(`${whole}.${decimals.join('')}`);
  }
  let total = 0;
  let current = 0;
  let best = 0;
  for (const w of words) {
    // "forty and sixty" is a range, not a hundred: a second tens word starts a new number.
    if (w in TENS && current % 100 !== 0) {
      best = Math.max(best, current);
      current = 0;
    }
    if (w === 'a' && words.includes('couple')) continue;
    if (w in UNITS) current += UNITS[w]!;
    else if (w in TENS) current += TENS[w]!;
    else if (w === 'couple') current += 2;
    else if (w === 'hundred') current = (current || 1) * 100;
    else return null;
  }
  total += Math.max(current, best) + (half ? 0.5 : 0);
  return total > 0 ? total : null;
}

const MONEY = new RegExp(
  String.raw`(?<cur>US\$|A\$|C\$|[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|ZAR|AED|MXN|PLN|SGD|INR|JPY|SEK|NOK|DKK|BRL)\s?)?` +
    // (?<!\d): a number never starts inside a run of digits (no match can, since a digit follows
    // it), so a long run is read once, not once per digit. Dotted groups stop at five (1.000.000.000.000).
    String.raw`(?<num>(?<!\d)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){1,4}(?![\d.])|\d+(?:\.\d+)?)|\b${SPELLED}(?=\s?(?:thousand|grand|million|billion|k\b|dollars?|euros?|pounds?|bucks)))` +
    String.raw`\s?(?<scale>k|K|mm|MM|m|M|mil|bn|b|B|thousand|grand|million|billion)?\b` +
    String.raw`(?:\s?(?<word>dollars?|bucks|euros?|pounds?|quid|(?:swiss )?francs?|rand|dirhams?|(?:mexican )?pesos|zloty|złoty|yen|rupees?|kronor|kroner|reais|USD|EUR|GBP|CAD|AUD|CHF|ZAR|AED|MXN|PLN|SGD|INR|JPY|SEK|NOK|DKK|BRL))?`,
  'gi',
);

function numberValue(raw: string): number | null {
  if (/^\d{1,3}(?:\.\d{3})+$/.test(raw)) return Number(raw.replace(/\./g, '')); // 48.000 is European for 48,000
  if (/^\d/.test(raw)) return Number(raw.replace(/,/g, ''));
  return parseSpelledNumber(raw.trim());
}

export function findMoney(sentence: Sentence): MoneyMention[] {
  const out: MoneyMention[] = [];
  MONEY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MONEY.exec(sentence.text))) {
    const g = m.groups!;
    const cur = g.cur?.trim();
    const scale = g.scale;
    const word = g.word;
    // A bare number is money only with a currency, a money scale ("80k"), or thousands separators
    // ("54,000"); the last must then score higher (see extractBudget).
    const grouped = /^\d{1,3}(?:,\d{3})+$/.test(g.num!) && !scale;
    if (
      !cur &&
      !word &&
      !grouped &&
      !(scale && /^(k|K|mm|MM|M|mil|bn|grand|thousand|million|billion)$/.test(scale))
    )
      continue;
    if (
      !cur &&
      !word &&
      /^(thousand|million|billion)$/.test(scale ?? '') &&
      !/\$|budget|spend|cost|price|dollar|euro|pound/i.test(sentence.text)
    )
      continue;
    const base = numberValue(g.num!);
    if (base === null || !Number.isFinite(base) || base <= 0) continue;
    const amount = Math.round(base * (scale ? SCALE[scale]! : 1) * 100) / 100;
    let currency: string | null = cur ? (SYMBOLS[cur] ?? (CODES.test(cur) ? cur.toUpperCase() : null)) : null;
    if (!currency && word)
      currency = CODES.test(word) ? word.toUpperCase() : (WORDS.find(([re]) => re.test(word))?.[1] ?? null);
    out.push({
      amount,
      currency,
      bare: grouped && !cur && !word,
      start: sentence.start + m.index,
      end: sentence.start + m.index + m[0].trimEnd().length,
    });
  }
  return out;
}

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
    /\b(?:set aside|allocated|earmarked|approved|approval for|signed off on|green-?lit|released|freed up|unlocked|secured|committed)\b/i,
    3,
  ],
  [
    /\b(?:we(?:'ve| have)? (?:got|been given|been allocated|been approved for)|we have|I have|there(?:'s| is))\b/i,
    2,
  ],
  [/\b(?:purchase order|PO|contract|order form|signed)\b[^.]{0,30}\bfor\b/i, 3],
  [
    /\bfor (?:this|the) [\w -]{0,30}?(?:project|initiative|purchase|program|rollout|implementation|tooling|platform|switch)\b/i,
    2,
  ],
  [
    /\b(?:can|could|able to|willing to|prepared to|plan to|planning to|looking to) (?:spend|invest|pay|go up to|stretch to)\b/i,
    4,
  ],
  [/\b(?:up to|no more than|cap(?:ped)? at|ceiling|max(?:imum)?|not to exceed|tops?)\b/i, 2],
  [/\b(?:spend|afford|investment|for this (?:project|purchase|initiative))\b/i, 1],
  [/^\s*(?:budget|money)\s*[:=-]/i, 4],
  [/(?:^|\s)\$\$(?=[\s:=~-]|$)/, 4],
];
const NEGATIVE: [RegExp, number][] = [
  [
    /\b(?:no (?:actual )?budget|didn't give (?:me |us )?(?:an? )?(?:actual )?(?:budget|number)|up for review|under review|could we get it under|get it under)\b/i,
    -5,
  ],
  [/\bin [\w-]+ (?:sales|revenue|turnover)\b|\bsales a year\b/i, -6],
  // Money that is gone or never was: "the 250k we'd set aside is gone", "if they ever got budget".
  [
    /\b(?:is gone|was gone|(?:been |was |got )?pulled(?: back)?|no longer (?:there|available)|redirected|reallocated|clawed back|taken away|was cut(?! to| down to)|got cut(?! to| down to)|disappeared)\b/i,
    -7,
  ],
  [/\bif they ever|\bif we ever|\bwould be like|\bnot real\b|\bwouldn't commit|\bhypothetical/i, -5],
  [
    /\b(?:revenue|arr|mrr|turnover|sales of|valuation|raised (?:a |our |their )?(?:series|round|seed|funding|capital|\$|€|£|\d)|funding|series [a-e]|round|ipo|market cap|profit|ebitda|gmv)\b/i,
    -6,
  ],
  [
    /\b(?:employees|headcount|staff|people|salary|salaries|per hour|hourly|per month per|per seat|per user|per license|a seat|each seat)\b/i,
    -3,
  ],
  [
    /\b(?:quoted|quote from|quote came in|came in at|offered us|their price|their pricing|charging us|charges|list price|sticker price|msrp|rack rate)\b/i,
    -3,
  ],
  [/\b(?:last year|previous(?:ly)?|used to|in 20\d\d|historically|paid (?:for|to) )\b/i, -2],
  [/\b(?:lost|losing|cost(?:s|ing)? us|wasted|waste|fines?|penalt(?:y|ies)|savings?|save|saving)\b/i, -2],
  [/\b(?:GDP|gross domestic product)\b/i, -6],
  [
    /\b(?:our|the|my) (?:proposal|quote|price|pricing|offer|list price)\b|\bwe (?:quoted|proposed|offered)\b|\bforecast\b|\bproposal (?:was|is|came|at)\b/i,
    -3,
  ],
  [
    /\b(?:our|the|my) (?:proposal|quote|price|pricing|offer|list price)\b|\bwe (?:quoted|proposed|offered)\b|\bforecast\b|\bproposal (?:was|is|came|at)\b/i,
    -3,
  ],
];

function score(text: string): number {
  let total = 0;
  for (const [re, w] of POSITIVE) if (re.test(text)) total += w;
  for (const [re, w] of NEGATIVE) if (re.test(text)) total += w;
  return total;
}

/** An amount followed by a unit counts things, not money ("54,000 orders", "2,000 employees"). */
const COUNTED =
  /^\s*(?:units?|items?|orders?|tickets?|calls|requests|transactions|records|rows|users|employees|people|customers|stores|locations|sq ?ft|miles|km|hours|minutes|days)\b/i;
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

/**
 * The clause around an amount: "their quote came in at €82,000, but our budget is €75,000" is two
 * claims. The breaks are found once per sentence and looked up per amount, so a long sentence full
 * of amounts costs its length, not its length times its amounts.
 */
function clauseAround(
  sentence: Sentence,
  money: MoneyMention,
  breaks: ReturnType<typeof clauseBreaks>,
): string {
  const at = money.start - sentence.start;
  const atEnd = money.end - sentence.start;
  // The clause opens after the last break that ends before the amount, and closes at the first that starts after it.
  const before = firstAtLeast(breaks.ends, at + 1) - 1;
  const after = firstAtLeast(breaks.starts, atEnd);
  const from = before >= 0 ? breaks.ends[before]! : 0;
  const to = after < breaks.starts.length ? breaks.starts[after]! : sentence.text.length;
  // Dictated memos run on without punctuation: never look further than a few words either side.
  return sentence.text.slice(Math.max(from, at - 70), Math.min(to, atEnd + 50));
}

export interface BudgetResult {
  budget: Budget;
  confidence: number;
}

export function extractBudget(
  sentences: Sentence[],
  defaultCurrency: string,
  competitorSentence: (s: Sentence) => boolean,
): BudgetResult | null {
  let best: { s: Sentence; money: MoneyMention; score: number } | null = null;
  for (const s of sentences) {
    if (s.isQuestion) continue;
    const mentions = findMoney(s);
    if (mentions.length === 0) continue;
    const sentenceTalksBudget = /\bbudget/i.test(s.text);
    // A notes key ("budget: 250K USD, FY26") speaks for the whole line.
    const keyed = /^\s*(?:budget|\$\$|money|spend)\s*[:=-]/i.test(s.text) ? 4 : 0;
    const aboutCompetitor = competitorSentence(s);
    const breaks = clauseBreaks(s.text);
    // Scored once per sentence, not once per amount in it.
    let sentenceScore: number | null = null;
    for (const money of mentions) {
      const clause = clauseAround(s, money, breaks);
      if (COUNTED.test(s.text.slice(money.end - s.start))) continue;
      const own = score(clause) + (HOLDING.test(clause) ? 2 : 0);
      // Cues elsewhere in the sentence lend weight to a neutral clause ("PO issued, 54,000, finance released").
      const lent = own >= 0 ? Math.max(0, (sentenceScore ??= score(s.text)) - own) * 0.75 : 0;
      // "The budget's there, 45 thousand": the budget word speaks for amounts in clauses that object to nothing.
      let sc = keyed + own + lent + (sentenceTalksBudget && !/\bbudget/i.test(clause) && own >= 0 ? 3 : 0);
      if (aboutCompetitor && !/\bbudget/i.test(clause)) sc -= 3;
      if (money.bare) sc -= 1;
      if (sc < 3) continue;
      // Later statements revise earlier ones ("actually the budget got cut to 50k").
      const revision = /\b(?:now|actually|revised|cut|reduced|increased|down to|up to)\b/i.test(clause);
      if (!best || sc > best.score || (sc === best.score && best.s !== s) || (sc >= 4 && revision))
        best = { s, money, score: sc };
    }
  }
  if (!best) return null;
  return {
    budget: {
      amount: best.money.amount,
      currency: best.money.currency ?? defaultCurrency,
      evidence: evidenceForSentence(best.s),
    },
    confidence: Math.min(0.95, 0.5 + best.score * 0.07),
  };
}
