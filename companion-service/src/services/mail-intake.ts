import { createHash, randomUUID } from 'node:crypto';
import type { OrgDatabase } from '../adapters/postgres/org-scope.js';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { conversationTooLarge, type IngestQueue } from '../domain/source/ingest-queue.js';
import {
  authenticationRefusal,
  plainMailbox,
  senderRefusal,
  tooLargeRefusal,
  type MailAuthentication,
  type MailRefusal,
  type Channel,
  type IntakeMetrics,
  type Via,
} from '../domain/mail/inbound-mail.js';
import type { Invitation, InvitationVerdict } from '../domain/calendar/invitation.js';
import {
  MalformedMessage,
  readInboundMessage,
  type AttachmentListing,
} from '../adapters/email/inbound-message.js';
import { MalformedCalendar, readInvitations } from '../adapters/calendar/ics.js';
import { recordInvitation } from '../adapters/postgres/meeting-table.js';
import type { OrgUser } from '../adapters/salesforce/org-users.js';
import { emailSourceId } from './conversation-input.js';

/**
 * What happens to a message sent to the logging address (over SMTP or POST /v1/emails) and to an
 * invitation uploaded to POST /v1/calendar: refused with a reason and counted, or accepted, which
 * means durably stored before the caller hears so. An email is queued as a conversation like any
 * other, under its Message-ID, so the same message by BCC and by the API is one conversation; a
 * message that carries an invitation is the meeting, recorded under its UID, not an email to log.
 */

export interface MailIntakeDeps {
  queue: IngestQueue;
  /** The org's rows (org-scope.ts). */
  db: OrgDatabase;
  users: { activeUser(email: string): Promise<OrgUser | null> };
  /** Told when a meeting was recorded, so its Event is written now rather than at the next poll. */
  meetingRecorded: () => void;
  maxBytes: number;
  maxConversationBytes: number;
  metrics: IntakeMetrics;
  logger: Logger;
}

export interface MeetingAck {
  uid: string;
  verdict: InvitationVerdict;
}

export type IntakeOutcome =
  | {
      kind: 'email';
      conversationId: string;
      duplicate: boolean;
      attachments: AttachmentListing[];
    }
  | { kind: 'calendar'; meetings: MeetingAck[] }
  | { kind: 'refused'; channel: Channel; refusal: MailRefusal };

