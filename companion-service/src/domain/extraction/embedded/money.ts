import type { Sentence } from '../../text/sentences.js';
import { SPELLED, parseSpelledNumber, readSpelledNumbers } from './spelled-numbers.js';

export { parseSpelledNumber } from './spelled-numbers.js';

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
  NZ$: 'NZD',
  S$: 'SGD',
  HK$: 'HKD',
  R$: 'BRL',
  COL$: 'COP',
};
const CODES =
  /^(usd|eur|gbp|cad|aud|chf|jpy|inr|sek|nok|dkk|zar|aed|mxn|pln|sgd|hkd|nzd|brl|cny|krw|try|czk|huf|ils|sar|qar|cop|clp|ars|pen|php|rmb)$/i;
/**
 * Dollars and pesos belong to many countries: "Colombian pesos" are COP, "Canadian dollars" CAD. The
 * bare word keeps the reading it had ("pesos" alone MXN, "dollars" alone the org's dollar, USD).
 */
const NATIONAL: [RegExp, string][] = [
  [/^colombian pesos?$/i, 'COP'],
  [/^chilean pesos?$/i, 'CLP'],
  [/^argentin(?:e|ian) pesos?$/i, 'ARS'],
  [/^philippine pesos?$/i, 'PHP'],
  [/^(?:canadian|cdn) dollars?$/i, 'CAD'],
  [/^(?:australian|aussie) dollars?$/i, 'AUD'],
  [/^(?:new zealand|nz) dollars?$/i, 'NZD'],
  [/^singapore dollars?$/i, 'SGD'],
  [/^hong kong dollars?$/i, 'HKD'],
  [/^(?:us|u\.s\.|american) dollars?$/i, 'USD'],
];
const WORDS: [RegExp, string][] = [
  ...NATIONAL,
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
const MONEY = new RegExp(
  String.raw`(?<cur>US\$|A\$|C\$|(?<![A-Za-z])(?:NZ|S|HK|R|COL)\$|[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|NZD|CHF|ZAR|AED|MXN|COP|CLP|ARS|PEN|PHP|PLN|SGD|HKD|INR|JPY|SEK|NOK|DKK|BRL|CNY|RMB)\s?)?` +
    // (?<!\d): a number never starts inside a run of digits (no match can, since a digit follows
    // it), so a long run is read once, not once per digit. Dotted groups stop at five (1.000.000.000.000).
    String.raw`(?<num>(?<!\d)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){1,4}(?![\d.])|\d+(?:\.\d+)?)|\b${SPELLED}(?=\s?(?:thousand|grand|million|billion|k\b|dollars?|euros?|pounds?|bucks)))` +
    String.raw`\s?(?<scale>k|K|mm|MM|m|M|mil|bn|b|B|thousand|grand|million|billion)?\b` +
    String.raw`(?:\s?(?<word>(?:(?:us|u\.s\.|american|canadian|cdn|australian|aussie|new zealand|nz|singapore|hong kong) )?dollars?|bucks|euros?|pounds?|quid|(?:swiss )?francs?|rand|dirhams?|(?:(?:mexican|colombian|chilean|argentine|argentinian|philippine) )?pesos|zloty|złoty|yen|rupees?|kronor|kroner|reais|USD|EUR|GBP|CAD|AUD|NZD|CHF|ZAR|AED|MXN|COP|CLP|ARS|PEN|PHP|PLN|SGD|HKD|INR|JPY|SEK|NOK|DKK|BRL|CNY|RMB|€|£))?`,
  'gi',
);

/** An ISO 4217 code as written; "RMB" is what people call the yuan, CNY. */
function codeOf(written: string): string | null {
  if (!CODES.test(written)) return null;
  return written.toUpperCase() === 'RMB' ? 'CNY' : written.toUpperCase();
}

/** Han characters with no Japanese kana beside them. */
const CHINESE = /^(?=[^]*\p{Script=Han})(?![^]*[\p{Script=Hiragana}\p{Script=Katakana}])/u;

function numberValue(raw: string): number | null {
  if (/^\d{1,3}(?:\.\d{3})+$/.test(raw)) return Number(raw.replace(/\./g, '')); // 48.000 is European for 48,000
  if (/^\d/.test(raw)) return Number(raw.replace(/,/g, ''));
  return parseSpelledNumber(raw.trim());
}

/** The hundreds said after "thousand": " five hundred dollars", " and fifty". */
const HUNDREDS_AFTER =
  /^[\s-]+(?:and[\s-]+)?(?<words>(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)[\s-]+){0,5}(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred))\b(?:\s?(?<word>dollars?|bucks|euros?|pounds?))?/i;

