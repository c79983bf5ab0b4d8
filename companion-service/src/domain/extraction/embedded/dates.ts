import * as chrono from 'chrono-node';

/**
 * Dates as people say them, resolved against the meeting date: chrono-node for the calendar
 * ("next Tuesday", "by Friday", "3/27", "March 10th"), extended with the business calendar it does
 * not know ("end of Q3", "EOQ", "end of the year", "H2", "end of month").
 */
export interface SpokenDate {
  date: string;
  text: string;
  index: number;
  /** 'day' when a day was said or implied by a weekday; 'month' for "in June", "next week". */
  precision: 'day' | 'month';
}

const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function quarterEnd(q: number, year: number) {
  const month = q * 3;
  return { year, month, day: lastDay(year, month) };
}

/** The quarter's year: as stated, else the first one that has not ended by the meeting. */
function quarterYear(q: number, ref: Date, stated: string | undefined): number {
  if (stated) {
    const n = Number(stated.replace(/^FY/i, ''));
    return n < 100 ? 2000 + n : n;
  }
  const y = ref.getFullYear();
  const end = new Date(y, q * 3, 0);
  return end >= new Date(ref.getFullYear(), ref.getMonth(), ref.getDate()) ? y : y + 1;
}

/** The quarter after the one `ref` falls in, and its year. */
function nextQuarter(ref: Date): { q: number; year: number } {
  const q = Math.floor(ref.getMonth() / 3) + 2;
  return q > 4 ? { q: 1, year: ref.getFullYear() + 1 } : { q, year: ref.getFullYear() };
}

/** Where in a span "early", "mid" and "late" fall: its first day, its middle, its last day. */
function partOfSpan(part: string, year: number, firstMonth: number, months: number) {
  const p = part.toLowerCase();
  if (p === 'early') return { year, month: firstMonth, day: 1 };
  const lastMonth = firstMonth + months - 1;
  if (p === 'late') return { year, month: lastMonth, day: lastDay(year, lastMonth) };
  const midMonth = firstMonth + Math.floor((months - 1) / 2);
  return { year, month: midMonth, day: months % 2 === 1 ? 15 : lastDay(year, midMonth) };
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty-first',
  'twenty-second',
  'twenty-third',
  'twenty-fourth',
  'twenty-fifth',
  'twenty-sixth',
  'twenty-seventh',
  'twenty-eighth',
  'twenty-ninth',
  'thirtieth',
  'thirty-first',
];

/** The next time a day of the month comes round from the meeting: "by the 20th", "by the twelfth". */
function nextDayOfMonth(ref: Date, day: number) {
  let year = ref.getFullYear();
  let month = ref.getMonth() + 1;
  if (day < ref.getDate()) month++;
  if (month > 12) {
    month = 1;
    year++;
  }
  return { year, month, day: Math.min(day, lastDay(year, month)) };
}

