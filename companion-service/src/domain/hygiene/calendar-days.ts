/**
 * Calendar days as integers (days since 1970-01-01, UTC), so the engines compare and subtract dates
 * in constant time over a hundred thousand deals without building Date objects in their loops.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a `YYYY-MM-DD` date, or null when the text is not one. */
export function dayNumber(date: string | null | undefined): number | null {
  if (!date) return null;
  const m = ISO_DAY.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? null : ms / MS_PER_DAY;
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const day = dayNumber(date);
  if (day === null) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  return isoDay(day + days);
}
