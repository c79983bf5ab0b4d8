import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import { findMoney, findMoneyRanges, parseSpelledNumber } from '../extraction/embedded/money.js';
import { findPerUnitTotals, findScaledBareFigures } from '../extraction/embedded/money-totals.js';
import { findDates } from '../extraction/embedded/dates.js';
import { findLocaleMoney, findLocaleRanges } from '../extraction/embedded/locales/locale-money.js';
import { findDatesInAnyLocale } from '../extraction/embedded/locales/locale-dates.js';
import { isInstruction } from './instructions.js';

/**
 * Whether a proposed value says only what its quote says. A real quote can carry a value it does not
 * hold: "Our budget is $120k" with 900000, "I'll send the deck" with "Send the contract for
 * signature", or an instruction the model obeyed. Every value is read back from its quote here,
 * whichever extractor proposed it; the caller drops what fails, with the reason given.
 *
 * Pure: one pass over the value and one over the quote (with the money and date readers the
 * embedded extractor uses, so a value reads as the extractor would read it).
 */

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/**
 * The share of a free-text value's content words its quote must hold. A safety floor, not a sales
 * judgement: it only tells a rewording ("Send the proposal" for "I'll send the proposal by Friday")
 * from a claim the quote never made, so it stays in code rather than in custom metadata.
 */
export const MIN_CONTENT_WORD_SHARE = 0.8;

/** What a value is checked against: the quote, and who said it ("I" in a quote is its speaker). */
export interface QuoteContext {
  quote: string;
  speaker: string | null;
  /**
   * What the source itself records about the people the quote names or who said it (a Gong party's
   * title, an email signature's): "Sanjay Mehta, Controller" rests on the quote "Sanjay Mehta" and
   * that record. Empty when the source records nothing.
   */
  about?: string;
  /** Participants a "you" in the quote may stand for: the person asked to act is named by it. */
  addressees?: string[];
  /** YYYY-MM-DD that dates in the quote and the value resolve against ("by Friday" is 2025-03-14). */
  meetingDate?: string | null;
}

/**
 * The stopword package's English list, plus the auxiliaries and contraction pieces people say around
 * a commitment ("I'll", "we will", "let's"), less its negations: "never" changes what was said.
 */
const NEGATIONS = new Set(['never', 'no', 'not', 'nor', 'none', 'nothing', 'without']);
const SPOKEN_FILLERS = [
  ...['will', 'll', 'shall', 're', 've', 'let', 'lets', 'just', 'really', 'going', 'yes', 'ok', 'okay'],
  // Pronouns the list lacks: "she" in a summary is the person the conversation names.
  ...[
    'she',
    'hers',
    'herself',
    'it',
    'its',
    'itself',
    'us',
    'ours',
    'yours',
    'yourself',
    'theirs',
    'themselves',
    'myself',
  ],
];
const STOP_WORDS: ReadonlySet<string> = new Set(
  [...eng.map((w) => w.toLowerCase()), ...SPOKEN_FILLERS].filter((w) => !NEGATIONS.has(w)),
);

/** Lower case, accents and typography folded, thousands separators gone: "1,500" and "1500" agree. */
function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
}

/**
 * Words as letters and digits; "I'll" is "i" and "ll", both stop words. Chinese has no spaces: each
 * Han character is a word, so "李娜" is found in "感谢李娜的邮件" and "Gong" in "用的是Gong，".
 */
function words(text: string): string[] {
  return normalize(text).match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? [];
}

const isNumberWord = (w: string) => /^\d/.test(w);

/** The stems of a text's content words: not stop words, not numbers (checked as values), not single letters. */
function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => w.length > 1 && !isNumberWord(w) && !STOP_WORDS.has(w))
    .map((w) => stemmer(w));
}

/**
 * Every number a text states, as a value: "$150k" and "150,000 dollars" are both 150000 (one number,
 * not 150 and 150000), "250 seats" is 250.
 */
function numbersIn(text: string): Set<number> {
  const flat = text.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const money = moneyIn(flat);
  const out = new Set<number>(money.map((m) => m.amount));
  for (const m of flat.matchAll(/\d+(?:\.\d+)?/g)) {
    if (!money.some((span) => m.index >= span.start && m.index < span.end)) out.add(Number(m[0]));
  }
  return out;
}

/**
 * Every amount a text states, as English, Spanish ("85.000 €", "120 mil euros") and Chinese ("36万元")
 * write them, the low end of a range included ("between 50 and 70k" states 50000), a price per seat
 * times its seats, and a figure said without its scale after an amount that has one.
 */
