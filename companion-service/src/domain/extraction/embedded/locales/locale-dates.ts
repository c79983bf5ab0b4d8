import * as chrono from 'chrono-node';
import { spokenDate, type SpokenDate } from '../dates.js';
import { SPANISH_MONTHS } from '../../../source/locale-headers.js';

/**
 * Dates said in Spanish and Chinese, resolved against the meeting date: chrono-node's own locales
 * (`chrono.es`, `chrono.zh.hans`, which also reads traditional characters' numerals) for the calendar,
 * extended with what they miss: the business calendar ("a finales de junio", "年底前", "第三季度末")
 * and "el próximo jueves", which Spanish speakers mean as the coming Thursday, not the one after.
 */

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const SPANISH_WEEKDAYS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const ZH_NUMBER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };

// A quarter's or a year's end is a span, not a day a step is due.
const LOCALE_SPAN = /(?:trimestre|季度|年底|年末|月底|月末|finales|fin de|final de)/i;

/** The month's year: this year, unless the month is already over. */
const monthYear = (month: number, ref: Date) =>
  month < ref.getMonth() + 1 ? ref.getFullYear() + 1 : ref.getFullYear();

function quarterEnd(q: number, ref: Date) {
  let year = ref.getFullYear();
  if (new Date(year, q * 3, 0) < new Date(year, ref.getMonth(), ref.getDate())) year++;
  return { year, month: q * 3, day: lastDay(year, q * 3) };
}

const spanishCalendar: chrono.Parser[] = [
  {
    // "el próximo jueves", "este viernes": the first such day after the meeting.
    pattern: () =>
      /(?:el\s+)?(?:pr[óo]ximo|este)\s+(lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b/i,
    extract: (context, match) => {
      const wanted = SPANISH_WEEKDAYS.indexOf(
        match[1]!.toLowerCase().replace('miercoles', 'miércoles').replace('sabado', 'sábado'),
      );
      const d = new Date(context.refDate);
      d.setDate(d.getDate() + ((wanted - d.getDay() + 7) % 7 || 7));
      return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
    },
  },
  {
    // "el jueves de la semana que viene": that day in the week after the meeting's.
    pattern: () =>
      /(?:el\s+)?(lunes|martes|mi[ée]rcoles|jueves|viernes)\s+de\s+la\s+(?:semana\s+que\s+viene|pr[óo]xima\s+semana|semana\s+pr[óo]xima)\b/i,
    extract: (context, match) => {
      const wanted = SPANISH_WEEKDAYS.indexOf(match[1]!.toLowerCase().replace('miercoles', 'miércoles'));
      const d = new Date(context.refDate);
      const monday = new Date(d);
      monday.setDate(d.getDate() - ((d.getDay() + 6) % 7) + 7);
      monday.setDate(monday.getDate() + wanted - 1);
      return { year: monday.getFullYear(), month: monday.getMonth() + 1, day: monday.getDate() };
    },
  },
  {
    pattern: () =>
      /(?:a\s+)?(?:finales|fin|final)\s+de\s+(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b/i,
    extract: (context, match) => {
      const month = SPANISH_MONTHS.indexOf(match[1]!.toLowerCase()) + 1;
      const year = monthYear(month, context.refDate);
      return { year, month, day: lastDay(year, month) };
    },
  },
  {
    pattern: () => /(?:a\s+)?(?:finales|fin|final)\s+de(?:l)?\s+(?:este\s+)?(mes|año|trimestre)\b/i,
    extract: (context, match) => {
      const ref = context.refDate;
      const unit = match[1]!.toLowerCase();
      if (unit === 'año') return { year: ref.getFullYear(), month: 12, day: 31 };
      if (unit === 'trimestre') return quarterEnd(Math.floor(ref.getMonth() / 3) + 1, ref);
      const m = ref.getMonth() + 1;
      return { year: ref.getFullYear(), month: m, day: lastDay(ref.getFullYear(), m) };
    },
  },
  {
    pattern: () => /(?:finales\s+del?\s+)?(?:Q([1-4])|(primer|segundo|tercer|cuarto)\s+trimestre)\b/i,
    extract: (context, match) => {
      const words: Record<string, number> = { primer: 1, segundo: 2, tercer: 3, cuarto: 4 };
      return quarterEnd(match[1] ? Number(match[1]) : words[match[2]!.toLowerCase()]!, context.refDate);
    },
  },
];

const chineseCalendar: chrono.Parser[] = [
  {
    pattern: () => /(今年|明年)?(?:年底|年末|年终)/,
    extract: (context, match) => ({
      year: context.refDate.getFullYear() + (match[1] === '明年' ? 1 : 0),
      month: 12,
      day: 31,
    }),
  },
  {
    pattern: () => /(下个?月|本月|这个月)?(?:月底|月末)/,
    extract: (context, match) => {
      const ref = context.refDate;
      let month = ref.getMonth() + 1 + (match[1]?.startsWith('下') ? 1 : 0);
      let year = ref.getFullYear();
      if (month > 12) {
        month = 1;
        year++;
      }
      return { year, month, day: lastDay(year, month) };
    },
  },
  {
    pattern: () => /(?:第?([一二三四1-4])季度|Q([1-4]))(?:末|底|结束前?)/,
    extract: (context, match) => quarterEnd(ZH_NUMBER[match[1] ?? match[2]!]!, context.refDate),
  },
];

const spanish = chrono.es.casual.clone();
spanish.parsers.unshift(...spanishCalendar);
const chinese = chrono.zh.hans.casual.clone();
chinese.parsers.unshift(...chineseCalendar);

/** Spanish words that only a Spanish date has: reading them is what makes the Spanish parser worth a pass. */
const SPANISH_DATE_WORDS =
  /\b(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|mañana|pasado mañana|semana|trimestre|finales|fin de)\b/i;
const HAN = /\p{Script=Han}/u;

/** Which of the two locales a text may hold dates in: both, for a mixed text. */
export function dateLocalesOf(text: string): ('es' | 'zh')[] {
  const out: ('es' | 'zh')[] = [];
  if (HAN.test(text)) out.push('zh');
  if (SPANISH_DATE_WORDS.test(text)) out.push('es');
  return out;
}

/** The dates a Spanish or Chinese text says, as findDates gives English ones. */
export function findLocaleDates(text: string, meetingDate: string, locale: 'es' | 'zh'): SpokenDate[] {
  const [y, m, d] = meetingDate.split('-').map(Number) as [number, number, number];
  const ref = new Date(y, m - 1, d, 12);
  const parser = locale === 'es' ? spanish : chinese;
  const out: SpokenDate[] = [];
  // A long text is bounded like findDates does: chrono reads what comes before each candidate again.
  for (let start = 0; start < text.length; start += 1800) {
    const piece = text.slice(start, start + 2000);
    for (const r of parser.parse(piece, { instant: ref }, { forwardDate: true })) {
      const index = start + r.index;
      if (start > 0 && r.index < 200) continue;
      const said = spokenDate(r, index, (t) => LOCALE_SPAN.test(t));
      if (said) out.push(said);
    }
  }
  return out;
}

/** Every date a text says in the locales it may be written in. */
export function findDatesInAnyLocale(text: string, meetingDate: string): SpokenDate[] {
  return dateLocalesOf(text).flatMap((locale) => findLocaleDates(text, meetingDate, locale));
}