/** Words that make "40 thousand" without a currency an amount of money. */
const MONEY_TALK =
  /\$|budget|money|spend|cost|price|dollar|euro|pound|approv|sign|commit|afford|invest|allocat|contract|work with|(?:set|put) aside|earmark|financ|green.?l(?:ight|it)|capex|opex|ceiling|\bpa(?:y|id)\b|quot|ballpark|\brange\b|looking at|all[- ]in|(?:keep|stay|be|land) (?:it |this |us |things )?(?:at or )?(?:under|below|within)|no more than|at most|up to|the most|\bfor (?:this|it)\b|\b(?:go|going|be|spend|pay) (?:above|over|beyond|past|higher than)\b|\bexceed|\b(?:we|they|I)(?:'ve| have)? (?:have|got)\b|\bcan do\b|\bstretch/i;

export function findMoney(sentence: Sentence): MoneyMention[] {
  const out: MoneyMention[] = [];
  // Read once per sentence, not once per amount: "1 thousand" said a thousand times in one long
  // sentence made this quadratic.
  let talks: boolean | undefined;
  const talksMoney = () => (talks ??= MONEY_TALK.test(sentence.text));
  let chinese: boolean | undefined;
  MONEY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MONEY.exec(sentence.text))) {
    const g = m.groups!;
    const cur = g.cur?.trim();
    const scale = g.scale;
    let word = g.word;
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
    // "thirty and forty thousand" is two numbers sharing a scale: the amount is the one the scale
    // follows, and the one before is left to findMoneyRanges as the low end.
    const numAt = m.index + (g.cur?.length ?? 0);
    let from = m.index;
    let base: number | null;
    if (/^\d/.test(g.num!)) base = numberValue(g.num!);
    else {
      const spelled = readSpelledNumbers(g.num!);
      const last = spelled?.[spelled.length - 1];
      base = last?.value ?? null;
      if (last && spelled!.length > 1) from = numAt + last.start;
    }
    if (base === null || !Number.isFinite(base) || base <= 0) continue;
    let amount = Math.round(base * (scale ? SCALE[scale]! : 1) * 100) / 100;
    let end = m.index + m[0].trimEnd().length;
    // "eighty-two thousand five hundred dollars": the hundreds said after the thousands belong to them.
    if (/^thousand$/i.test(scale ?? '') && !word) {
      const rest = HUNDREDS_AFTER.exec(sentence.text.slice(end, end + 60));
      const hundreds = rest ? parseSpelledNumber(rest.groups!.words!) : null;
      // Only with "hundred" or a currency after: "forty thousand two years ago" is forty thousand.
      const said = rest && (/hundred/i.test(rest.groups!.words!) || rest.groups!.word);
      if (said && hundreds !== null && hundreds < 1000 && Number.isInteger(hundreds)) {
        amount += hundreds;
        end += rest!.groups!.word ? rest![0].length : rest![0].trimEnd().length;
        word = rest!.groups!.word ?? word;
        MONEY.lastIndex = end;
      }
    }
    let currency: string | null = cur ? (SYMBOLS[cur] ?? codeOf(cur)) : null;
    // "¥" is the yen and the yuan: in Chinese (Han without Japanese kana) it is the yuan.
    if (cur === '¥' && (chinese ??= CHINESE.test(sentence.text))) currency = 'CNY';
    if (!currency && word) currency = codeOf(word) ?? WORDS.find(([re]) => re.test(word!))?.[1] ?? null;
    out.push({
      amount,
      currency,
      bare: grouped && !cur && !word,
      start: sentence.start + from,
      end: sentence.start + end,
    });
  }
  return out;
}

/**
 * The currency a conversation speaks in: the one currency its amounts name, when they name exactly
 * one. "95 mil euros ... podemos llegar a 80 mil" is in euros, whatever the org's default; a
 * conversation naming two currencies, or none, leaves an amount without one to the default.
 */
export class ConversationCurrency {
  private named: string | null = null;
  private mixed = false;

  note(currency: string | null): void {
    if (!currency || this.mixed) return;
    if (this.named === null) this.named = currency;
    else if (this.named !== currency) this.mixed = true;
  }

  or(fallback: string): string {
    return this.mixed || this.named === null ? fallback : this.named;
  }
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
 * "from 1.2 to", "between thirty and". The low end may leave its scale and currency to the high end ("50-70k"
 * is 50k to 70k, "thirty to forty thousand" 30k to 40k).
 */
const RANGE_LEFT = new RegExp(
  String.raw`(?<opener>\bbetween\s+|\bfrom\s+|\banywhere\s+from\s+)?(?<low>(?<cur>US\$|A\$|C\$|[$€£¥₹])?(?:(?<num>(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){1,4}|\d+(?:\.\d+)?))|(?<spelled>\b${SPELLED}))(?:\s?(?<scale>k|mm|m|mil|bn|thousand|grand|million|billion)\b)?)\s*(?<link>-|–|—|to|and)\s*$`,
  'i',
);
/** "went from 50k to 70k" is a change, not a range. */
const CHANGE_BEFORE =
  /\b(?:went|go(?:es|ne)?|increas\w*|grew|grow\w*|rais\w*|cut|dropp?\w*|reduc\w*|bump\w*|jump\w*|mov\w*|chang\w*|lower\w*|slash\w*|up|down)\s+(?:\w+\s+){0,2}$/i;
/** How far before the high end its low end may start: "between one hundred and twenty and " is 35 characters. */
const RANGE_REACH = 60;
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
    const before = sentence.text.slice(Math.max(0, at - RANGE_REACH), at);
    const m = RANGE_LEFT.exec(before);
    if (!m) continue;
    const g = m.groups!;
    const link = g.link!.toLowerCase();
    const opener = g.opener?.trim().toLowerCase();
    // "50 and 70k" is a range only after "between"; "and" alone joins two separate amounts.
    if (link === 'and' && opener !== 'between') continue;
    let leftStart = at - before.length + m.index + (g.opener?.length ?? 0);
    let written = g.low!.trimEnd();
    if (opener === 'from' && CHANGE_BEFORE.test(sentence.text.slice(Math.max(0, leftStart - 40), leftStart)))
      continue;
    let base: number | null;
    if (g.num) base = numberValue(g.num);
    else {
      // Of "between twenty and thirty and forty", the low end is the number next to the link.
      const spelled = readSpelledNumbers(g.spelled!);
      const last = spelled?.[spelled.length - 1];
      base = last?.value ?? null;
      if (last) {
        const lead = (g.cur?.length ?? 0) + last.start;
        leftStart += lead;
        written = written.slice(lead);
      }
    }
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
      end: sentence.start + leftStart + written.length,
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
