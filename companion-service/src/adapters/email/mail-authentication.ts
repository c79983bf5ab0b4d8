import { authenticate, type DNSResolver } from 'mailauth';
import type { MailAuthentication } from '../../domain/mail/inbound-mail.js';

/**
 * DKIM, SPF and DMARC for a message received over SMTP, checked by `mailauth` against what the
 * connection said (the client's address, its HELO name, the envelope sender). The resolver is
 * the system's DNS unless one is given (tests answer from a table, never the network).
 */

export interface SmtpEnvelope {
  /** The connecting client's IP address. */
  ip: string;
  /** The name the client gave in HELO/EHLO. */
  helo: string;
  /** MAIL FROM; empty for a bounce. */
  mailFrom: string;
}

/** Relaxed alignment (RFC 7489 §3.1): the same domain, or one a subdomain of the other. */
function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

export async function authenticateMessage(
  raw: Buffer,
  envelope: SmtpEnvelope,
  options: { mta: string; resolver?: DNSResolver },
): Promise<MailAuthentication> {
  const result = await authenticate(raw, {
    ip: envelope.ip,
    helo: envelope.helo,
    sender: envelope.mailFrom,
    mta: options.mta,
    ...(options.resolver ? { resolver: options.resolver } : {}),
    disableArc: true,
    disableBimi: true,
  });
  const from = result.dkim.headerFrom;
  const fromAddress = from.length === 1 ? from[0]! : null;
  const fromDomain = fromAddress?.includes('@') ? fromAddress.split('@').pop()!.toLowerCase() : null;
  const dkimAligned =
    fromDomain !== null &&
    result.dkim.results.some((r) => r.status.result === 'pass' && aligned(r.signingDomain, fromDomain));
  const spf = result.spf;
  const spfAligned =
    fromDomain !== null && spf !== false && spf.status.result === 'pass' && aligned(spf.domain, fromDomain);
  return {
    fromDomain,
    dmarc: result.dmarc ? result.dmarc.status.result : 'none',
    dkimAligned,
    spfAligned,
  };
}