/** An organizer and attendees beyond this are not looked up as users: an invitation names a few. */
const MAX_USER_LOOKUPS = 10;

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export class MailIntake {
  constructor(private readonly deps: MailIntakeDeps) {}

  private refuse(channel: Channel, via: Via, refusal: MailRefusal): IntakeOutcome {
    this.deps.metrics.refused(channel, via, refusal.code);
    // The code only: the sender's address and the message are personal data.
    this.deps.logger.warn({ channel, via, reason: refusal.code }, 'inbound message refused');
    return { kind: 'refused', channel, refusal };
  }

  /** A message the SMTP listener refused for its size before reading it to the end. */
  countOversize(via: Via): void {
    this.deps.metrics.refused('email', via, 'too-large');
    this.deps.logger.warn({ channel: 'email', via, reason: 'too-large' }, 'inbound message refused');
  }

  /**
   * A raw RFC 822 message. Over SMTP, `auth` is what mailauth found for it; through the API the
   * caller's key stands for that, and `auth` is null.
   */
  async receiveEmail(raw: Buffer, via: Via, auth: MailAuthentication | null): Promise<IntakeOutcome> {
    const tooLarge = tooLargeRefusal(raw.length, this.deps.maxBytes);
    if (tooLarge) return this.refuse('email', via, tooLarge);
    if (via === 'smtp') {
      const unauthenticated = auth
        ? authenticationRefusal(auth)
        : {
            code: 'unauthenticated' as const,
            message: 'the message was not authenticated',
            temporary: false,
          };
      if (unauthenticated) return this.refuse('email', via, unauthenticated);
    }
    let message;
    try {
      message = await readInboundMessage(raw);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      return this.refuse('email', via, { code: 'malformed', message: error.message, temporary: false });
    }
    const sender = message.from.length === 1 ? plainMailbox(message.from[0]) : null;
    const user = sender ? await this.deps.users.activeUser(sender) : null;
    const notUser = senderRefusal(sender, user !== null);
    if (notUser) return this.refuse('email', via, notUser);

    if (message.calendars.length > 0) {
      const invitations: Invitation[] = [];
      for (const calendar of message.calendars) {
        try {
          invitations.push(...readInvitations(calendar));
        } catch (error) {
          if (!(error instanceof MalformedCalendar)) throw error;
          return this.refuse('calendar', via, {
            code: 'malformed',
            message: error.message,
            temporary: false,
          });
        }
      }
      return this.record(invitations, via, user!.id);
    }
    if (!message.hasBody) {
      return this.refuse('email', via, {
        code: 'malformed',
        message: 'the message has no text to log: forward it with its body',
        temporary: false,
      });
    }
    const listed = message.attachments.map(
      (a) => `- ${a.filename} (${a.contentType}, ${Math.max(1, Math.round(a.bytes / 1024))} KB)`,
    );
    // Listed after the body so a rep sees what came with it; their content is never read.
    const content = listed.length
      ? `${message.text.trimEnd()}\n\nAttachments (listed, not read):\n${listed.join('\n')}\n`
      : message.text;
    const overLimit = conversationTooLarge(content, this.deps.maxConversationBytes);
    if (overLimit)
      return this.refuse('email', via, { code: 'too-large', message: overLimit, temporary: false });
    const sourceId = message.messageId ? emailSourceId(message.messageId) : `email:${digest(content)}`;
    const { conversationId, duplicate } = await this.deps.queue.enqueue({
      source: 'api',
      idempotencyKey: sourceId,
      correlationId: randomUUID(),
      payload: { content, source: 'Email', sourceId, formatIn: 'email' },
      receivedAt: new Date().toISOString(),
    });
    this.deps.metrics.accepted('email', via);
    this.deps.logger.info({ channel: 'email', via, conversationId, duplicate }, 'email accepted');
    return { kind: 'email', conversationId, duplicate, attachments: message.attachments };
  }

  /**
   * iCalendar text uploaded through the API: the meeting must involve one of the org's active
   * users (its organizer or an attendee), who then owns its Event.
   */
  async receiveCalendar(text: string): Promise<IntakeOutcome> {
    const tooLarge = tooLargeRefusal(Buffer.byteLength(text), this.deps.maxBytes);
    if (tooLarge) return this.refuse('calendar', 'api', tooLarge);
    let invitations: Invitation[];
    try {
      invitations = readInvitations(text);
    } catch (error) {
      if (!(error instanceof MalformedCalendar)) throw error;
      return this.refuse('calendar', 'api', { code: 'malformed', message: error.message, temporary: false });
    }
    const first = invitations[0]!;
    const people = [...(first.organizer ? [first.organizer] : []), ...first.attendees].slice(
      0,
      MAX_USER_LOOKUPS,
    );
    let owner: OrgUser | null = null;
    for (const person of people) {
      owner = await this.deps.users.activeUser(person.email);
      if (owner) break;
    }
    if (!owner) {
      return this.refuse('calendar', 'api', {
        code: 'sender-not-in-org',
        message:
          'neither the organizer nor an attendee is an active user of the Salesforce org: only meetings your reps take part in are logged',
        temporary: false,
      });
    }
    return this.record(invitations, 'api', owner.id);
  }

  private async record(invitations: Invitation[], via: Via, ownerId: string): Promise<IntakeOutcome> {
    const meetings: MeetingAck[] = [];
    for (const invitation of invitations) {
      const verdict = await recordInvitation(this.deps.db, invitation, via, ownerId);
      meetings.push({ uid: invitation.uid, verdict });
    }
    this.deps.metrics.accepted('calendar', via);
    this.deps.logger.info(
      { channel: 'calendar', via, verdicts: meetings.map((m) => m.verdict) },
      'calendar invitation accepted',
    );
    this.deps.meetingRecorded();
    return { kind: 'calendar', meetings };
  }
}