function moneyIn(text: string) {
  const sentence = { start: 0, end: text.length, text, speaker: null, isQuestion: false };
  const english = findMoney(sentence);
  const chinese = /\p{Script=Han}/u.test(text) ? findLocaleMoney(text, 'zh') : [];
  // An amount both readers see alike ("$120k") is one amount; read apart ("120 mil": English "mil"
  // is a million, Spanish a thousand), each reading stands.
  const locale = [
    ...findLocaleMoney(text, 'es'),
    ...findLocaleRanges(text, 'es').map((r) => r.low),
    ...chinese,
    ...(chinese.length > 0 ? findLocaleRanges(text, 'zh', 0, chinese).map((r) => r.low) : []),
  ];
  const unseen = locale.filter(
    (m) => !english.some((e) => m.start < e.end && e.start < m.end && e.amount === m.amount),
  );
  return [
    ...english,
    ...findMoneyRanges(sentence, english).map((r) => r.low),
    // "$300 a seat ... 120 seats" states $36,000; "$110K ... we can do 90" states 90,000.
    ...findPerUnitTotals(sentence, english),
    ...findScaledBareFigures(sentence, english, null),
    ...unseen,
  ];
}

const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(0.5, Math.abs(b) * 0.005);

/** An amount of money the quote states, in the same currency when the quote names one. */
export function amountSupported(amount: number, currency: string, quote: string): Verdict {
  const mentions = moneyIn(quote);
  const same = mentions.filter((m) => near(m.amount, amount));
  if (same.length === 0) {
    const said = mentions.map((m) => m.amount).join(', ');
    return no(
      said
        ? `the quote states ${said}, not ${amount}`
        : `the quote states no amount of money, so ${amount} is not in it`,
    );
  }
  if (same.every((m) => m.currency !== null && m.currency !== currency)) {
    return no(`the quote states ${amount} in ${same[0]!.currency}, not in ${currency}`);
  }
  return OK;
}

/** A count ("250 seats", "two hundred users") the quote states. */
export function countSupported(count: number, quote: string): Verdict {
  if (numbersIn(quote).has(count)) return OK;
  // Runs of number words, read as one number each ("a couple hundred", "two hundred and fifty").
  let run: string[] = [];
  for (const w of [...words(quote), '']) {
    if (NUMBER_WORDS.has(w)) {
      run.push(w);
      continue;
    }
    if (run.length > 0 && parseSpelledNumber(run.join(' ')) === count) return OK;
    run = [];
  }
  return no(`the quote does not state the number ${count}`);
}

const NUMBER_WORDS: ReadonlySet<string> = new Set(
  'a one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred and couple of'.split(
    ' ',
  ),
);

/**
 * A date (YYYY-MM-DD) the quote says, as people say dates: "March 31", "3/31", "by Friday", "end of
 * Q2", each resolved against the conversation's date; or the date written out as is.
 */
export function dateSupported(date: string, quote: string, meetingDate: string): Verdict {
  if (quote.includes(date)) return OK;
  const said = [...findDates(quote, meetingDate), ...findDatesInAnyLocale(quote, meetingDate)];
  if (said.some((d) => d.date === date)) return OK;
  return no(
    said.length > 0
      ? `the quote says ${said.map((d) => `"${d.text}" (${d.date})`).join(', ')}, not ${date}`
      : `the quote says no date, so ${date} is not in it`,
  );
}

/** A quote that asks someone to act: "can you", "please", "请您", "¿puedes...?", "por favor". */
const ADDRESSED =
  /\b(?:you(?:rs?)?|please|usted(?:es)?|puedes|podrías|puede|podéis|por favor)\b|[您你请]|麻烦/iu;

/** Titles and particles that are not part of who someone is. */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'jr', 'sr']);

/**
 * A person's or company's name in the quote, or its speaker's: "I own this budget" names its speaker.
 * One of the name's own words (first name or surname) is enough, as people are named in passing.
 */
export function nameSupported(name: string, context: QuoteContext, aliases: string[] = []): Verdict {
  // "Can you send...", "please send...": the person asked is one of the participants, unnamed.
  const you = ADDRESSED.test(context.quote) ? (context.addressees ?? []) : [];
  const held = new Set([...words(context.quote), ...words(context.speaker ?? ''), ...words(you.join(' '))]);
  // A Chinese name is characters, each a word: it is held when they stand together in the quote, or
  // are the speaker's name, or an addressee's.
  const heldText = ` ${[context.quote, context.speaker ?? '', ...you].map((t) => words(t).join(' ')).join(' | ')} `;
  for (const form of [name, ...aliases]) {
    const parts = words(form).filter((w) => !HONORIFICS.has(w));
    if (parts.length === 0) continue;
    // The whole name as written ("Gong.io", "Clari Copilot"), or any one of its own words.
    if (heldText.includes(` ${parts.join(' ')} `)) return OK;
    if (parts.some((w) => w.length > 1 && !STOP_WORDS.has(w) && held.has(w))) return OK;
  }
  return no(`"${name}" is not named in the quote${context.speaker ? ' and is not its speaker' : ''}`);
}

