import { SPANISH_SPELLED, parseSpanishNumber } from './spanish-numbers.js';
import type { MoneyMention } from '../money.js';

/**
 * Amounts as Spanish and Chinese write them, read into the same mentions money.ts gives for
 * English: "85.000 €", "1.200.000,50 €" and "1,200,000.50" (each locale's thousands separators, told
 * apart by which separator comes last and how many digits follow it), "120 mil euros", "2,5
 * millones de pesos", "36万元人民币", "¥1.2亿", "RMB 500,000", "三十万元".
 */

const CURRENCY_CODES = /^(?:USD|EUR|GBP|CNY|RMB|MXN|COP|CLP|ARS|PEN|JPY|HKD|TWD|SGD)$/i;

/** The currency a word or symbol names. */
function currencyOf(raw: string | undefined): string | null {
  if (!raw) return null;
  const t = raw.trim().toLowerCase();
  if (!t) return null;
  if (/^(?:€|euros?|欧元)$/.test(t)) return 'EUR';
  if (/^(?:us\$|usd|dólares?(?: estadounidenses)?|美元|美金)$/.test(t)) return 'USD';
  if (/^(?:¥|￥|rmb|cny|元|块|块钱|人民币|元人民币)$/.test(t)) return 'CNY';
  if (/^(?:£|libras?|英镑)$/.test(t)) return 'GBP';
  if (/^pesos? colombianos?$/.test(t)) return 'COP';
  if (/^pesos? chilenos?$/.test(t)) return 'CLP';
  if (/^pesos? argentinos?$/.test(t)) return 'ARS';
  if (/^(?:pesos? mexicanos?|mxn)$/.test(t)) return 'MXN';
  if (/^pesos?$/.test(t)) return null; // whose pesos: the country the conversation is in says which
  if (/^soles?$/.test(t)) return 'PEN';
  if (t === '$') return null; // dollars or pesos: the org's currency says which
  if (CURRENCY_CODES.test(t)) return t.toUpperCase() === 'RMB' ? 'CNY' : t.toUpperCase();
  return null;
}

/**
 * A written number in either notation: the separator that comes last is the decimal one when one
 * or two digits follow it ("1.200.000,50", "2,5"), a thousands one when three do ("85.000",
 * "1,200,000"); a lone separator before three digits is read as thousands ("85.000", "120,000").
 */
export function localeNumber(raw: string): number | null {
  const lastDot = raw.lastIndexOf('.');
  const lastComma = raw.lastIndexOf(',');
  const last = Math.max(lastDot, lastComma);
  if (last < 0) return Number(raw);
  const decimals = raw.length - last - 1;
  const sep = raw[last]!;
  const other = sep === '.' ? ',' : '.';
  let normalized: string;
  if (decimals === 3 && !raw.slice(0, last).includes(other)) {
    // "85.000", "1,200,000", "1.250.000": every separator groups thousands.
    const groups = raw.split(sep);
    if (groups.slice(1).some((g) => g.length !== 3)) return null;
    normalized = groups.join('');
  } else {
    normalized = raw.split(other).join('').replace(sep, '.');
  }
  const n = Number(normalized);
  return Number.isFinite(n) ? n : null;
}

const ZH_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** "三十六" → 36, "一百二十" → 120, "两千五百" → 2500: the part below 万. */
export function chineseNumber(raw: string): number | null {
  let total = 0;
  let digit = 0;
  for (const ch of raw) {
    if (ch in ZH_DIGITS) digit = ZH_DIGITS[ch]!;
    else if (ch in ZH_UNITS) {
      total += (digit || 1) * ZH_UNITS[ch]!;
      digit = 0;
    } else return null;
  }
  return total + digit || null;
}

const NUM = String.raw`(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?(?![\d])|(?<![\d.,])\d+(?:[.,]\d{1,2})?(?![\d.,]?\d)`;

