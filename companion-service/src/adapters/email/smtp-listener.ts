import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { DNSResolver } from 'mailauth';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { SmtpSettings } from '../../config/mail-config.js';
import { plainMailbox, type MailAuthentication } from '../../domain/mail/inbound-mail.js';
import { authenticateMessage } from './mail-authentication.js';

/**
 * The SMTP listener for the logging address, on `smtp-server`: mail for that address only (any other
 * recipient is refused at RCPT TO, so it is no open relay), no AUTH (senders are authenticated by
 * DKIM/SPF/DMARC), STARTTLS when a certificate is set, and messages over the size limit refused as
 * they arrive. A message is answered 250 only once the handler has stored it; a refusal is answered
 * 550 with its reason (451 when it may pass later), as RFC 5321 §4.2 expects.
 */

export interface SmtpVerdict {
  accepted: boolean;
  /** The reply's text: the reason when refused. */
  message: string;
  /** A refusal that may pass later: 451 instead of 550. */
  temporary?: boolean;
}

export type SmtpMessageHandler = (raw: Buffer, auth: MailAuthentication) => Promise<SmtpVerdict>;

export interface SmtpListenerOptions {
  settings: SmtpSettings;
  /** The one address mail is taken for, lower-cased. */
  address: string;
  maxBytes: number;
  handle: SmtpMessageHandler;
  logger: Logger;
  /** Counts a message refused for its size, which never reaches `handle`. */
  onOversize?: () => void;
  /** DNS for mailauth; the system's when unset. */
  resolver?: DNSResolver;
}

const replyError = (message: string, code: number) =>
  Object.assign(new Error(message), { responseCode: code });

async function readAll(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    // Read to the end either way, as the protocol needs, but keep nothing past the limit.
    if (bytes <= maxBytes) chunks.push(chunk as Buffer);
  }
  return stream.sizeExceeded || bytes > maxBytes ? null : Buffer.concat(chunks);
}

export class SmtpListener {
  private readonly server: SMTPServer;

  constructor(private readonly options: SmtpListenerOptions) {
    const { settings, address, maxBytes, logger } = options;
    this.server = new SMTPServer({
      name: settings.hostname,
      banner: 'Pipeline Scribe: mail to be logged in Salesforce',
      size: maxBytes,
      authOptional: true,
      disabledCommands: ['AUTH', ...(settings.tls ? [] : ['STARTTLS'])],
      ...(settings.tls ? { key: settings.tls.key, cert: settings.tls.cert } : {}),
      // The connection's own logger would print addresses; our handler logs what it decides.
      logger: false,
      onRcptTo: (rcpt, _session, callback) => {
        if (plainMailbox(rcpt.address) === address) return callback();
        callback(replyError(`this server takes mail for ${address} only`, 550));
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (verdict) => {
            if (verdict.accepted) return callback(null, verdict.message);
            callback(replyError(verdict.message, verdict.temporary ? 451 : 550));
          },
          (error: unknown) => {
            logger.error({ err: error }, 'a message received over SMTP could not be stored');
            callback(replyError('the message could not be stored just now; try again later', 451));
          },
        );
      },
    });
    this.server.on('error', (error) => logger.warn({ err: error }, 'SMTP connection error'));
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<SmtpVerdict> {
    const raw = await readAll(stream, this.options.maxBytes);
    if (!raw) {
      this.options.onOversize?.();
      return {
        accepted: false,
        message: `the message is over the limit of ${this.options.maxBytes} bytes (SCRIBE_EMAIL_MAX_BYTES): send it without its attachments`,
      };
    }
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const auth = await authenticateMessage(
      raw,
      { ip: session.remoteAddress, helo: session.hostNameAppearsAs || session.clientHostname, mailFrom },
      { mta: this.options.settings.hostname, resolver: this.options.resolver },
    );
    return this.options.handle(raw, auth);
  }

  /** Listens; resolves with the port taken (the configured one, or a free one for 0). */
  async listen(): Promise<number> {
    const { host, port } = this.options.settings;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
