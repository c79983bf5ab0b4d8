import type { Sentence } from '../../text/sentences.js';

/**
 * Amounts of money as written: $120k, 1.2M, "80 thousand euros", £50,000, €48.000, and ranges of
 * them ("between 50 and 70k"). What an amount is for (a budget, a price, revenue) is budget.ts's call.
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
  // Written after the amount, as much of Europe does: "75.000 €", "80k€".
  [/^€$/, 'EUR'],
  [/^£$/, 'GBP'],
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
    String.raw`(?:\s?(?<word>dollars?|bucks|euros?|pounds?|quid|(?:swiss )?francs?|rand|dirhams?|(?:mexican )?pesos|zloty|złoty|yen|rupees?|kronor|kroner|reais|USD|EUR|GBP|CAD|AUD|CHF|ZAR|AED|MXN|PLN|SGD|INR|JPY|SEK|NOK|DKK|BRL|€|£))?`,
  'gi',
);

function numberValue(raw: string): number | null {
  if (/^\d{1,3}(?:\.\d{3})+$/.test(raw)) return Number(raw.replace(/\./g, '')); // 48.000 is European for 48,000
  if (/^\d/.test(raw)) return Number(raw.replace(/,/g, ''));
  return parseSpelledNumber(raw.trim());
}

/** Words that make "40 thousand" without a currency an amount of money. */
const MONEY_TALK =
  /\$|budget|spend|cost|price|dollar|euro|pound|approv|sign|commit|afford|invest|allocat|contract|work with|set aside|earmark/i;

export function findMoney(sentence: Sentence): MoneyMention[] {
  const out: MoneyMention[] = [];
  // Read once per sentence, not once per amount: "1 thousand" said a thousand times in one long
  // sentence made this quadratic.
  let talks: boolean | undefined;
  const talksMoney = () => (talks ??= MONEY_TALK.test(sentence.text));
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
    if (!cur && !word && /^(thousand|million|billion)$/.test(scale ?? '') && !talksMoney()) continue;
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

/** Two amounts said as one span: the budget is somewhere between them. */
export interface MoneyRange {
  low: MoneyMention;
  high: MoneyMention;
  start: number;
  end: number;
}

/**
 * The words just before an amount that make it the top of a range: "between 50 and", "$50-", "200 to",
 * "from 1.2 to". The low end may leave its scale and currency to the high end ("50-70k" is 50k to 70k).
 */
const RANGE_LEFT = new RegExp(
  String.raw`(?<opener>\bbetween\s+|\bfrom\s+|\banywhere\s+from\s+)?(?<low>(?<cur>US\$|A\$|C\$|[$€£¥₹])?(?<num>(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){1,4}|\d+(?:\.\d+)?))(?:\s?(?<scale>k|mm|m|mil|bn|thousand|grand|million|billion)\b)?)\s*(?<link>-|–|—|to|and)\s*$`,
  'i',
);
/** "went from 50k to 70k" is a change, not a range. */
const CHANGE_BEFORE =
  /\b(?:went|go(?:es|ne)?|increas\w*|grew|grow\w*|rais\w*|cut|dropp?\w*|reduc\w*|bump\w*|jump\w*|mov\w*|chang\w*|lower\w*|slash\w*|up|down)\s+(?:\w+\s+){0,2}$/i;
/** A range whose ceiling is more than this many times its floor is two separate numbers ("version 5 - 70k"). */
const WIDEST_RANGE = 5;

/**
 * Every range of money in a sentence: "between 50 and 70k", "$200,000 to $250,000", "in the 1-1.5M
 * range". Each end is an amount of its own, so a quote stating the range bears out both.
 */
export function findMoneyRanges(sentence: Sentence, mentions = findMoney(sentence)): MoneyRange[] {
  const out: MoneyRange[] = [];
  for (const high of mentions) {
    const at = high.start - sentence.start;
    const before = sentence.text.slice(Math.max(0, at - 40), at);
    const m = RANGE_LEFT.exec(before);
    if (!m) continue;
    const g = m.groups!;
    const link = g.link!.toLowerCase();
    const opener = g.opener?.trim().toLowerCase();
    // "50 and 70k" is a range only after "between"; "and" alone joins two separate amounts.
    if (link === 'and' && opener !== 'between') continue;
    const leftStart = at - before.length + m.index + (g.opener?.length ?? 0);
    if (opener === 'from' && CHANGE_BEFORE.test(sentence.text.slice(Math.max(0, leftStart - 40), leftStart)))
      continue;
    const base = numberValue(g.num!);
    if (base === null || base <= 0) continue;
    const highScale = scaleOf(sentence.text.slice(at, high.end - sentence.start));
    const scale = g.scale ? (SCALE[g.scale] ?? SCALE[g.scale.toLowerCase()]!) : highScale;
    const amount = Math.round(base * scale * 100) / 100;
    if (!(amount < high.amount) || high.amount / amount > WIDEST_RANGE) continue;
    const cur = g.cur ? (SYMBOLS[g.cur] ?? null) : null;
    const currency = high.currency ?? cur;
    const low: MoneyMention = {
      amount,
      currency,
      bare: false,
      start: sentence.start + leftStart,
      end: sentence.start + leftStart + g.low!.length,
    };
    out.push({ low, high: { ...high, currency }, start: low.start, end: high.end });
  }
  return out;
}

/** The scale an amount was written with ("70k" is a thousand, "$200,000" one). */
function scaleOf(written: string): number {
  const m = /(?:\d|\b)\s?(k|K|mm|MM|m|M|mil|bn|b|B|thousand|grand|million|billion)\b/.exec(written);
  return m ? SCALE[m[1]!]! : 1;
}
