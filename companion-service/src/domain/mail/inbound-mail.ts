/**
 * Whether a message sent to the logging address may be logged: it must come from one of the org's
 * active users, and over SMTP its From domain must be authenticated (DMARC, or without a DMARC
 * record an aligned DKIM signature or SPF pass). Anything else is refused with a reason a sender or
 * an operator can act on, and the reason's code is what /metrics counts.
 */

/** How a message came: the SMTP listener, or the API (POST /v1/emails, POST /v1/calendar). */
export type Via = 'smtp' | 'api';
export type Channel = 'email' | 'calendar';

/** What intake counts (adapters/metrics/mail-metrics.ts puts it on /metrics). */
export interface IntakeMetrics {
  accepted(channel: Channel, via: Via): void;
  refused(channel: Channel, via: Via, code: MailRefusalCode): void;
}

export const MAIL_REFUSALS = [
  'malformed',
  'too-large',
  'unauthenticated',
  'auth-unavailable',
  'sender-not-in-org',
  'not-for-us',
] as const;
export type MailRefusalCode = (typeof MAIL_REFUSALS)[number];

export interface MailRefusal {
  code: MailRefusalCode;
  /** Said to the sender (SMTP reply, HTTP body): never the message's content. */
  message: string;
  /** True when the same message may succeed later (a DNS timeout): SMTP answers 4xx, not 5xx. */
  temporary: boolean;
}

/** What mailauth found, reduced to what the decision needs. */
export interface MailAuthentication {
  /** The From header's domain, or null when the header names none or more than one address. */
  fromDomain: string | null;
  /** The DMARC result: pass, fail, none (no record), temperror, and the like. */
  dmarc: string;
  /** A DKIM signature of the From domain (or its organisation) verified. */
  dkimAligned: boolean;
  /** SPF passed for an envelope domain aligned with the From domain. */
  spfAligned: boolean;
}

const refusal = (code: MailRefusalCode, message: string, temporary = false): MailRefusal => ({
  code,
  message,
  temporary,
});

/** Null when the message's From domain is authenticated; otherwise why it is refused. */
export function authenticationRefusal(auth: MailAuthentication): MailRefusal | null {
  if (!auth.fromDomain) {
    return refusal('malformed', 'the From header must name exactly one address');
  }
  if (auth.dmarc === 'temperror') {
    return refusal(
      'auth-unavailable',
      `the DMARC record of ${auth.fromDomain} could not be read just now; try again later`,
      true,
    );
  }
  if (auth.dmarc === 'pass') return null;
  if (auth.dmarc === 'none' && (auth.dkimAligned || auth.spfAligned)) return null;
  const why =
    auth.dmarc === 'fail'
      ? `fails ${auth.fromDomain}'s DMARC policy`
      : `carries no DKIM signature of ${auth.fromDomain} and no SPF pass aligned with it`;
  return refusal(
    'unauthenticated',
    `the message ${why}: send it from your own mailbox, whose server signs it, not through another relay`,
  );
}

export function senderRefusal(sender: string | null, isActiveUser: boolean): MailRefusal | null {
  if (!sender) return refusal('malformed', 'the From header must name exactly one address');
  if (isActiveUser) return null;
  return refusal(
    'sender-not-in-org',
    'the sender is not an active user of the Salesforce org: send from the address on your Salesforce user',
  );
}

export function tooLargeRefusal(bytes: number, maxBytes: number): MailRefusal | null {
  if (bytes <= maxBytes) return null;
  return refusal(
    'too-large',
    `the message is ${bytes} bytes, over the limit of ${maxBytes} bytes (SCRIBE_EMAIL_MAX_BYTES): send it without its attachments`,
  );
}

/** An address as SMTP and SOQL may carry it: one mailbox, no quotes, spaces or control characters. */
const MAILBOX = /^[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}$/;

/** The address lower-cased when it is one plain mailbox, else null. */
export function plainMailbox(address: string | null | undefined): string | null {
  const trimmed = address?.trim() ?? '';
  return MAILBOX.test(trimmed) ? trimmed.toLowerCase() : null;
}