/** Spanish: "€ 85.000", "85.000 €", "120 mil euros", "2,5 millones de pesos", "US$ 40.000". */
const SPANISH_MONEY = new RegExp(
  String.raw`(?<pre>US\$|€|\$|£|\b(?:USD|EUR|MXN|COP|CLP|ARS|PEN)\s?)?\s?(?<num>${NUM}|${SPANISH_SPELLED})\s?(?<scale>mil millones|millones|millón|mil|k)?(?![\p{L}\p{N}])\s?(?:de\s+)?(?<post>€|euros?|dólares?(?: estadounidenses)?|pesos?(?: mexicanos?| colombianos?| chilenos?| argentinos?)?|soles?|libras?|USD|EUR|MXN|COP|CLP|ARS|PEN)?`,
  'giu',
);

/** Chinese: "36万元人民币", "¥1.2亿", "RMB 500,000", "三十万元", "45万". */
const CHINESE_MONEY = new RegExp(
  String.raw`(?<pre>¥|￥|\$|€|RMB\s?|CNY\s?|USD\s?|人民币\s?)?(?<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s?(?<scale>万亿|亿|万|千)?(?<post>元人民币|元|块钱|块|人民币|美元|美金|欧元|英镑|RMB|CNY)?`,
  'gu',
);

const SCALES: Record<string, number> = {
  mil: 1e3,
  k: 1e3,
  millón: 1e6,
  millones: 1e6,
  'mil millones': 1e9,
  'm€': 1e6,
  千: 1e3,
  万: 1e4,
  亿: 1e8,
  万亿: 1e12,
};

/** A number as written: digits in the language's grouping, or Spanish or Chinese words. */
function numberOf(written: string, locale: 'es' | 'zh'): number | null {
  if (/^\d/.test(written)) return locale === 'es' ? localeNumber(written) : Number(written.replace(/,/g, ''));
  return locale === 'es' ? parseSpanishNumber(written) : chineseNumber(written);
}

/** "300 millones de pesos": pesos with no country named. */
export const saysPesos = (written: string) => /pesos?$/i.test(written);

export interface LocaleMoney extends MoneyMention {
  /** The text the amount was read from, as written. */
  text: string;
}

/**
 * Every amount of money a Spanish or Chinese text states, with offsets relative to `offset`. A
 * bare number is money only with a currency or a money scale (万, mil, millones); a Chinese
 * number needs 万/亿 or a currency, since "80个销售" counts people.
 */
export function findLocaleMoney(text: string, locale: 'es' | 'zh', offset = 0): LocaleMoney[] {
  const re = locale === 'es' ? SPANISH_MONEY : CHINESE_MONEY;
  const out: LocaleMoney[] = [];
  // Read once per text, not once per amount: a long text of "7 mil" would otherwise be read again for each.
  let talks: boolean | undefined;
  const talksMoney = () =>
    (talks ??=
      /presupuest|invert|gast|pag|cost|precio|contrato|oferta|propuesta|llegar a|ir hasta|máximo|tope|aprob|reservad|asignad|disponib|dinero|fondos/i.test(
        text,
      ));
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const g = m.groups!;
    const scale = g.scale?.toLowerCase();
    const currency = currencyOf(g.pre) ?? currencyOf(g.post);
    const symbol = Boolean(g.pre?.trim() || g.post);
    if (!symbol && !scale) continue;
    // "mil" alone is a thousand things ("10 mil usuarios"): money only beside a currency or a money word.
    if (!symbol && locale === 'es' && !talksMoney()) continue;
    const base = numberOf(g.num!, locale);
    if (base === null || base <= 0) continue;
    const amount = Math.round(base * (scale ? SCALES[scale]! : 1) * 100) / 100;
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].trimEnd().length;
    out.push({
      amount,
      currency,
      bare: false,
      start: offset + start,
      end: offset + end,
      text: text.slice(start, end),
    });
  }
  return out;
}

