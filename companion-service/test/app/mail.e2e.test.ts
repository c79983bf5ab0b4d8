import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/app/app.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { DEFAULT_LIMITS } from '../../src/config/limits-config.js';
import type { MailConfig } from '../../src/config/mail-config.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { opportunityByName, startTestOrg, type TestOrg } from '../support/local-org.js';
import { settle } from '../support/ingest-app.js';
import { dnsTable, email, invitation, REP, sendSmtp, signed } from '../support/mail.js';

/**
 * Email and calendar end to end over loopback: mail from a rep, by POST /v1/emails or over SMTP to
 * the logging address (DKIM-signed, checked against a DNS table), stored in a real Postgres, and
 * logged in the local org as a completed email on the deal; invitations as Events, updated and
 * cancelled by later versions; everything else refused with its reason and counted.
 */

const MAIL: MailConfig = {
  address: 'log@scribe.example.com',
  smtp: { host: '127.0.0.1', port: 0, hostname: 'scribe.example.com', tls: null },
  maxBytes: 2_000_000,
};

let db: TestDatabase;
let t: TestOrg;
let server: FastifyInstance;

async function build(mail: MailConfig = MAIL): Promise<FastifyInstance> {
  const s = Fastify({ logger: false });
  await s.register(fp(app), {
    salesforce: t.config,
    extractor: new EmbeddedExtractor(),
    limits: { ...DEFAULT_LIMITS, ratePerMinute: 1_000_000, orgRatePerMinute: 1_000_000 },
    queue: db.settings(),
    database: db.database,
    mail,
    mailResolver: dnsTable(),
  });
  await s.ready();
  return s;
}

const postEmail = (raw: string) =>
  server.inject({
    method: 'POST',
    url: '/v1/emails',
    headers: { 'content-type': 'message/rfc822' },
    payload: raw,
  });
const postCalendar = (ics: string) =>
  server.inject({
    method: 'POST',
    url: '/v1/calendar',
    headers: { 'content-type': 'text/calendar' },
    payload: ics,
  });

async function metric(name: string, labels: string): Promise<number> {
  const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  server = await build();
});

afterEach(async () => {
  await server.close();
  await t.org.close();
});

describe('an email from a rep', () => {
  it('posted as .eml is logged as a completed email on the deal, its attachment listed and not read, once', async () => {
    const raw = email({ attachment: { filename: 'Fabrikam proposal.pdf', bytes: 40_000 } });
    const response = await postEmail(raw);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().attachments).toEqual([
      { filename: 'Fabrikam proposal.pdf', contentType: 'application/pdf', bytes: 40_000 },
    ]);
    const done = await settle(server, response.json().id);
    expect(done.status, JSON.stringify(done.error)).toBe('processed');

    const deal = await opportunityByName(t.admin, 'Fabrikam - Pipeline Scribe');
    const tasks = t.records('Task').filter((task) => task.TaskSubtype === 'Email');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ Status: 'Completed', WhatId: deal.Id, ActivityDate: '2026-03-12' });
    const conversation = t.records('Conversation__c').find((c) => c.Source_Id__c === done.result?.sourceId)!;
    expect(conversation.Source__c).toBe('Email');
    expect(String(conversation.Content__c)).toContain(
      'Attachments (listed, not read):\n- Fabrikam proposal.pdf',
    );
    expect(String(conversation.Content__c)).not.toContain('BwcHBwcH'); // the attachment's bytes

    const again = await postEmail(raw);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', id: response.json().id });
    expect(await metric('scribe_mail_accepted_total', 'channel="email",via="api"')).toBe(2);
  });

  it('sent over SMTP to the logging address, DKIM-signed by the rep’s domain, is logged the same way', async () => {
    const reply = await sendSmtp(
      server.mail.smtpPort()!,
      await signed(email({ messageId: 'smtp-1@pipeline-scribe.local' })),
    );
    expect(reply.code, reply.text).toBe(250);
    const id = /conversation (\S+)/.exec(reply.text)![1]!;
    const done = await settle(server, id);
    expect(done.status, JSON.stringify(done.error)).toBe('processed');
    expect(t.records('Task').filter((task) => task.TaskSubtype === 'Email')).toHaveLength(1);
    expect(await metric('scribe_mail_accepted_total', 'channel="email",via="smtp"')).toBe(1);
  });
});