const businessCalendar: chrono.Parser[] = [
  {
    // The meeting's own day, said as a part of it or a deadline within it: "this afternoon", "EOD",
    // "right after this call". A weekday after it ("COB Thursday") is that day instead.
    pattern: () =>
      /\b(?:this\s+(?:afternoon|evening)|tonight|later\s+today|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?day|EOD|COB|close\s+of\s+business|(?:right|straight|just|immediately)\s+after\s+(?:this|the|our)\s+(?:call|meeting))\b(?!\s+(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|tmrw|next))/i,
    extract: (context) => {
      const d = context.refDate;
      return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
    },
  },
  {
    // "hopefully by the twelfth": a day of the month in words.
    pattern: () =>
      new RegExp(
        String.raw`\b(?:by|on|before|until|till|after)\s+the\s+(${ORDINALS.join('|')})\b(?=\s*(?:[.,;:!?)]|$)|\s+(?:at|by|or|and|if|so|then|but|works|would|could|is|was|which|when|latest|at the latest)\b)`,
        'i',
      ),
    extract: (context, match) =>
      nextDayOfMonth(context.refDate, ORDINALS.indexOf(match[1]!.toLowerCase()) + 1),
  },
  {
    // "the following Thursday": that weekday in the week after the meeting's.
    pattern: () => /\b(?:the\s+)?following\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i,
    extract: (context, match) => {
      const d = new Date(context.refDate);
      const toNextMonday = (8 - d.getDay()) % 7 || 7;
      d.setDate(d.getDate() + toNextMonday + ((WEEKDAYS.indexOf(match[1]!.toLowerCase()) + 6) % 7));
      return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
    },
  },
  {
    // "early next quarter", "mid Q3", "late next month": a span, resolved to where in it the words point.
    pattern: () =>
      /\b(early|mid|late)[- ](?:(?:in\s+)?(?:the\s+)?(next|this)\s+(quarter|month|year)|Q([1-4]))\b/i,
    extract: (context, match) => {
      const ref = context.refDate;
      const part = match[1]!;
      if (match[4]) {
        const q = Number(match[4]);
        return partOfSpan(part, quarterYear(q, ref, undefined), (q - 1) * 3 + 1, 3);
      }
      const next = match[2]!.toLowerCase() === 'next';
      const unit = match[3]!.toLowerCase();
      if (unit === 'quarter') {
        const { q, year } = next
          ? nextQuarter(ref)
          : { q: Math.floor(ref.getMonth() / 3) + 1, year: ref.getFullYear() };
        return partOfSpan(part, year, (q - 1) * 3 + 1, 3);
      }
      if (unit === 'month') {
        const m = ref.getMonth() + 1 + (next ? 1 : 0);
        return partOfSpan(part, ref.getFullYear() + (m > 12 ? 1 : 0), ((m - 1) % 12) + 1, 1);
      }
      return partOfSpan(part, ref.getFullYear() + (next ? 1 : 0), 1, 12);
    },
  },
  {
    pattern: () =>
      /\b(?:(?:the\s+)?end\s+of\s+|by\s+)?(?:Q([1-4])|(first|second|third|fourth)\s+quarter)(?:\s*(?:of\s+)?(?:FY)?'?((?:20)?\d{2}))?\b/i,
    extract: (context, match) => {
      const words: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4 };
      const q = match[1] ? Number(match[1]) : words[match[2]!.toLowerCase()]!;
      return quarterEnd(q, quarterYear(q, context.refDate, match[3]));
    },
  },
  {
    pattern: () => /\b(?:the\s+)?(?:start|beginning)\s+of\s+(?:Q([1-4])|(next)\s+quarter)\b/i,
    extract: (context, match) => {
      const ref = context.refDate;
      let q = match[1] ? Number(match[1]) : Math.floor(ref.getMonth() / 3) + 2;
      let year = match[1] ? quarterYear(q, ref, undefined) : ref.getFullYear();
      if (q > 4) {
        q = 1;
        year++;
      }
      return { year, month: (q - 1) * 3 + 1, day: 1 };
    },
  },
  {
    // "by the 20th": the next time that day of the month comes round.
    pattern: () =>
      /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i,
    extract: (context, match) => {
      const day = Number(match[1]);
      if (day < 1 || day > 31) return null;
      return nextDayOfMonth(context.refDate, day);
    },
  },
  {
    pattern: () => /\b(?:the\s+)?end\s+of\s+next\s+month\b/i,
    extract: (context) => {
      const ref = context.refDate;
      const month = ref.getMonth() + 2;
      const year = ref.getFullYear() + (month > 12 ? 1 : 0);
      const m = ((month - 1) % 12) + 1;
      return { year, month: m, day: lastDay(year, m) };
    },
  },
  {
    pattern: () =>
      /\b(?:the\s+)?end\s+of\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b/i,
    extract: (context, match) => {
      const month = new Date(`${match[1]} 1, 2000`).getMonth() + 1;
      const ref = context.refDate;
      const year = month < ref.getMonth() + 1 ? ref.getFullYear() + 1 : ref.getFullYear();
      return { year, month, day: lastDay(year, month) };
    },
  },
  {
    pattern: () =>
      /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter|EOQ|this\s+quarter|(next)\s+quarter|(?:the\s+)?end\s+of\s+(next)\s+quarter)\b/i,
    extract: (context, match) => {
      const ref = context.refDate;
      let q = Math.floor(ref.getMonth() / 3) + 1 + (match[1] || match[2] ? 1 : 0);
      let year = ref.getFullYear();
      if (q > 4) {
        q = 1;
        year++;
      }
      return quarterEnd(q, year);
    },
  },
  {
    pattern: () =>
      /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+|fiscal\s+)?year|EOY|year[- ]end|by\s+the\s+new\s+year)\b/i,
    extract: (context) => ({ year: context.refDate.getFullYear(), month: 12, day: 31 }),
  },
  {
    pattern: () => /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|EOM)\b/i,
    extract: (context) => {
      const y = context.refDate.getFullYear();
      const m = context.refDate.getMonth() + 1;
      return { year: y, month: m, day: lastDay(y, m) };
    },
  },
  {
    pattern: () => /\b(?:H([12])|(first|second)\s+half(?:\s+of)?(?:\s+(?:the\s+)?(?:this|next)\s+year)?)\b/i,
    extract: (context, match) => {
      const half = match[1] ? Number(match[1]) : match[2]!.toLowerCase() === 'first' ? 1 : 2;
      const year = context.refDate.getFullYear() + (/next year/i.test(match[0]) ? 1 : 0);
      return { year, month: half * 6, day: half === 1 ? 30 : 31 };
    },
  },
  {
    pattern: () => /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|(next)\s+)?week|EOW)\b/i,
    extract: (context, match) => {
      const d = new Date(context.refDate);
      d.setDate(d.getDate() + ((5 - d.getDay() + 7) % 7) + (match[1] ? 7 : 0));
      return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
    },
  },
];

