import type { Conversation, Participant, Utterance } from './conversation.js';
import EmailReplyParser from 'email-reply-parser';
import { trimRange } from './normalize.js';
import { canonicalHeaderKey, LOCALE_HEADER_KEYS, localeHeaderDate } from './locale-headers.js';

/**
 * Emails as pasted or forwarded: RFC 822-style headers, a body, a signature, and quoted replies that
 * are kept in the text (offsets stay true) but marked quoted so nothing is extracted from them.
 */
const HEADER = new RegExp(
  String.raw`^(From|To|Cc|Bcc|Date|Sent|Subject|Reply-To|${LOCALE_HEADER_KEYS})\s*[:：]\s*(.*)$`,
  'i',
);

export function looksLikeEmail(text: string): boolean {
  const head = text.split('\n').slice(0, 12);
  const keys = new Set(
    head
      .map((l) => HEADER.exec(l)?.[1])
      .filter(Boolean)
      .map((k) => canonicalHeaderKey(k!)),
  );
  return keys.has('from') && (keys.has('to') || keys.has('subject') || keys.has('date') || keys.has('sent'));
}

/** A saved MIME message (.eml): its header block names a MIME version or a content type. */
export function looksLikeMime(text: string): boolean {
  // Real messages carry dozens of transport headers (Received, DKIM-Signature) before From.
  const head = text.trimStart().slice(0, 64_000).split('\n\n', 1)[0]!.split('\n');
  const headerLike = head.every((l) => /^[\w-]+\s*:/.test(l) || /^\s+\S/.test(l));
  const has = (name: RegExp) => head.some((l) => name.test(l));
  return (
    headerLike && has(/^From\s*:/i) && has(/^(MIME-Version|Content-Type|Content-Transfer-Encoding)\s*:/i)
  );
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
  return joinDirectoryNames(
    splitOutsideQuotes(value)
      .map((part) => part.trim())
      .filter(Boolean),
  ).map((part) => {
    const angle = /^"?([^"<]*?)"?\s*<([^>]+)>$/.exec(part);
    if (angle) return { name: displayName(angle[1]!), email: angle[2]!.trim().toLowerCase() };
    if (/^[^\s@]+@[^\s@]+$/.test(part)) return { name: null, email: part.toLowerCase() };
    return { name: part, email: null };
  });
}

/**
 * Outlook pastes directory names unquoted: "Okafor, Daniel <daniel@x.com>" is one mailbox, not a
 * person called "Okafor" and another called "Daniel". A lone word followed by a name with an address
 * is read as the surname of that name.
 */
function joinDirectoryNames(parts: string[]): string[] {
  const joined: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const next = parts[k + 1];
    if (next && /^[\p{L}'’-]+$/u.test(part) && /^[\p{L}'’. -]+<[^>]+>$/u.test(next)) {
      joined.push(`"${part}, ${next.replace(/\s*<.*$/, '')}" ${next.slice(next.indexOf('<'))}`);
      k++;
    } else joined.push(part);
  }
  return joined;
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
  const localised = localeHeaderDate(value);
  if (localised) return localised;
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

interface HeaderLine {
  key: string;
  value: string;
  start: number;
  end: number;
  /** For a From line inside the thread: the speaker label that message's lines carry. */
  sender?: string | null;
}

// Where an earlier message begins in a thread. Forwards bring a message into this conversation;
// replies quote history that is context only. Outlook writes the same separators for both, so its
// kind is read from the subject ("FW:" forwards).
const FORWARD_MARKERS = [
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^Begin forwarded message:?\s*$/i,
  /^-{2,}\s*(?:Weitergeleitete Nachricht|Mensaje reenviado|Message transféré|Mensagem encaminhada|转发的邮件|原始邮件)\s*-{2,}\s*$/i,
];
const REPLY_MARKERS = [
  /^On .{4,300}wrote:\s*$/,
  /^(?:El|Le|Am|Em|Il|Op) .{4,300}(?:escribió|a écrit|schrieb|escreveu|ha scritto|schreef)\s*:\s*$/i,
  /^在.{4,200}(?:写道|寫道)[:：]\s*$/,
];
const OUTLOOK_MARKERS = [/^-{2,}\s*Original Message\s*-{2,}/i, /^_{5,}\s*$/];
const FORWARD_SUBJECT = /^\s*(?:fw|fwd|tr|wg|rv|enc|转发|轉寄)\s*[:：]/i;

function isForwardSubject(subject: string): boolean {
  return FORWARD_SUBJECT.test(subject);
}

type Marker = { kind: 'forward' | 'reply' | 'outlook'; lines: number } | null;

/**
 * The lines `email-reply-parser` takes for the header of quoted history: its patterns cover the
 * "wrote:" lines of many mail clients and languages ("El … escribió:", "Am … schrieb …:",
 * "在 … 写道："). Only the first line of each quoted fragment is kept: the parser also calls quoted
 * the ">" lines, which are marked here line by line.
 */
function quoteHeaderLines(body: string): Set<string> {
  const found = new Set<string>();
  // Its patterns run on each line; bound the work on a pasted mailbox.
  for (const fragment of new EmailReplyParser().read(body.slice(0, 200_000)).getFragments()) {
    if (!fragment.isQuoted()) continue;
    const first = fragment.getContent().split('\n', 1)[0]!.trim();
    if (first && !first.startsWith('>')) found.add(first);
  }
  return found;
}

