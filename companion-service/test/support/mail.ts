import { generateKeyPairSync } from 'node:crypto';
import net from 'node:net';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { DNSResolver } from 'mailauth';

/**
 * Mail as a rep's mail server sends it, for the intake tests: messages DKIM-signed with a test key,
 * a DNS table standing in for the resolver (TXT records only; anything else is "no such record",
 * as a resolver says it), and a small SMTP client that speaks the protocol over loopback.
 */

export const REP = 'avery.rep@pipeline-scribe.local';
export const REP_DOMAIN = 'pipeline-scribe.local';
export const SELECTOR = 'scribe-test';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const DKIM_PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyBase64 = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** The rep's domain publishes its DKIM key, a strict DMARC policy, and an SPF record that allows no host. */
export function dnsTable(extra: Record<string, string[]> = {}): DNSResolver {
  const txt: Record<string, string[]> = {
    [`${SELECTOR}._domainkey.${REP_DOMAIN}`]: [`v=DKIM1; k=rsa; p=${publicKeyBase64}`],
    [`_dmarc.${REP_DOMAIN}`]: ['v=DMARC1; p=reject'],
    [REP_DOMAIN]: ['v=spf1 -all'],
    ...extra,
  };
  return async (name, rrtype) => {
    const records = rrtype === 'TXT' ? txt[name.toLowerCase()] : undefined;
    if (!records) throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' });
    return records.map((r) => [r]);
  };
}

export async function signed(message: string, domain = REP_DOMAIN): Promise<string> {
  // mailauth signs with each entry of signatureData (its typings name only the single-key fields).
  const { signatures } = await dkimSign(message, {
    signatureData: [{ signingDomain: domain, selector: SELECTOR, privateKey: DKIM_PRIVATE_KEY }],
  } as never);
  return signatures + message;
}

export interface EmailParts {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string;
  body?: string;
  /** A PDF attached beside the body. */
  attachment?: { filename: string; bytes: number };
  /** An iCalendar part sent as the invitation. */
  calendar?: string;
}

/** An RFC 822 message with CRLF line ends, multipart when it carries an attachment or an invitation. */
export function email(parts: EmailParts = {}): string {
  const headers = [
    `From: Avery Rep <${parts.from ?? REP}>`,
    `To: ${parts.to ?? 'Dmitri Volkov <dmitri.volkov@fabrikam.com>, Hannah Cole <hannah.cole@fabrikam.com>'}`,
    `Subject: ${parts.subject ?? 'Fabrikam pricing and the security review'}`,
    'Date: Thu, 12 Mar 2026 09:14:00 -0500',
    `Message-ID: <${parts.messageId ?? 'pricing-1@pipeline-scribe.local'}>`,
    'MIME-Version: 1.0',
  ];
  const body =
    parts.body ??
    [
      'Hi Dmitri, hi Hannah,',
      '',
      'Thanks for the call. As agreed, I will send the revised proposal at $120,000 by Friday,',
      'and Hannah will share the security questionnaire with your IT team next week.',
      '',
      'Best,',
      'Avery',
    ].join('\r\n');
  if (!parts.attachment && !parts.calendar) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
  }
  const boundary = 'scribe-boundary-42';
  const lines = [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`];
  lines.push('Content-Type: text/plain; charset=utf-8', '', body);
  if (parts.attachment) {
    const content = Buffer.alloc(parts.attachment.bytes, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    lines.push(
      `--${boundary}`,
      `Content-Type: application/pdf; name="${parts.attachment.filename}"`,
      `Content-Disposition: attachment; filename="${parts.attachment.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      content,
    );
  }
  if (parts.calendar) {
    lines.push(
      `--${boundary}`,
      'Content-Type: text/calendar; method=REQUEST; charset=utf-8',
      '',
      parts.calendar,
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

export interface MeetingParts {
  uid?: string;
  sequence?: number;
  method?: 'REQUEST' | 'CANCEL';
  start?: string;
  end?: string;
  summary?: string;
  organizer?: string;
  attendees?: string[];
}

/** An invitation as Outlook and Google send it: a VTIMEZONE, then the VEVENT in that zone. */
export function invitation(parts: MeetingParts = {}): string {
  const attendees = parts.attendees ?? ['dmitri.volkov@fabrikam.com', 'hannah.cole@fabrikam.com'];
  return [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    `METHOD:${parts.method ?? 'REQUEST'}`,
    'BEGIN:VTIMEZONE',
    'TZID:Eastern Standard Time',
    'BEGIN:STANDARD',
    'DTSTART:16011104T020000',
    'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010311T020000',
    'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${parts.uid ?? '040000008200E00074C5B7101A82E0080000000010FABRIKAM'}`,
    `SEQUENCE:${parts.sequence ?? 0}`,
    'DTSTAMP:20260310T120000Z',
    `DTSTART;TZID=Eastern Standard Time:${parts.start ?? '20260316T100000'}`,
    `DTEND;TZID=Eastern Standard Time:${parts.end ?? '20260316T110000'}`,
    `SUMMARY:${parts.summary ?? 'Fabrikam security review'}`,
    `ORGANIZER;CN=Avery Rep:mailto:${parts.organizer ?? REP}`,
    ...attendees.map((a) => `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${a}`),
    ...(parts.method === 'CANCEL' ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Sends one message over SMTP and answers the server's reply to the message (or to the command refused). */
export async function sendSmtp(
  port: number,
  message: string,
  envelope: { from: string; to: string } = { from: REP, to: 'log@scribe.example.com' },
): Promise<{ code: number; text: string }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    // A reply is complete at a line whose code is followed by a space (RFC 5321 §4.2.1).
    while ((end = buffer.search(/^\d{3} .*\r\n/m)) >= 0) {
      const lineEnd = buffer.indexOf('\r\n', end) + 2;
      const reply = buffer.slice(0, lineEnd);
      buffer = buffer.slice(lineEnd);
      waiting.shift()?.(reply);
    }
  });
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const command = async (line: string) => {
    const reply = next();
    socket.write(`${line}\r\n`);
    return reply;
  };
  const parse = (reply: string) => {
    const last = reply.trimEnd().split('\r\n').pop()!;
    return { code: Number(last.slice(0, 3)), text: last.slice(4) };
  };
  try {
    await next();
    await command('EHLO mail.pipeline-scribe.local');
    await command(`MAIL FROM:<${envelope.from}>`);
    const rcpt = parse(await command(`RCPT TO:<${envelope.to}>`));
    if (rcpt.code >= 400) return rcpt;
    await command('DATA');
    const stuffed = message.replace(/\r\n\./g, '\r\n..');
    return parse(await command(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.`));
  } finally {
    socket.end('QUIT\r\n');
  }
}