/** What free text is held to: the words, content stems, numbers and dates of a quote or a whole conversation. */
export interface SupportSource {
  words: ReadonlySet<string>;
  stems: ReadonlySet<string>;
  /** Stems said only just after a negation ("we are not signing"): a value may not say them plainly. */
  deniedStems: ReadonlySet<string>;
  /** The numbers it states; read only when a value states one (a whole conversation costs a pass). */
  numbers(): ReadonlySet<number>;
  /** The dates it says (YYYY-MM-DD), when a meeting date resolves them; read only when a value says a date. */
  dates(): ReadonlySet<string>;
  meetingDate: string | null;
}

/** Built once per source, so a summary's lines are all held to one conversation without re-reading it. */
export function supportSource(text: string, meetingDate: string | null = null): SupportSource {
  let dates: Set<string> | null = null;
  let numbers: Set<number> | null = null;
  return {
    words: new Set(words(text)),
    stems: new Set(contentStems(text)),
    deniedStems: deniedStems(words(text)),
    numbers: () => (numbers ??= numbersIn(text)),
    dates: () => (dates ??= new Set(meetingDate ? findDates(text, meetingDate).map((d) => d.date) : [])),
    meetingDate,
  };
}

/** How far a negation reaches, in words: "not" in "we are not going to sign" still denies "sign", "not great news, the CFO" not "CFO". */
const NEGATION_REACH = 3;

/** A negation, as words() leaves it: "not", "never", or the "t" of "don't", "won't", "can't". */
const isNegation = (w: string) => NEGATIONS.has(w) || w === 't' || w === 'cannot';

/** Stems that stand only within a negation's reach, never outside one. */
function deniedStems(all: string[]): Set<string> {
  const denied = new Set<string>();
  const affirmed = new Set<string>();
  let reach = 0;
  for (const w of all) {
    if (isNegation(w)) {
      reach = NEGATION_REACH;
      continue;
    }
    if (w.length > 1 && !isNumberWord(w) && !STOP_WORDS.has(w))
      (reach > 0 ? denied : affirmed).add(stemmer(w));
    if (reach > 0) reach--;
  }
  for (const stem of affirmed) denied.delete(stem);
  return denied;
}

/**
 * The value without the dates the source also says: "Decision by 2025-03-31" rewords "decide by
 * March 31", so the date is not held against it as the numbers 2025, 3 and 31.
 */
function withoutSharedDates(value: string, source: SupportSource): string {
  if (!source.meetingDate) return value;
  const said = findDates(value, source.meetingDate);
  const iso = value.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? [];
  if (said.length === 0 && iso.length === 0) return value;
  const dates = source.dates();
  let rest = value;
  for (const d of iso) if (dates.has(d)) rest = rest.replace(d, ' ');
  for (const d of said) if (dates.has(d.date)) rest = rest.replace(d.text, ' ');
  return rest;
}

/**
 * Free text is the quote itself or a rewording of it: a high share of its content words (stems, so
 * "sends" is "send") stand in the quote, every number it states is there too, and it gives no orders.
 */
export function textSupported(value: string, context: QuoteContext): Verdict {
  return textHeldBy(
    value,
    supportSource(
      `${context.quote}\n${context.speaker ?? ''}\n${context.about ?? ''}`,
      context.meetingDate ?? null,
    ),
  );
}

/** Free text held to a source: a quote with its speaker, or a whole conversation for a model's summary line. */
export function textHeldBy(said: string, source: SupportSource, where = 'the quote'): Verdict {
  if (isInstruction(said)) return no('it gives orders to a machine rather than reporting what was said');
  const value = withoutSharedDates(said, source);
  const stated = numbersIn(value);
  const missingNumbers = stated.size === 0 ? [] : [...stated].filter((n) => !source.numbers().has(n));
  if (missingNumbers.length > 0) return no(`the number ${missingNumbers.join(', ')} is not in ${where}`);
  const stems = contentStems(value);
  if (stems.length === 0) {
    // Only stop words ("Yes", "We will"): they must all be in the quote as they are.
    const plain = words(value).filter((w) => !isNumberWord(w));
    return plain.every((w) => source.words.has(w)) ? OK : no(`its words are not in ${where}`);
  }
  // "Sign the contract this week" does not reword "we are not signing the contract this week".
  const denied = words(value).some(isNegation) ? [] : stems.filter((s) => source.deniedStems.has(s));
  if (denied.length > 0) return no(`${where} says it is not so (a negation stands before "${denied[0]}")`);
  const held = stems.filter((s) => source.stems.has(s));
  const share = held.length / stems.length;
  if (share >= MIN_CONTENT_WORD_SHARE) return OK;
  const missing = [
    ...new Set(
      words(value).filter(
        (w) => w.length > 1 && !isNumberWord(w) && !STOP_WORDS.has(w) && !source.stems.has(stemmer(w)),
      ),
    ),
  ];
  return no(
    `only ${Math.round(share * 100)}% of its words are in ${where} (at least ${Math.round(MIN_CONTENT_WORD_SHARE * 100)}% must be); not in it: ${missing.slice(0, 6).join(', ')}`,
  );
}
