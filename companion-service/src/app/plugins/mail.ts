import fp from 'fastify-plugin';
import type { DNSResolver } from 'mailauth';
import { NO_MAIL, type MailConfig } from '../../config/mail-config.js';
import { MailIntake } from '../../services/mail-intake.js';
import { MeetingEventWriter } from '../../services/meeting-events.js';
import { OrgUserDirectory } from '../../adapters/salesforce/org-users.js';
import { MailMetrics } from '../../adapters/metrics/mail-metrics.js';
import { SmtpListener } from '../../adapters/email/smtp-listener.js';
import mailRoutes from '../routes/mail.js';

/**
 * Email and calendar: POST /v1/emails and POST /v1/calendar always (behind the API key), the SMTP
 * listener for the logging address only when SCRIBE_MAIL_ADDRESS and SCRIBE_SMTP_PORT are set, and
 * the writer that turns recorded meetings into Salesforce Events (in worker processes).
 */

declare module 'fastify' {
  interface FastifyInstance {
    mail: {
      intake: MailIntake;
      /** The SMTP listener's port once listening; null when it is off. */
      smtpPort: () => number | null;
      /** Writes the Events of meetings recorded so far; resolves when done (tests, the demo). */
      writeMeetings: () => Promise<void>;
    };
  }
}

export interface MailPluginOptions {
  mail?: MailConfig;
  /** False: the Events are left to worker processes. */
  worker?: boolean;
  /** DNS for DKIM/SPF/DMARC; the system's when unset (tests answer from a table). */
  resolver?: DNSResolver;
  /** How often meetings whose Event is due are looked for when none was announced. */
  meetingPollMs?: number;
}

export default fp<MailPluginOptions>(
  async (app, options) => {
    const mail = options.mail ?? NO_MAIL;
    const db = app.conversations.org;
    const writer =
      options.worker === false
        ? null
        : new MeetingEventWriter({
            db,
            api: () => app.salesforce.api,
            snapshots: app.salesforce.snapshots,
            logger: app.log,
            pollMs: options.meetingPollMs,
          });
    const intake = new MailIntake({
      queue: app.ingest,
      db,
      users: new OrgUserDirectory(() => app.salesforce.api),
      meetingRecorded: () => void writer?.notify(),
      maxBytes: mail.maxBytes,
      maxConversationBytes: app.limits.maxConversationBytes,
      metrics: new MailMetrics(app.conversations.metrics.registry),
      logger: app.log,
    });
    let smtpPort: number | null = null;
    const listener =
      mail.smtp && mail.address
        ? new SmtpListener({
            settings: mail.smtp,
            address: mail.address,
            maxBytes: mail.maxBytes,
            resolver: options.resolver,
            logger: app.log,
            onOversize: () => intake.countOversize('smtp'),
            handle: async (raw, auth) => {
              const outcome = await intake.receiveEmail(raw, 'smtp', auth);
              if (outcome.kind === 'refused') {
                return {
                  accepted: false,
                  message: outcome.refusal.message,
                  temporary: outcome.refusal.temporary,
                };
              }
              return {
                accepted: true,
                message:
                  outcome.kind === 'email'
                    ? `logged as conversation ${outcome.conversationId}`
                    : 'meeting recorded',
              };
            },
          })
        : null;
    app.decorate('mail', {
      intake,
      smtpPort: () => smtpPort,
      writeMeetings: () => writer?.notify() ?? Promise.resolve(),
    });
    await app.register(mailRoutes, { intake, maxBytes: mail.maxBytes });
    app.addHook('onReady', async () => {
      writer?.start();
      if (listener) {
        smtpPort = await listener.listen();
        app.log.info({ port: smtpPort }, 'SMTP listener for the logging address started');
      }
    });
    app.addHook('onClose', async () => {
      await listener?.close();
      await writer?.stop();
    });
  },
  { name: 'mail', dependencies: ['conversations', 'salesforce'], fastify: '5.x' },
);
