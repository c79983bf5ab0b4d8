/**
 * Dates as CRM exports write them: ISO (`2017-03-01`, `2026-02-23T20:55:00.000Z`), US
 * (`02/23/26`, `2/3/2024 8:55 PM`), day-first (`23/02/2026`) and dotted European (`23.02.2026`).
 * A slashed date is ambiguous on its own, so the order is decided once per file from every date in
 * it: any first part over 12 means day-first, any second part over 12 means month-first, and a file
 * that never says is read month-first because that is what Salesforce's US exports write.
 */

export type SlashOrder = 'month-first' | 'day-first';

// eslint-disable-next-line security/detect-unsafe-regex -- anchored digit runs of fixed length; the one .* tail is not repeated
const ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored digit runs of fixed length; the one .* tail is not repeated
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?:[ ,T].*)?$/;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored digit runs of fixed length; the one .* tail is not repeated
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:[ ,T].*)?$/;

export const DATE_FORMATS_HINT = 'YYYY-MM-DD, MM/DD/YY, MM/DD/YYYY, DD/MM/YYYY or DD.MM.YYYY';

/** Decides the slash order from every slashed value in a file; throws when the file contradicts itself. */
export function detectSlashOrder(values: Iterable<string>): { order: SlashOrder; decided: boolean } {
  let dayFirstBy: string | null = null;
  let monthFirstBy: string | null = null;
  for (const raw of values) {
    const m = SLASHED.exec(raw.trim());
    // Both parts over 12 is no date in either order: a bad cell, left for the reader to name.
    if (!m || (Number(m[1]) > 12 && Number(m[2]) > 12)) continue;
    if (Number(m[1]) > 12 && !dayFirstBy) dayFirstBy = raw.trim();
    if (Number(m[2]) > 12 && !monthFirstBy) monthFirstBy = raw.trim();
  }
  if (dayFirstBy && monthFirstBy) {
    throw new Error(
      `the dates mix day-first ("${dayFirstBy}") and month-first ("${monthFirstBy}") orders; export them in one format, ideally YYYY-MM-DD`,
    );
  }
  if (dayFirstBy) return { order: 'day-first', decided: true };
  return { order: 'month-first', decided: monthFirstBy !== null };
}

/** The calendar date a cell names, `YYYY-MM-DD`; null when the cell is empty, undefined when it is not a date. */
export function parseCsvDate(raw: string, order: SlashOrder): string | null | undefined {
  const text = raw.trim();
  if (text === '') return null;
  let year: number;
  let month: number;
  let day: number;
  let m = ISO.exec(text);
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = SLASHED.exec(text))) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    [month, day] = order === 'month-first' ? [a, b] : [b, a];
    year = fullYear(m[3]!);
  } else if ((m = DOTTED.exec(text))) {
    [day, month, year] = [Number(m[1]), Number(m[2]), fullYear(m[3]!)];
  } else {
    return undefined;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** Two-digit years are this century up to 69 and the last one from 70, as spreadsheets read them. */
function fullYear(text: string): number {
  if (text.length === 4) return Number(text);
  const yy = Number(text);
  return yy < 70 ? 2000 + yy : 1900 + yy;
}