/** The separator that starts at line j, if any; "On … wrote:" may wrap onto a second line. */
function markerAt(lines: string[], j: number, quoteHeaders: Set<string>): Marker {
  const line = lines[j]!.trim();
  if (FORWARD_MARKERS.some((re) => re.test(line))) return { kind: 'forward', lines: 1 };
  if (REPLY_MARKERS.some((re) => re.test(line))) return { kind: 'reply', lines: 1 };
  const next = lines[j + 1]?.trim() ?? '';
  if (/^(?:On|El|Le|Am) /.test(line) && !/[.!?]$/.test(line) && line.length < 200) {
    if (REPLY_MARKERS.some((re) => re.test(`${line} ${next}`))) return { kind: 'reply', lines: 2 };
  }
  if (OUTLOOK_MARKERS.some((re) => re.test(line))) return { kind: 'outlook', lines: 1 };
  if (quoteHeaders.has(line) && !/^\*?From:/i.test(line)) return { kind: 'reply', lines: 1 };
  // An Outlook header block without a rule above it: "From:" then "Sent:"/"Date:" and "To:"/"Subject:".
  if (/^\*?From:\*?\s+\S/i.test(line)) {
    const block = lines.slice(j + 1, j + 6).map((l) => l.trim().replace(/^\*([^*]+):\*/, '$1:'));
    if (block.some((l) => /^(Sent|Date):/i.test(l)) && block.some((l) => /^(To|Subject):/i.test(l)))
      return { kind: 'outlook', lines: 0 };
  }
  return null;
}

/**
 * The body of a message, or a pasted thread of them, newest first. Each earlier message's separator
 * and header block are kept as quoted text (they are reproduced, not said); its From line names the
 * speaker of its lines. Everything after the first reply separator is history, kept and marked
 * quoted, so the newest message (and a message forwarded into this one) alone drives next steps
 * and the stage. Lines starting with ">" are quoted wherever they stand.
 */
function readThread(
  text: string,
  lines: string[],
  first: number,
  bodyOffset: number,
  sender: string | null,
  forwardedTop: boolean,
): { utterances: Utterance[]; headers: HeaderLine[] } {
  const utterances: Utterance[] = [];
  const headers: HeaderLine[] = [];
  let offset = bodyOffset;
  let speaker = sender;
  let history = false;
  let separators = 0;
  // Lines still to be read as the header block of the message a separator opened.
  let inHeaders = false;
  let blockHeaders = 0;
  const quoteHeaders = quoteHeaderLines(text.slice(bodyOffset));
  const push = (start: number, end: number, quoted: boolean, who: string | null) => {
    const [s, e] = trimRange(text, start, end);
    if (s === e) return;
    const last = utterances[utterances.length - 1];
    if (
      last &&
      last.quoted === quoted &&
      last.speaker === who &&
      text.slice(last.end, s).split('\n').length <= 2
    )
      last.end = e;
    else utterances.push({ speaker: who, start: s, end: e, quoted });
  };
  for (let j = first; j < lines.length; j++) {
    const line = lines[j]!;
    const start = offset;
    offset += line.length + 1;
    const marker = inHeaders ? null : markerAt(lines, j, quoteHeaders);
    if (marker) {
      const kind =
        marker.kind === 'outlook' ? (separators === 0 && forwardedTop ? 'forward' : 'reply') : marker.kind;
      separators++;
      if (kind === 'reply') history = true;
      inHeaders = true;
      blockHeaders = 0;
      speaker = null;
      let end = start + line.length;
      for (let k = 1; k < marker.lines; k++) {
        j++;
        end = offset + lines[j]!.length;
        offset += lines[j]!.length + 1;
      }
      push(start, end, true, null);
      if (marker.lines > 0) continue;
    }
    if (inHeaders) {
      const m = HEADER.exec(line.trim().replace(/^\*([^*]+):\*/, '$1:'));
      if (m) {
        const key = canonicalHeaderKey(m[1]!);
        const value = m[2]!.trim();
        const entry: HeaderLine = { key, value, start, end: start + line.length };
        if (key === 'from') {
          const box = parseMailboxes(value)[0];
          speaker = box?.name ?? box?.email ?? null;
          entry.sender = speaker;
        }
        headers.push(entry);
        blockHeaders++;
        push(start, start + line.length, true, null);
        continue;
      }
      if (line.trim() === '') {
        // Apple Mail leaves a blank line between "Begin forwarded message:" and the headers.
        if (blockHeaders > 0) inHeaders = false;
        continue;
      }
      inHeaders = false;
    }
    if (line.trim() === '') continue;
    const quoted = history || /^\s*>/.test(line);
    push(start, start + line.length, quoted, quoted ? null : speaker);
  }
  return { utterances, headers };
}

export function parseEmail(text: string): Conversation {
  const lines = text.split('\n');
  const headers: HeaderLine[] = [];
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
        key: canonicalHeaderKey(m[1]!),
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

  const from = parseMailboxes(headers.find((h) => h.key === 'from')?.value ?? '')[0] ?? null;
  const sender = from?.name ?? from?.email ?? null;
  const topSubject = headers.find((h) => h.key === 'subject')?.value ?? '';
  const body = readThread(text, lines, i, offset, sender, isForwardSubject(topSubject));
  const utterances = body.utterances;
  headers.push(...body.headers);

  const participants: Participant[] = [];
  const seen = new Set<string>();
  for (const h of headers.filter((x) => ['from', 'to', 'cc'].includes(x.key))) {
    for (const box of parseMailboxes(h.value)) {
      const name = box.name ?? null;
      if (!name && !box.email) continue;
      // A thread names the same people in every message's headers: each once, where first named.
      const key = (box.email ?? name!).toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const at = name ? text.indexOf(name, h.start) : -1;
      participants.push({
        name: name ?? box.email!,
        title: null,
        email: box.email,
        company: null,
        affiliation: null,
        speakerLabel: h.key === 'from' ? (h.sender ?? sender) : null,
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
