import { simpleParser } from 'mailparser';
import { renderMail } from './mime.js';

/**
 * A message received at the logging address, read once by `mailparser`: who sent it, its id, the
 * plain email the conversation parser reads (attachments left out), the attachments by name only
 * (they are listed, never read), and the calendar invitations it carries (a text/calendar part,
 * inline or attached), which are meetings, not an email to log.
 */

export interface AttachmentListing {
  filename: string;
  contentType: string;
  bytes: number;
}

export interface InboundMessage {
  /** The From header's addresses, as written. */
  from: string[];
  /** Message-ID as written, angle brackets and all (as conversation-input.ts reads it); null when none. */
  messageId: string | null;
  /** The message rendered as the plain email the conversation parser reads. */
  text: string;
  /** Whether the body says anything besides headers. */
  hasBody: boolean;
  attachments: AttachmentListing[];
  /** Each text/calendar part's text, in the order they appear. */
  calendars: string[];
}

export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

const isCalendar = (contentType: string, filename: string | undefined) =>
  contentType.toLowerCase().startsWith('text/calendar') || /\.ics$/i.test(filename ?? '');

export async function readInboundMessage(raw: Buffer): Promise<InboundMessage> {
  // A message is headers, a blank line, then a body: without a header block it is not one.
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  if (!/^[\w-]+[ \t]*:/.test(head) || !/\r?\n\r?\n/.test(head)) {
    throw new MalformedMessage(
      'the body is not an RFC 822 message: it must start with headers, then a blank line',
    );
  }
  let mail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (error) {
    throw new MalformedMessage(`the message cannot be decoded (${(error as Error).message})`);
  }
  const from = [mail.from ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
  const calendars: string[] = [];
  const attachments: AttachmentListing[] = [];
  for (const part of mail.attachments) {
    // mailparser leaves the type undefined for a part whose Content-Type header is empty (a message cut
    // off mid-header, found by the fuzz test); such a part is opaque bytes, listed and never read.
    const contentType = typeof part.contentType === 'string' ? part.contentType : 'application/octet-stream';
    if (isCalendar(contentType, part.filename)) calendars.push(part.content.toString('utf8'));
    else {
      attachments.push({
        filename: part.filename ?? '(unnamed)',
        contentType,
        bytes: part.size,
      });
    }
  }
  const text = renderMail(mail);
  return {
    from,
    messageId: mail.messageId?.trim() || null,
    text,
    hasBody: (mail.text ?? '').trim().length > 0,
    attachments,
    calendars,
  };
}
