import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MailIntake, IntakeOutcome } from '../../services/mail-intake.js';
import { ErrorSchema } from '../schemas/conversation.js';
import { CalendarAckSchema, EmailAckSchema, MailRefusalSchema } from '../schemas/mail.js';
import { megabytes, refuseOversize } from './body-limit.js';

/**
 * POST /v1/emails: a raw RFC 822 message (Content-Type message/rfc822), as a mail client saves it,
 * logged as a completed email on its deal. POST /v1/calendar: an iCalendar file (text/calendar),
 * recorded as the meeting's Event, updated or cancelled by later versions of it. Both behind the API
 * key, bounded by SCRIBE_EMAIL_MAX_BYTES; 202 once stored, or the refusal with its reason.
 */

export interface MailRouteOptions {
  intake: MailIntake;
  maxBytes: number;
}

/** What an HTTP caller hears for a refusal: 413 for size, 422 for what the message is or who sent it. */
const refusalStatus = (outcome: Extract<IntakeOutcome, { kind: 'refused' }>) =>
  outcome.refusal.code === 'too-large' ? 413 : 422;

const mailRoutes: FastifyPluginAsyncZod<MailRouteOptions> = async (app, { intake, maxBytes }) => {
  refuseOversize(
    app,
    maxBytes,
    `send one message of at most ${megabytes(maxBytes)}, without large attachments (SCRIBE_EMAIL_MAX_BYTES)`,
  );
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['message/rfc822', 'text/calendar'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_r, body, done) => done(null, body),
  );
  app.addContentTypeParser('*', (request, _payload, done) => {
    const expected = request.url.startsWith('/v1/calendar') ? 'text/calendar' : 'message/rfc822';
    done(
      Object.assign(
        new Error(
          `content-type: send the ${expected === 'text/calendar' ? 'invitation' : 'message'} as ${expected}`,
        ),
        {
          statusCode: 415,
        },
      ),
    );
  });

  app.post(
    '/v1/emails',
    {
      bodyLimit: maxBytes,
      config: { ingest: true },
      schema: {
        response: {
          200: EmailAckSchema,
          202: z.union([EmailAckSchema, CalendarAckSchema]),
          400: ErrorSchema,
          413: MailRefusalSchema,
          415: ErrorSchema,
          422: MailRefusalSchema,
        },
      },
    },
    async (request, reply) => {
      const raw = request.body as Buffer | undefined;
      if (!raw || raw.length === 0)
        return reply.code(400).send({ error: 'body: the message is empty; send the .eml as the body' });
      const outcome = await intake.receiveEmail(raw, 'api', null);
      if (outcome.kind === 'refused') {
        return reply
          .code(refusalStatus(outcome))
          .send({ error: outcome.refusal.message, reason: outcome.refusal.code });
      }
      if (outcome.kind === 'calendar') {
        return reply.code(422).send({
          error:
            'the message carries a calendar invitation: its meeting was recorded; send invitations to POST /v1/calendar',
          reason: 'calendar',
        });
      }
      reply.header('Location', `/v1/conversations/${outcome.conversationId}`);
      return reply.code(outcome.duplicate ? 200 : 202).send({
        id: outcome.conversationId,
        status: outcome.duplicate ? 'duplicate' : 'queued',
        attachments: outcome.attachments,
      });
    },
  );

  app.post(
    '/v1/calendar',
    {
      bodyLimit: maxBytes,
      config: { ingest: true },
      schema: {
        response: {
          202: CalendarAckSchema,
          400: ErrorSchema,
          413: MailRefusalSchema,
          415: ErrorSchema,
          422: MailRefusalSchema,
        },
      },
    },
    async (request, reply) => {
      const raw = request.body as Buffer | undefined;
      if (!raw || raw.length === 0)
        return reply.code(400).send({ error: 'body: the invitation is empty; send the .ics as the body' });
      const outcome = await intake.receiveCalendar(raw.toString('utf8'));
      if (outcome.kind === 'refused') {
        return reply
          .code(refusalStatus(outcome))
          .send({ error: outcome.refusal.message, reason: outcome.refusal.code });
      }
      if (outcome.kind !== 'calendar') throw new Error('an uploaded calendar was taken for an email');
      return reply.code(202).send({ status: 'recorded', meetings: outcome.meetings });
    },
  );
};

export default mailRoutes;
