import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/app/app.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { DEFAULT_LIMITS } from '../../src/config/limits-config.js';
import { askForMeetingNotes } from '../../src/services/meeting-notes.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { opportunityByName, startTestOrg, type TestOrg } from '../support/local-org.js';
import { settle } from '../support/ingest-app.js';
import { dnsTable, invitation } from '../support/mail.js';

/**
 * A customer meeting no conversation covered, end to end: the invitation becomes an Event on the
 * deal (the app's own path), then the notes pass asks the meeting's rep in the local org's
 * Next_Best_Action__c queue, leaves a rep's decision alone, and closes the ask once a conversation
 * for the deal arrives. `now` is passed, so the wait is judged against the meeting's own dates.
 */

let db: TestDatabase;
let t: TestOrg;
let server: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  server = Fastify({ logger: false });
  await server.register(fp(app), {
    salesforce: t.config,
    extractor: new EmbeddedExtractor(),
    limits: { ...DEFAULT_LIMITS, ratePerMinute: 1_000_000, orgRatePerMinute: 1_000_000 },
    queue: db.settings(),
    database: db.database,
    mail: { address: 'log@scribe.example.com', smtp: null, maxBytes: 2_000_000 },
    mailResolver: dnsTable(),
  });
  await server.ready();
});

afterEach(async () => {
  await server.close();
  await t.org.close();
});

const deps = () => ({
  db: db.org,
  api: () => server.salesforce.api,
  snapshots: server.salesforce.snapshots,
  logger: server.log,
});
const meetingActions = () =>
  t.records('Next_Best_Action__c').filter((a) => a.Action_Type__c === 'Add Meeting Notes');

// The invitation's meeting: 10:00-11:00 in New York on 2026-03-16, 14:00-15:00 UTC.
async function recordMeeting(): Promise<string> {
  const posted = await server.inject({
    method: 'POST',
    url: '/v1/calendar',
    headers: { 'content-type': 'text/calendar' },
    payload: invitation(),
  });
  expect(posted.statusCode, posted.body).toBe(202);
  await server.mail.writeMeetings();
  return (await opportunityByName(t.admin, 'Fabrikam - Pipeline Scribe')).Id as string;
}

describe('a customer meeting with no conversation', () => {
  it('is asked about in its rep’s queue after the wait, once, and closed when a conversation for the deal arrives', async () => {
    const dealId = await recordMeeting();

    // Three hours after it ended: within the Default record's 4-hour wait.
    expect(await askForMeetingNotes(deps(), '2026-03-16T18:00:00.000Z')).toMatchObject({ asked: 0 });
    expect(meetingActions()).toHaveLength(0);

    expect(await askForMeetingNotes(deps(), '2026-03-16T19:30:00.000Z')).toMatchObject({ asked: 1 });
    const [ask] = meetingActions();
    const event = t.records('Event')[0]!;
    expect(ask).toMatchObject({
      Opportunity__c: dealId,
      OwnerId: event.OwnerId,
      Status__c: 'Open',
      Action__c: 'Add notes for Fabrikam security review (2026-03-16 14:00 UTC)',
    });
    expect(String(ask!.Why__c)).toContain('4 hours');

    expect(await askForMeetingNotes(deps(), '2026-03-16T20:00:00.000Z')).toMatchObject({
      asked: 0,
      closed: 0,
    });
    expect(meetingActions()).toHaveLength(1);

    const posted = await server.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: {
        content: 'Notes from the Fabrikam security review: they need SSO before signing.',
        sourceId: 'notes:fabrikam-security-review',
        opportunityId: dealId,
        source: 'Notes',
      },
      headers: { 'idempotency-key': 'notes:fabrikam-security-review' },
    });
    expect(posted.statusCode, posted.body).toBe(202);
    expect((await settle(server, posted.json().id)).status).toBe('processed');

    expect(await askForMeetingNotes(deps(), '2026-03-17T09:00:00.000Z')).toMatchObject({ closed: 1 });
    expect(meetingActions()[0]).toMatchObject({ Status__c: 'Done' });
    expect(String(meetingActions()[0]!.Why__c)).toContain('a conversation for this deal arrived');
  });

  it('leaves an ask the rep dismissed alone, and asks nothing when the wait setting is empty', async () => {
    await recordMeeting();
    await askForMeetingNotes(deps(), '2026-03-16T19:30:00.000Z');
    const [ask] = meetingActions();
    await t.admin.sobject('Next_Best_Action__c').update({
      Id: ask!.Id as string,
      Status__c: 'Dismissed',
      Status_Changed_At__c: '2026-03-16T20:00:00.000Z',
    });
    expect(await askForMeetingNotes(deps(), '2026-03-17T09:00:00.000Z')).toMatchObject({
      asked: 0,
      closed: 0,
    });
    expect(meetingActions()[0]).toMatchObject({ Status__c: 'Dismissed' });

    const snapshot = await server.salesforce.snapshots.get();
    const withoutWait = {
      get: async () => ({
        ...snapshot,
        settings: snapshot.settings.map((s) => ({
          ...s,
          values: { ...s.values, Meeting_Notes_Wait_Hours__c: null },
        })),
      }),
    };
    await t.admin.sobject('Next_Best_Action__c').destroy(ask!.Id as string);
    expect(
      await askForMeetingNotes({ ...deps(), snapshots: withoutWait }, '2026-03-17T09:00:00.000Z'),
    ).toEqual({ considered: 0, asked: 0, closed: 0, refused: 0 });
    expect(meetingActions()).toHaveLength(0);
  });
});
