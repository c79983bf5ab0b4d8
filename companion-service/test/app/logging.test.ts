import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/app/logging.js';
import { redactText } from '../../src/domain/privacy/log-redaction.js';

/**
 * What the service's loggers write: secrets and personal data masked at any depth, not only where
 * pino's redact paths point, while what an operator needs (ids, counts, messages) stays readable.
 */

const SECRET = 'sk-live-0123456789abcdefSECRET';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJ3ZWJob29rX3VybCI6Imh0dHBzOi8vZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJlLWJ5dGVz';
const EMAIL = 'dana.whitfield@litware.example';
const PHONE = '+1 (415) 555-0134';
const SESSION = '00D5g000004XyZq!AQ4AQFi3mPleaseDoNotLogMe.x';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream, text: () => lines.join('') };
}

const LEAKS = [SECRET, JWT, EMAIL, 'dana.whitfield', '555-0134', '415', 'PleaseDoNotLogMe', 'hunter2'];

describe('the service logger', () => {
  it('masks secrets, email addresses and phone numbers nested at any depth', () => {
    const out = capture();
    const log = pino(loggerOptions('info'), out.stream);
    const cause = new Error(`Salesforce said: INVALID_SESSION_ID for ${SESSION} (user ${EMAIL})`);
    log.info(
      {
        conversationId: 'cv_4sQ0abcdefghijklmnopqr',
        usage: { promptTokens: 1234 },
        deep: {
          a: [{ b: { c: { apiKey: SECRET, headers: { Authorization: `Bearer ${SECRET}` } } } }],
          callData: { parties: [{ name: 'Dana', emailAddress: EMAIL, phoneNumber: PHONE }] },
          note: `call Dana on ${PHONE} or write to ${EMAIL}`,
          request: { url: `/webhooks/gong?key=${SECRET}&x=1`, jwt: JWT, text: `token ${JWT}` },
          database: `postgres://scribe:hunter2@db.internal:5432/scribe`,
        },
        err: Object.assign(new Error('write failed', { cause }), { body: { Authorization: SECRET } }),
      },
      `conversation from ${EMAIL} failed`,
    );
    log.child({ caller: { email: EMAIL } }).warn(`bearer ${SECRET} refused`);
    const text = out.text();
    for (const leak of LEAKS) expect(text, leak).not.toContain(leak);
    const [first, second] = out.lines.map((line) => JSON.parse(line));
    expect(first.conversationId).toBe('cv_4sQ0abcdefghijklmnopqr');
    expect(first.usage.promptTokens).toBe(1234);
    expect(first.deep.note).toBe('call Dana on [phone] or write to [email]');
    expect(first.deep.request.url).toBe('/webhooks/gong?key=[redacted]&x=1');
    expect(first.deep.database).toBe('postgres://scribe:[redacted]@db.internal:5432/scribe');
    expect(first.deep.a[0].b.c.apiKey).toBe('[redacted]');
    expect(first.msg).toBe('conversation from [email] failed');
    // The cause's message is kept for the operator, its session id and address masked.
    expect(first.err.message).toBe(
      'write failed: Salesforce said: INVALID_SESSION_ID for [redacted] (user [email])',
    );
    expect(second.caller.email).toBe('[redacted]');
    expect(second.msg).toBe('bearer [redacted] refused');
  });

  it('keeps request logs free of the API key and of what the caller sent', async () => {
    const out = capture();
    const app = Fastify({ logger: { ...loggerOptions('info'), stream: out.stream } });
    app.post('/v1/echo', async (request) => {
      request.log.info({ body: request.body }, 'received');
      return { ok: true };
    });
    await app.inject({
      method: 'POST',
      url: `/v1/echo?access_token=${SECRET}`,
      headers: { authorization: `Bearer ${SECRET}`, cookie: `sid=${SECRET}` },
      payload: { contact: { email: EMAIL, mobile: PHONE }, nested: [[{ token: SECRET }]] },
    });
    await app.close();
    for (const leak of LEAKS) expect(out.text(), leak).not.toContain(leak);
    expect(out.text()).toContain('received');
  });

  it('leaves ordinary figures alone: dates, amounts, addresses and ids', () => {
    const kept = 'Closed 2026-03-14T10:00:00Z for $1,200,000 from 10.0.12.200 on cv_ABC, 2 500 seats';
    expect(redactText(kept)).toBe(kept);
    expect(redactText('call 020 7946 0958 today')).toBe('call [phone] today');
  });

  it("keeps a contact's details out whole, and a UK mobile written in two groups", () => {
    const out = capture();
    const log = pino(loggerOptions('info'), out.stream);
    log.info(
      {
        contactDetails: [{ person: 'Dana Whitfield', kind: 'title', value: 'VP of Operations' }],
        suggestion: { Contact_Title__c: 'VP of Operations', Contact_Mobile__c: '07700 900123' },
        said: 'her mobile is 07700 900123',
      },
      'decided',
    );
    for (const leak of ['Dana Whitfield', 'VP of Operations', '07700', '900123'])
      expect(out.text()).not.toContain(leak);
    expect(out.text()).toContain('her mobile is [phone]');
  });
});
