import type { Conversation, Participant, Utterance } from './conversation.js';
import { trimRange } from './normalize.js';

/**
 * Emails as pasted or forwarded: RFC 822-style headers, a body, a signature, and quoted replies that
 * are kept in the text (offsets stay true) but marked quoted so nothing is extracted from them.
 */
const HEADER = /^(From|To|Cc|Bcc|Date|Sent|Subject|Reply-To)\s*:\s*(.*)$/i;
const REPLY_MARKERS = [
  /^On .{4,200}wrote:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}/i,
  /^-{2,}\s*Forwarded message\s*-{2,}/i,
  /^From:\s.+$/i,
  /^_{5,}\s*$/,
];

export function looksLikeEmail(text: string): boolean {
  const head = text.split('\n').slice(0, 12);
  const keys = new Set(head.map((l) => HEADER.exec(l)?.[1]?.toLowerCase()).filter(Boolean));
  return keys.has('from') && (keys.has('to') || keys.has('subject') || keys.has('date') || keys.has('sent'));
}

export interface Mailbox {
  name: string | null;
  email: string | null;
}

/**
 * A header's address list split at the commas and semicolons outside quotes, in one pass: a split
 * by a lookahead for balanced quotes rescans the rest of the line at every comma (quadratic: a
 * 120 KB line of 20,000 addresses took 8 s).
 */
function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === ';')) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

export function parseMailboxes(value: string): Mailbox[] {
  return splitOutsideQuotes(value)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const angle = /^"?([^"<]*?)"?\s*<([^>]+)>$/.exec(part);
      if (angle) return { name: displayName(angle[1]!), email: angle[2]!.trim().toLowerCase() };
      if (/^[^\s@]+@[^\s@]+$/.test(part)) return { name: null, email: part.toLowerCase() };
      return { name: part, email: null };
    });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Year, month and day as written: "2026-03-10", "10 Mar 2026" (RFC 5322) or "March 10, 2026" (Outlook). */
function writtenDate(value: string): [number, number, number] | null {
  const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(value);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const dayFirst = /\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(value);
  if (dayFirst && month(dayFirst[2]!) > 0)
    return [Number(dayFirst[3]), month(dayFirst[2]!), Number(dayFirst[1])];
  const monthFirst = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(value);
  if (monthFirst && month(monthFirst[1]!) > 0)
    return [Number(monthFirst[3]), month(monthFirst[1]!), Number(monthFirst[2])];
  return null;
}

/** "Okafor, Daniel" (directory style) reads as "Daniel Okafor". */
function displayName(raw: string): string | null {
  const name = raw.trim();
  const reversed = /^([^,\s]+),\s*([^,]+)$/.exec(name);
  return (reversed ? `${reversed[2]} ${reversed[1]}` : name) || null;
}

/**
 * The calendar date the header states, in the sender's own time zone: "Tue, 10 Mar 2026 21:15 -0500"
 * is March 10 even though it is already March 11 in UTC, whatever zone this process runs in.
 */
function toIsoDate(value: string): string | null {
  const written = writtenDate(value);
  if (written) {
    const [y, m, d] = written;
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date.toISOString().slice(0, 10) : null;
  }
  // Other spellings ("3/10/2026 9:15 AM"): Date.parse reads them as local time, so read them back the same way.
  const ms = Date.parse(value.replace(/\s+at\s+/i, ' '));
  if (Number.isNaN(ms)) return null;
  const local = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

export function parseEmail(text: string): Conversation {
  const lines = text.split('\n');
  const headers: { key: string; value: string; start: number; end: number }[] = [];
  let offset = 0;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = HEADER.exec(line);
    if (!m && headers.length === 0 && line.trim() === '') {
      // Blank lines above the headers (a paste that starts with an empty line).
      offset += line.length + 1;
      continue;
    }
    if (m) {
      headers.push({
        key: m[1]!.toLowerCase(),
        value: m[2]!.trim(),
        start: offset,
        end: offset + line.length,
      });
    } else if (/^\s+\S/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last.value += ' ' + line.trim();
      last.end = offset + line.length;
    } else if (line.trim() === '' || headers.length > 0) {
      if (line.trim() === '') {
        offset += line.length + 1;
        i++;
      }
      break;
    }
    offset += line.length + 1;
  }

  // Body: everything up to the first reply marker; quoted lines (">") anywhere are quoted.
  const utterances: Utterance[] = [];
  const from = parseMailboxes(headers.find((h) => h.key === 'from')?.value ?? '')[0] ?? null;
  const sender = from?.name ?? from?.email ?? null;
  let inReply = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const start = offset;
    offset += line.length + 1;
    if (!inReply && REPLY_MARKERS.some((re) => re.test(line.trim()))) inReply = true;
    const quoted = inReply || /^\s*>/.test(line);
    if (line.trim() === '') continue;
    const [s, e] = trimRange(text, start, start + line.length);
    const last = utterances[utterances.length - 1];
    if (last && last.quoted === quoted && text.slice(last.end, s).split('\n').length <= 2) last.end = e;
    else utterances.push({ speaker: quoted ? null : sender, start: s, end: e, quoted });
  }

  const participants: Participant[] = [];
  for (const h of headers.filter((x) => ['from', 'to', 'cc'].includes(x.key))) {
    for (const box of parseMailboxes(h.value)) {
      const name = box.name ?? null;
      if (!name && !box.email) continue;
      const at = name ? text.indexOf(name, h.start) : -1;
      participants.push({
        name: name ?? box.email!,
        title: null,
        email: box.email,
        company: null,
        affiliation: null,
        speakerLabel: h.key === 'from' ? sender : null,
        evidenceStart: at >= 0 && at < h.end ? at : h.start,
        evidenceEnd: at >= 0 && at < h.end ? at + name!.length : h.end,
      });
    }
  }
  const dateHeader = headers.find((h) => h.key === 'date' || h.key === 'sent');
  return {
    format: 'email',
    text,
    utterances,
    participants,
    meetingDate: dateHeader ? toIsoDate(dateHeader.value) : null,
    subject: headers.find((h) => h.key === 'subject')?.value ?? null,
    crmContext: null,
  };
}
