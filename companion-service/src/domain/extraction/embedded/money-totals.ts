import type { Sentence } from '../../text/sentences.js';
import type { MoneyMention } from './money.js';
import { readSpelledNumbers } from './spelled-numbers.js';

/**
 * Amounts a conversation states without writing them out whole: a price per seat times the seats
 * ("$300 a seat per year, and it's 120 seats" is $36,000), and a figure said without its scale after
 * amounts that carry one ("the $110K in your proposal ... we can do 90" is $90,000).
 */

/** An amount made of written terms: the words it is read from are not cues about it. */
export interface MoneyTotal extends MoneyMention {
  /** Where each written term of the amount is (the price per unit, the count). */
  terms: { start: number; end: number }[];
}

/** What a price is per: a seat, a user, a licence... (singular, as "per seat" says it). */
const UNIT = String.raw`seat|user|licen[cs]e|agent|rep|head|employee|member|driver|device|endpoint|location|site|store|vehicle|truck|bed|student|clinician|technician|learner|editor|admin|account|mailbox|node`;
/** "$300 a seat", "$40 per user per year", "$25/user/yr", "€12 each". Monthly prices are left alone: a month is not what is bought. */
const PER_UNIT = new RegExp(
  String.raw`^\s*(?:(?:a|an|per|each|every|/)\s*(?<unit>${UNIT})\b|(?<each>each)\b)(?!\s*(?:a|per|each|every|/)\s*(?:month|mo)\b)`,
  'i',
);
/** "120 seats", "for 500 users", "two hundred licences": a count of the unit. */
const COUNT = new RegExp(
  String.raw`(?<![\d.,$€£])(?<n>\d{1,3}(?:,\d{3})+|\d+|(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)[\s-]+){1,6})\s?(?<unit>(?:${UNIT})s)\b`,
  'gi',
);
/** How far from the price its count may be said: "for 120 seats", "and it's 120 seats to start". */
const COUNT_REACH = 60;

function countValue(raw: string): number | null {
  if (/^\d/.test(raw)) return Number(raw.replace(/,/g, ''));
  const spelled = readSpelledNumbers(raw);
  return spelled?.length === 1 ? spelled[0]!.value : null;
}

/** "licences" and "license" are the same unit. */
const unitKey = (unit: string) => unit.toLowerCase().replace(/s$/, '').replace('licence', 'license');

/**
 * Each price per unit the sentence multiplies by a count of the same unit said near it, before or
 * after: "$300 a seat per year, and it's 120 seats", "120 users at $25 each". The total spans both.
 */
export function findPerUnitTotals(sentence: Sentence, mentions: MoneyMention[]): MoneyTotal[] {
  const out: MoneyTotal[] = [];
  for (const price of mentions) {
    const at = price.end - sentence.start;
    const per = PER_UNIT.exec(sentence.text.slice(at, at + 40));
    if (!per) continue;
    const unit = per.groups!.unit ? unitKey(per.groups!.unit) : null;
    const from = Math.max(0, price.start - sentence.start - COUNT_REACH);
    const to = Math.min(sentence.text.length, at + per[0].length + COUNT_REACH);
    const window = sentence.text.slice(from, to);
    COUNT.lastIndex = 0;
    let best: { n: number; start: number; end: number; distance: number } | null = null;
    let m: RegExpExecArray | null;
    while ((m = COUNT.exec(window))) {
      const start = sentence.start + from + m.index;
      const end = start + m[0].length;
      // The price's own words ("a seat") are not its count.
      if (start < price.end + per[0].length && end > price.start) continue;
      if (unit && unitKey(m.groups!.unit!) !== unit) continue;
      const n = countValue(m.groups!.n!.trim());
      if (n === null || n < 2) continue;
      const distance = start >= price.end ? start - price.end : price.start - end;
      if (!best || distance < best.distance) best = { n, start, end, distance };
    }
    if (!best) continue;
    const priceTerm = { start: price.start, end: price.end + per[0].trimEnd().length };
    out.push({
      amount: Math.round(price.amount * best.n * 100) / 100,
      currency: price.currency,
      bare: false,
      start: Math.min(price.start, best.start),
      end: Math.max(priceTerm.end, best.end),
      terms: [priceTerm, { start: best.start, end: best.end }],
    });
  }
  return out;
}

/**
 * "We can do 90", "we could go to 85", "we'd sign at 95", "we'd need it closer to 70", "if you can get
 * to 75", "I can get you 45", "if they can make 45 work": a figure named without its scale, in the words people use for their own number or a
 * counter-offer. Not a count or a time ("90 days", "90%").
 */
const BARE_FIGURE =
  /\b(?:(?:we|I|he|she|they)(?:'d| would| can| could|'ll| will)? (?:do|go (?:up )?to|stretch to|come in at|land at|sign at|sign for|approve|get (?:it )?approved at|(?:get|give|find|offer) (?:you|them|us))|make(?= \d{1,3} work\b)|closer to|(?:get|bring|come) (?:it |that |this |the price )?(?:down )?to|meet (?:us|you) at)\s+(?:about |around |roughly )?(?<num>\d{1,3}(?:\.\d{1,2})?)(?![\d%]|[.,]\d)(?!\s?(?:percent|per\b|[a-z]{2,}s\b|(?:day|week|month|year|hour|minute|seat|user|licen[cs]e)\b|[ap]\.?m\b|o'clock|of\b|[kmb]\b|grand|thousand|million))/gi;
/** A figure said without its scale, read at the scale of the amount it refers to. */
export interface ScaledFigure extends MoneyMention {
  reference: MoneyMention;
}

/** A figure read with a reference's scale is no amount when it is more than this many times off it. */
const FARTHEST_FROM_REFERENCE = 5;
const SCALES = [1e3, 1e6];

/**
 * The figures of BARE_FIGURE in a sentence, read at the scale of an amount said before them (in the
 * sentence, or the reference from the sentences before) that puts them nearest to it: after "$110K",
 * "90" is 90,000. Without a reference, or when no scale lands within five times of it, nothing.
 */
export function findScaledBareFigures(
  sentence: Sentence,
  mentions: MoneyMention[],
  reference: MoneyMention | null,
): ScaledFigure[] {
  const out: ScaledFigure[] = [];
  // The mentions are in order: one walk finds, for each figure, the last amount with a scale before it.
  let next = 0;
  let lastScaled: MoneyMention | null = null;
  BARE_FIGURE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BARE_FIGURE.exec(sentence.text))) {
    const numAt = sentence.start + m.index + m[0].length - m.groups!.num!.length;
    for (; next < mentions.length && mentions[next]!.end <= numAt; next++)
      if (mentions[next]!.amount >= 1000) lastScaled = mentions[next]!;
    const ref = lastScaled ?? (reference && reference.end <= numAt ? reference : null);
    if (!ref) continue;
    const n = Number(m.groups!.num);
    let bestAmount: number | null = null;
    for (const scale of SCALES) {
      const amount = n * scale;
      if (Math.max(amount / ref.amount, ref.amount / amount) > FARTHEST_FROM_REFERENCE) continue;
      const nearer =
        bestAmount === null ||
        Math.abs(Math.log(amount / ref.amount)) < Math.abs(Math.log(bestAmount / ref.amount));
      if (nearer) bestAmount = amount;
    }
    if (bestAmount === null) continue;
    out.push({
      amount: bestAmount,
      currency: ref.currency,
      bare: true,
      start: numAt,
      end: numAt + m.groups!.num!.length,
      reference: ref,
    });
  }
  return out;
}