/** Two amounts said as one span, in Spanish or Chinese: "entre 30 y 40 mil euros", "30万到35万", "30到35万". */
export interface LocaleRange {
  low: LocaleMoney;
  high: LocaleMoney;
}

/**
 * The words before an amount that make it the top of a range. The low end may leave its scale and
 * currency to the high end ("entre 30 y 40 mil euros" is 30,000 to 40,000; "30到35万" 300,000 to
 * 350,000). A Spanish "y" joins a range only after "entre"; alone it joins two amounts.
 */
const SPANISH_LOW = new RegExp(
  String.raw`(?<opener>\bentre\s+|\bde\s+|\bdesde\s+)?(?<low>(?:US\$|€|\$|£)?\s?(?<num>(?<![\d.,])\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|${SPANISH_SPELLED})\s?(?<scale>mil millones|millones|millón|mil|k)?(?:\s?(?:€|euros?|dólares?))?)\s*(?<join>y|a|-|–|hasta)\s*$`,
  'iu',
);
const CHINESE_LOW =
  /(?<opener>)(?<low>(?:¥|￥|\$|€|RMB\s?|人民币\s?)?(?<num>(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s?(?<scale>万亿|亿|万|千)?(?:元|块)?)\s*(?<join>到|至|-|–|~|～)\s*$/u;
const SCALE_IN = { es: /(mil millones|millones|millón|mil|k)(?![\p{L}])/iu, zh: /(万亿|亿|万|千)/u };
/** A range whose ceiling is more than this many times its floor is two separate numbers. */
const WIDEST_RANGE = 5;
/**
 * "Pasó de 30.000 a 40.000" is a change, not a range. (Chinese says a change with its verb between
 * the amounts, "从30万涨到40万", which no range join matches.)
 */
const CHANGE_BEFORE =
  /(?:^|[^\p{L}])(?:pas(?:ó|amos|aron)|sub(?:ió|imos|ieron)|baj(?:ó|amos|aron)|aument\p{L}*|reduj\p{L}*|redujo|recort\p{L}*|cambi\p{L}*)\s+(?:\S+\s+){0,2}$/iu;

/** Every range of money in a Spanish or Chinese text, with offsets relative to `offset`. */
export function findLocaleRanges(
  text: string,
  locale: 'es' | 'zh',
  offset = 0,
  money = findLocaleMoney(text, locale, offset),
): LocaleRange[] {
  const out: LocaleRange[] = [];
  for (const high of money) {
    const at = high.start - offset;
    const before = text.slice(Math.max(0, at - 40), at);
    const m = (locale === 'es' ? SPANISH_LOW : CHINESE_LOW).exec(before);
    if (!m) continue;
    const g = m.groups!;
    if (locale === 'es' && g.join!.toLowerCase() === 'y' && g.opener?.trim().toLowerCase() !== 'entre')
      continue;
    const lead = text.slice(Math.max(0, at - before.length + m.index - 30), at - before.length + m.index);
    if (locale === 'es' && CHANGE_BEFORE.test(lead)) continue;
    const base = numberOf(g.num!, locale);
    if (base === null || base <= 0) continue;
    const scaleWord = g.scale?.toLowerCase() ?? SCALE_IN[locale].exec(high.text)?.[1]?.toLowerCase();
    const amount = Math.round(base * (scaleWord ? SCALES[scaleWord]! : 1) * 100) / 100;
    if (!(amount < high.amount) || high.amount / amount > WIDEST_RANGE) continue;
    const written = g.low!.trim();
    const start =
      offset +
      at -
      before.length +
      m.index +
      (g.opener?.length ?? 0) +
      (g.low!.length - g.low!.trimStart().length);
    out.push({
      low: {
        amount,
        currency: high.currency,
        bare: false,
        start,
        end: start + written.length,
        text: written,
      },
      high,
    });
  }
  return out;
}
