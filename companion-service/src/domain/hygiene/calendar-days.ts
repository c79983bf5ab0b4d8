/**
 * Calendar days as integers (days since 1970-01-01, UTC), so the engines compare and subtract dates
 * in constant time over a hundred thousand deals without building Date objects in their loops.
 */

const MS_PER_DAY = 86_400_000;

/** The number the digits at [from, from + length) spell, or -1 if any is not a digit. */
function number(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The day number of a `YYYY-MM-DD` date, or null when the text is not one. Parsed by hand and
 * converted with the days-from-civil arithmetic (Howard Hinnant's), because the engines call this
 * millions of times on a large pipeline and a regex match plus a Date per call is most of the cost.
 */
export function dayNumber(date: string | null | undefined): number | null {
  if (!date || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const year = number(date, 0, 4);
  const month = number(date, 5, 2);
  const day = number(date, 8, 2);
  if (year < 0 || month < 0 || day < 0) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Memory bound on the memo of day numbers already written out (a cache size, not a sales rule). */
const ISO_TEXT_CACHE_ENTRIES = 100_000;
const isoDays = new Map<number, string>();

/**
 * Day numbers back to `YYYY-MM-DD` (Hinnant's civil-from-days), remembered once made: a pipeline's
 * dates fall on a few thousand distinct days, and the column engines turn days into words for every
 * finding they explain. The years a Date can print outside 0000-9999 go through Date as before.
 */
export function isoDay(day: number): string {
  let text = isoDays.get(day);
  if (text !== undefined) return text;
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  text =
    year < 0 || year > 9999
      ? new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
      : `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
  if (isoDays.size < ISO_TEXT_CACHE_ENTRIES) isoDays.set(day, text);
  return text;
}

export function addDays(date: string, days: number): string {
  const day = dayNumber(date);
  if (day === null) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  return isoDay(day + days);
}
