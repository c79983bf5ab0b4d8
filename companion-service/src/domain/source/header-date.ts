/**
 * Notes and transcripts often carry their date in a title line ("Call notes 2026-03-09",
 * "Meeting date: March 9, 2026"). Only the first few lines are read: a date deep in the body is
 * something said, not when it was said.
 */
const ISO = /\b(20\d{2})-(\d{2})-(\d{2})\b/;
const WRITTEN =
  /\b((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+20\d{2})\b/i;
const US = /\b(\d{1,2})\/(\d{1,2})\/(20\d{2})\b/;

export function dateInHeader(text: string, lines = 3): string | null {
  const head = text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, lines);
  for (const line of head) {
    const iso = ISO.exec(line);
    if (iso && valid(+iso[1]!, +iso[2]!, +iso[3]!)) return iso[0];
    const us = US.exec(line);
    if (us && valid(+us[3]!, +us[1]!, +us[2]!)) return fmt(+us[3]!, +us[1]!, +us[2]!);
    const written = WRITTEN.exec(line);
    if (written) {
      const d = new Date(written[1]!.replace(/(\d)(st|nd|rd|th)/, '$1') + ' 12:00 UTC');
      if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 10);
    }
  }
  return null;
}

function valid(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function fmt(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