describe('mail that is refused, with its reason, counted, and never processed', () => {
  it('unsigned mail over SMTP fails the rep domain’s DMARC policy', async () => {
    const reply = await sendSmtp(
      server.mail.smtpPort()!,
      email({ messageId: 'forged@pipeline-scribe.local' }),
    );
    expect(reply.code).toBe(550);
    expect(reply.text).toContain("fails pipeline-scribe.local's DMARC policy");
    expect(
      await metric('scribe_mail_refused_total', 'channel="email",via="smtp",reason="unauthenticated"'),
    ).toBe(1);
  });

  it('a message signed by another domain than its From is refused as forged', async () => {
    const forged = await signed(email({ messageId: 'other@pipeline-scribe.local' }), 'attacker.example');
    const reply = await sendSmtp(server.mail.smtpPort()!, forged);
    expect(reply.code).toBe(550);
    expect(
      await metric('scribe_mail_refused_total', 'channel="email",via="smtp",reason="unauthenticated"'),
    ).toBe(1);
  });

  it('mail for any other address is refused at RCPT TO: the listener relays nothing', async () => {
    const reply = await sendSmtp(server.mail.smtpPort()!, email(), {
      from: REP,
      to: 'someone@elsewhere.example',
    });
    expect(reply.code).toBe(550);
    expect(reply.text).toContain('log@scribe.example.com only');
  });

  it('a sender who is not an active user of the org is refused', async () => {
    const response = await postEmail(email({ from: 'mallory@fabrikam.com' }));
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ reason: 'sender-not-in-org' });
    expect(response.json().error).toContain('not an active user of the Salesforce org');
    expect(
      await metric('scribe_mail_refused_total', 'channel="email",via="api",reason="sender-not-in-org"'),
    ).toBe(1);
    const counts = await db.database.pool.query('SELECT count(*)::int AS n FROM conversations');
    expect(counts.rows[0].n).toBe(0);
  });

  it('what is not a message, and a message over the size limit, are refused', async () => {
    const garbage = await postEmail('this is not an email at all');
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().reason).toBe('malformed');
    const large = await postEmail(email({ attachment: { filename: 'huge.pdf', bytes: 2_100_000 } }));
    expect(large.statusCode).toBe(413);
    const wrongType = await server.inject({ method: 'POST', url: '/v1/emails', payload: { content: 'x' } });
    expect(wrongType.statusCode).toBe(415);
  });

  it('the SMTP listener stays off unless configured', async () => {
    await server.close();
    server = await build({ address: null, smtp: null, maxBytes: 2_000_000 });
    expect(server.mail.smtpPort()).toBeNull();
    expect((await postEmail(email())).statusCode).toBe(202);
  });
});

