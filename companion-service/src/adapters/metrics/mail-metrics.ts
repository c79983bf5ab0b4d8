import { Counter, type Registry } from 'prom-client';
import type { Channel, IntakeMetrics, MailRefusalCode, Via } from '../../domain/mail/inbound-mail.js';

/** Email and calendar intake on the app's registry: what was accepted, and what was refused and why. */
export class MailMetrics implements IntakeMetrics {
  private readonly acceptedTotal: Counter<'channel' | 'via'>;
  private readonly refusedTotal: Counter<'channel' | 'via' | 'reason'>;

  constructor(registry: Registry) {
    this.acceptedTotal = new Counter({
      name: 'scribe_mail_accepted_total',
      help: 'Emails and calendar invitations accepted, by channel and how they came (smtp, api)',
      labelNames: ['channel', 'via'],
      registers: [registry],
    });
    this.refusedTotal = new Counter({
      name: 'scribe_mail_refused_total',
      help: 'Emails and calendar invitations refused, by channel, how they came, and the reason',
      labelNames: ['channel', 'via', 'reason'],
      registers: [registry],
    });
  }

  accepted(channel: Channel, via: Via): void {
    this.acceptedTotal.inc({ channel, via });
  }

  refused(channel: Channel, via: Via, code: MailRefusalCode): void {
    this.refusedTotal.inc({ channel, via, reason: code });
  }
}