const parser = chrono.casual.clone();
parser.parsers.unshift(...businessCalendar);

/** Phrases chrono reads as dates that people do not mean as dates. */
const NOT_DATES =
  /^(?:\d+\s*(?:minutes?|mins?|hours?|hrs?|seconds?)|24\/7|50\/50|\d{1,2}\/\d{1,2} (?:of|split)|now|one|a day|the day|day|today's|(?:the\s+)?day after)$/i;

/** A length of time said without "in" or "within" before it ("takes two weeks", "for three days"). */
const DURATION =
  /^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|\d+)\s+(?:days?|weeks?|months?)$/i;

/**
 * chrono reads the text before each candidate again, so one long sentence (a dictated memo without
 * punctuation) costs its length squared. A long text is read in windows that start on a word and
 * overlap by more than any date phrase; each window keeps the dates that start before the next
 * window does. Texts up to a window long, every ordinary sentence, are read whole as before.
 */
const WINDOW_CHARS = 2_000;
const OVERLAP_CHARS = 200;

function parseInWindows(text: string, ref: Date): chrono.ParsedResult[] {
  const read = (piece: string) => parser.parse(piece, { instant: ref }, { forwardDate: true });
  if (text.length <= WINDOW_CHARS) return read(text);
  const wordStart = (at: number) => {
    let i = at;
    while (i < text.length && i > 0 && /\S/.test(text[i - 1]!)) i++;
    return i;
  };
  const out: chrono.ParsedResult[] = [];
  for (let start = 0; start < text.length;) {
    const next = wordStart(start + WINDOW_CHARS - OVERLAP_CHARS);
    for (const r of read(text.slice(start, start + WINDOW_CHARS))) {
      const index = start + r.index;
      if (index < next || next >= text.length) out.push(Object.assign(r, { index }));
    }
    start = next;
  }
  return out;
}

/**
 * One chrono reading as a date said: a day when chrono is sure of the day (or weekday) and `span` does
 * not call it a span ("end of Q3"), a month when only the month is sure, nothing otherwise.
 */
export function spokenDate(
  r: chrono.ParsedResult,
  index: number,
  span: (said: string) => boolean,
): SpokenDate | null {
  const c = r.start;
  const day = c.isCertain('day') || c.isCertain('weekday');
  if (!day && !c.isCertain('month')) return null;
  const dt = c.date();
  return {
    date: iso(dt.getFullYear(), dt.getMonth() + 1, dt.getDate()),
    text: r.text,
    index,
    precision: day && !span(r.text) ? 'day' : 'month',
  };
}

/**
 * Quarters, halves, weeks and hedged durations name a span, not a day to hold someone to ("in Q4",
 * "next week", "in two weeks or so", "by the end of Q3"); the end of a week or a month is a deadline
 * ("end of month", "EOW", "by the end of March").
 */
function isSpan(said: string, after: string): boolean {
  if (
    /^(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month|January|February|March|April|May|June|July|August|September|October|November|December)\b|^EO[WM]\b/i.test(
      said,
    )
  )
    return false;
  const hedged =
    /^\s*(?:or so\b|-?ish\b|give or take\b|or two\b)/i.test(after) ||
    /\b(?:couple|few|several)\b/i.test(said);
  // "in two weeks" is a day counted from the meeting; "in two weeks or so" is not.
  if (/^(?:in|within)\s+(?:a|an|one|two|three|four|five|six|seven|ten|\d+)\s+(?:days?|weeks?)$/i.test(said))
    return hedged;
  if (hedged) return true;
  return /\b(?:Q[1-4]|quarter|half|H[12]|year|week|month|early|mid|late|EO[QY])\b/i.test(said);
}

export function findDates(text: string, meetingDate: string): SpokenDate[] {
  const [y, m, d] = meetingDate.split('-').map(Number) as [number, number, number];
  const ref = new Date(y, m - 1, d, 12);
  const out: SpokenDate[] = [];
  for (const r of parseInWindows(text, ref)) {
    if (NOT_DATES.test(r.text.trim())) continue;
    // "it takes our team two weeks" is how long, not when.
    const lead = text.slice(Math.max(0, r.index - 24), r.index);
    if (DURATION.test(r.text.trim()) && !/\b(?:in|within|by|after)\s+(?:about\s+|around\s+)?$/i.test(lead))
      continue;
    // "the week of the 18th" names a week, not a day.
    const weekOf = /\bweek\s+of\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, r.index - 16), r.index));
    const said = spokenDate(r, r.index, (t) => weekOf || isSpan(t, text.slice(r.index + r.text.length)));
    if (said) out.push(said);
  }
  return out;
}