describe('a calendar invitation', () => {
  const events = () => t.records('Event');
  const at = (value: unknown) => new Date(String(value)).toISOString();

  it('becomes an Event on the deal with the customer’s attendees; a newer SEQUENCE moves it, an older changes nothing, CANCEL deletes it', async () => {
    const created = await postCalendar(invitation());
    expect(created.statusCode, created.body).toBe(202);
    expect(created.json().meetings[0].verdict).toBe('create');
    await server.mail.writeMeetings();
    const deal = await opportunityByName(t.admin, 'Fabrikam - Pipeline Scribe');
    const [event] = events();
    expect(event).toMatchObject({ Subject: 'Meeting: Fabrikam security review', WhatId: deal.Id });
    // 10:00 in New York, on daylight time since March 8.
    expect(at(event!.StartDateTime)).toBe('2026-03-16T14:00:00.000Z');
    expect(at(event!.EndDateTime)).toBe('2026-03-16T15:00:00.000Z');
    const dmitri = t.records('Contact').find((c) => c.Email === 'dmitri.volkov@fabrikam.com')!;
    expect(event!.WhoId).toBe(dmitri.Id);

    const moved = await postCalendar(
      invitation({ sequence: 1, start: '20260317T130000', end: '20260317T140000' }),
    );
    expect(moved.json().meetings[0].verdict).toBe('update');
    await server.mail.writeMeetings();
    expect(events()).toHaveLength(1);
    expect(events()[0]!.Id).toBe(event!.Id);
    expect(at(events()[0]!.StartDateTime)).toBe('2026-03-17T17:00:00.000Z');

    const stale = await postCalendar(
      invitation({ sequence: 0, start: '20260320T130000', end: '20260320T140000' }),
    );
    expect(stale.json().meetings[0].verdict).toBe('stale');
    await server.mail.writeMeetings();
    expect(at(events()[0]!.StartDateTime)).toBe('2026-03-17T17:00:00.000Z');

    const cancelled = await postCalendar(invitation({ sequence: 1, method: 'CANCEL' }));
    expect(cancelled.json().meetings[0].verdict).toBe('cancel');
    await server.mail.writeMeetings();
    expect(events()).toHaveLength(0);
  });

  it('recurring, becomes one Event per occurrence within the window, and the same invitation again changes nothing', async () => {
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15);
    // Weekly from two weeks ago: the occurrences a week ago, this week and the next eight weeks.
    const first = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 14 * 86_400_000 + 3_600_000);
    const series = invitation({
      uid: 'weekly-fabrikam-sync',
      start: stamp(first),
      end: stamp(new Date(first.getTime() + 1_800_000)),
    })
      .replace(/;TZID=Eastern Standard Time:(\d{8}T\d{6})/g, ':$1Z')
      .replace('SEQUENCE:0\r\n', 'SEQUENCE:0\r\nRRULE:FREQ=WEEKLY\r\n');
    const created = await postCalendar(series);
    expect(created.statusCode, created.body).toBe(202);
    const verdicts = created.json().meetings.map((m: { verdict: string }) => m.verdict);
    expect(verdicts).toEqual(Array(10).fill('create'));
    await server.mail.writeMeetings();
    expect(events()).toHaveLength(10);
    expect(new Set(events().map((e) => at(e.StartDateTime))).size).toBe(10);

    const again = await postCalendar(series);
    expect(again.json().meetings.map((m: { verdict: string }) => m.verdict)).toEqual(
      Array(10).fill('unchanged'),
    );
    await server.mail.writeMeetings();
    expect(events()).toHaveLength(10);
    const rows = await db.database.pool.query(
      "SELECT count(*)::int AS n FROM calendar_meetings WHERE uid LIKE 'weekly-fabrikam-sync#%'",
    );
    expect(rows.rows[0].n).toBe(10);
  });

  it('sent by a rep to the logging address is the meeting, not an email to log', async () => {
    const raw = await signed(
      email({ messageId: 'invite-1@pipeline-scribe.local', calendar: invitation({ uid: 'smtp-invite-1' }) }),
    );
    const reply = await sendSmtp(server.mail.smtpPort()!, raw);
    expect(reply.code, reply.text).toBe(250);
    expect(reply.text).toContain('meeting recorded');
    await server.mail.writeMeetings();
    expect(events()).toHaveLength(1);
    expect(t.records('Task').filter((task) => task.TaskSubtype === 'Email')).toHaveLength(0);
  });

  it('is refused when it cannot be read or involves none of the org’s users', async () => {
    const broken = await postCalendar('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n');
    expect(broken.statusCode).toBe(422);
    expect(broken.json().reason).toBe('malformed');
    const outsiders = await postCalendar(
      invitation({ organizer: 'someone@fabrikam.com', attendees: ['dmitri.volkov@fabrikam.com'] }),
    );
    expect(outsiders.statusCode).toBe(422);
    expect(outsiders.json().reason).toBe('sender-not-in-org');
    expect(await metric('scribe_mail_refused_total', 'channel="calendar",via="api",reason="malformed"')).toBe(
      1,
    );
  });
});
