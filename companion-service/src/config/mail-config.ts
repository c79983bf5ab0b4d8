import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, port, problemWith, readSection, wholeNumber as whole, type Fixes } from './env.js';

/**
 * How email and calendar invitations reach the service (SCRIBE_MAIL_*, SCRIBE_SMTP_*): the address
 * reps BCC or forward to, the SMTP listener that receives it, and how large one message may be.
 * The listener is off unless both the address and the port are set: a mail server open to the
 * internet is never started by a default.
 */

export class MailConfigError extends ConfigError {}

const MailEnvSchema = z.object({
  SCRIBE_MAIL_ADDRESS: z.email().optional(),
  SCRIBE_SMTP_PORT: port.optional(),
  SCRIBE_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SCRIBE_SMTP_TLS_KEY_FILE: z.string().min(1).optional(),
  SCRIBE_SMTP_TLS_CERT_FILE: z.string().min(1).optional(),
  SCRIBE_EMAIL_MAX_BYTES: whole(10_000, 100_000_000).default(10_485_760),
});

const FIXES: Fixes<typeof MailEnvSchema> = {
  SCRIBE_MAIL_ADDRESS:
    'set the address reps BCC or forward to, such as log@scribe.example.com (its domain is where your MX record points)',
  SCRIBE_SMTP_PORT:
    'use the TCP port the SMTP listener takes, such as 2525 (25 behind a port forward); 0 picks a free one',
  SCRIBE_SMTP_HOST:
    'use the interface the SMTP listener binds, such as 0.0.0.0 to take mail from the internet',
  SCRIBE_SMTP_TLS_KEY_FILE: 'set the path of the PEM private key offered with STARTTLS',
  SCRIBE_SMTP_TLS_CERT_FILE: 'set the path of the PEM certificate chain offered with STARTTLS',
  SCRIBE_EMAIL_MAX_BYTES:
    'use the largest message accepted, in bytes, attachments included, from 10000 to 100000000 (10485760, the default, is 10 MB)',
};

const problem = problemWith(FIXES);

export interface SmtpSettings {
  host: string;
  port: number;
  /** The name the listener greets with: the address's domain. */
  hostname: string;
  /** STARTTLS's key and certificate, PEM; null offers no STARTTLS. */
  tls: { key: string; cert: string } | null;
}

export interface MailConfig {
  /** The address mail is logged from; null when email is not set up. */
  address: string | null;
  /** The SMTP listener; null (off) unless SCRIBE_MAIL_ADDRESS and SCRIBE_SMTP_PORT are set. */
  smtp: SmtpSettings | null;
  /** The largest raw message accepted over SMTP or POST /v1/emails, attachments included. */
  maxBytes: number;
}

export const NO_MAIL: MailConfig = { address: null, smtp: null, maxBytes: 10_485_760 };

function readPem(path: string, name: 'SCRIBE_SMTP_TLS_KEY_FILE' | 'SCRIBE_SMTP_TLS_CERT_FILE'): string {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own setting names the file
    return readFileSync(path, 'utf8');
  } catch {
    throw new MailConfigError(problem(name, `("${path}") cannot be read`));
  }
}

export function loadMailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const e = readSection(env, MailEnvSchema, FIXES, { error: MailConfigError });
  if (e.SCRIBE_SMTP_PORT !== undefined && !e.SCRIBE_MAIL_ADDRESS) {
    throw new MailConfigError(problem('SCRIBE_MAIL_ADDRESS', 'is not set, and the SMTP listener needs it'));
  }
  if (Boolean(e.SCRIBE_SMTP_TLS_KEY_FILE) !== Boolean(e.SCRIBE_SMTP_TLS_CERT_FILE)) {
    const missing = e.SCRIBE_SMTP_TLS_KEY_FILE ? 'SCRIBE_SMTP_TLS_CERT_FILE' : 'SCRIBE_SMTP_TLS_KEY_FILE';
    throw new MailConfigError(problem(missing, 'is not set, and STARTTLS needs the key and the certificate'));
  }
  const address = e.SCRIBE_MAIL_ADDRESS?.toLowerCase() ?? null;
  const tls =
    e.SCRIBE_SMTP_TLS_KEY_FILE && e.SCRIBE_SMTP_TLS_CERT_FILE
      ? {
          key: readPem(e.SCRIBE_SMTP_TLS_KEY_FILE, 'SCRIBE_SMTP_TLS_KEY_FILE'),
          cert: readPem(e.SCRIBE_SMTP_TLS_CERT_FILE, 'SCRIBE_SMTP_TLS_CERT_FILE'),
        }
      : null;
  return {
    address,
    smtp:
      address && e.SCRIBE_SMTP_PORT !== undefined
        ? { host: e.SCRIBE_SMTP_HOST, port: e.SCRIBE_SMTP_PORT, hostname: address.split('@')[1]!, tls }
        : null,
    maxBytes: e.SCRIBE_EMAIL_MAX_BYTES,
  };
}
