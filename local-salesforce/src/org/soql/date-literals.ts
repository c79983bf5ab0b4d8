/**
 * SOQL date literals as half-open ranges [start, end) in UTC milliseconds. The local org's time zone
 * is UTC and its week starts on Sunday (en_US), so TODAY and THIS_WEEK mean what they do in such an org.
 */

const DAY = 86_400_000;

export interface DateRange {
  start: number;
  end: number;
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

type Unit = 'DAYS' | 'WEEKS' | 'MONTHS' | 'QUARTERS' | 'YEARS';

/** The start of the unit containing `now`, and a function that moves by whole units. */
function unitOf(unit: Unit, now: number): { start: number; shift: (from: number, n: number) => number } {
  const today = startOfDay(now);
  const d = new Date(today);
  const addMonths = (from: number, n: number) => {
    const f = new Date(from);
    return monthStart(f.getUTCFullYear(), f.getUTCMonth() + n);
  };
  switch (unit) {
    case 'DAYS':
      return { start: today, shift: (from, n) => from + n * DAY };
    case 'WEEKS':
      return { start: today - d.getUTCDay() * DAY, shift: (from, n) => from + n * 7 * DAY };
    case 'MONTHS':
      return { start: monthStart(d.getUTCFullYear(), d.getUTCMonth()), shift: addMonths };
    case 'QUARTERS':
      return {
        start: monthStart(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3),
        shift: (from, n) => addMonths(from, 3 * n),
      };
    case 'YEARS':
      return { start: Date.UTC(d.getUTCFullYear(), 0, 1), shift: (from, n) => addMonths(from, 12 * n) };
  }
}

/** One whole unit, `offset` units from the current one (0 = this, -1 = last, 1 = next). */
function single(unit: Unit, offset: number, now: number): DateRange {
  const { start, shift } = unitOf(unit, now);
  const s = shift(start, offset);
  return { start: s, end: shift(s, 1) };
}

const NAMED: Record<string, [Unit, number]> = {
  YESTERDAY: ['DAYS', -1],
  TODAY: ['DAYS', 0],
  TOMORROW: ['DAYS', 1],
  LAST_WEEK: ['WEEKS', -1],
  THIS_WEEK: ['WEEKS', 0],
  NEXT_WEEK: ['WEEKS', 1],
  LAST_MONTH: ['MONTHS', -1],
  THIS_MONTH: ['MONTHS', 0],
  NEXT_MONTH: ['MONTHS', 1],
  LAST_QUARTER: ['QUARTERS', -1],
  THIS_QUARTER: ['QUARTERS', 0],
  NEXT_QUARTER: ['QUARTERS', 1],
  LAST_YEAR: ['YEARS', -1],
  THIS_YEAR: ['YEARS', 0],
  NEXT_YEAR: ['YEARS', 1],
};

export function dateLiteralRange(name: string, n: number | null, now: number): DateRange {
  const named = NAMED[name];
  if (named) return single(named[0], named[1], now);
  const today = startOfDay(now);
  if (name === 'LAST_90_DAYS') return { start: today - 90 * DAY, end: today + DAY };
  if (name === 'NEXT_90_DAYS') return { start: today + DAY, end: today + 91 * DAY };
  const count = n ?? 0;
  const last = /^LAST_N_(\w+)$/.exec(name);
  if (last) {
    const unit = last[1] as Unit;
    // LAST_N_DAYS includes today; the longer units count whole units before the current one.
    if (unit === 'DAYS') return { start: today - count * DAY, end: today + DAY };
    const { start, shift } = unitOf(unit, now);
    return { start: shift(start, -count), end: start };
  }
  const next = /^NEXT_N_(\w+)$/.exec(name);
  if (next) {
    const unit = next[1] as Unit;
    if (unit === 'DAYS') return { start: today + DAY, end: today + (count + 1) * DAY };
    const { start, shift } = unitOf(unit, now);
    return { start: shift(start, 1), end: shift(start, 1 + count) };
  }
  const ago = /^N_(\w+)_AGO$/.exec(name);
  if (ago) return single(ago[1] as Unit, -count, now);
  throw new Error(`unknown date literal ${name}`);
}
