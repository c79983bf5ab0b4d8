import { UsageError } from './options.js';

/** YYYY-MM-DD that is a real calendar date, or a usage error naming the option. */
export function parseIsoDate(value: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${option} "${value}" is not a date; use YYYY-MM-DD, e.g. 2026-03-10`);
  }
  return value;
}

export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
