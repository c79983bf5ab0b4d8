import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SalesforceError } from '@pipeline-scribe/local-salesforce/org/api/errors';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import type { ConversationResult } from '../../src/domain/conversation-result.js';
import { PostgresDeadLetters, PostgresDecisionLog } from '../../src/adapters/postgres/pubsub-event-stores.js';
import { erase, purgeExpired } from '../../src/services/erasure.js';
import {
  findMeeting,
  markMeetingSynced,
  recordInvitation,
} from '../../src/adapters/postgres/meeting-table.js';
import type { Invitation } from '../../src/domain/calendar/invitation.js';
import { eraseConversationRecords } from '../../src/adapters/salesforce/conversation-erase.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  buildTestApp,
  sampleBody,
  settleConversation,
  startTestOrg,
  type TestOrg,
} from '../support/local-org.js';

/**
 * Erasure end to end: conversations carrying a unique marker go in through the API into the
 * embedded Postgres and the local org, are erased by id (DELETE) and by address, and then every
 * column of every table in every schema the service uses is searched for the marker.
 */

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;

const DAY = 86_400_000;
const marker = `zq${randomUUID().replaceAll('-', '')}`;
const address = `${marker}@wingtiptoys.com`;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  app = await buildTestApp(t.config, { db });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.org.close();
  await db?.stop();
});

async function post(body: Record<string, unknown>, idempotencyKey?: string): Promise<ConversationStatusBody> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    payload: body,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
  expect(response.statusCode).toBe(202);
  return settleConversation(app, (response.json() as ConversationStatusBody).id);
}

/** The email sample with the marker as a participant's address and in its text. */
async function emailNaming(sourceId: string) {
  const body = await sampleBody('03-wingtip-email.eml', { sourceId });
  const content = String(body.content)
    .replace('ben.okafor@wingtiptoys.com', address)
    .replace('Best,', `Reference ${marker}.\n\nBest,`);
  return { ...body, content };
}

/** Every column of every table in every schema but Postgres' own that holds the text. */
async function columnsHolding(text: string): Promise<string[]> {
  const { rows: columns } = await db.database.pool.query<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
     FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  expect(columns.map((c) => `${c.table_schema}.${c.table_name}`)).toEqual(
    expect.arrayContaining(['public.conversations', 'public.dead_letters', 'pgboss.job', 'pgboss.archive']),
  );
  const holding: string[] = [];
  for (const c of columns) {
    const column = `"${c.table_schema}"."${c.table_name}"."${c.column_name}"`;
    const where =
      c.data_type === 'bytea'
        ? `position(convert_to($1, 'UTF8') IN "${c.column_name}") > 0`
        : `"${c.column_name}"::text ILIKE '%' || $1 || '%'`;
    const { rows } = await db.database.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${c.table_schema}"."${c.table_name}" WHERE ${where}`,
      [text],
    );
    if (Number(rows[0]!.n) > 0) holding.push(column);
  }
  return holding;
}

/** Files the service may leave behind (transcription's temporary folders) that hold the text. */
async function filesHolding(text: string): Promise<string[]> {
  const holding: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) await walk(file);
      else if (info?.isFile() && (await readFile(file, 'utf8')).includes(text)) holding.push(file);
    }
  };
  for (const name of await readdir(tmpdir())) {
    if (name.startsWith('scribe-memo-')) await walk(path.join(tmpdir(), name));
  }
  return holding;
}

/** An invitation from a rep to the given customer address, ending `endsInDays` from now. */
function invitationTo(uid: string, customer: string, endsInDays: number): Invitation {
  const end = new Date(Date.now() + endsInDays * DAY);
  return {
    uid,
    sequence: 0,
    cancelled: false,
    title: 'Wingtip pricing review',
    start: new Date(end.getTime() - 3_600_000).toISOString(),
    end: end.toISOString(),
    organizer: { email: 'rep@pipelinescribe.dev', name: 'Rep' },
    attendees: [
      { email: 'rep@pipelinescribe.dev', name: 'Rep' },
      { email: customer, name: 'Ben Okafor' },
    ],
  };
}

/** Stores the invitation as the calendar intake does, its Event written when `written`. */
async function storeMeeting(invitation: Invitation, written: boolean): Promise<void> {
  await recordInvitation(db.org, invitation, 'api', null);
  if (written) {
    await db.org.transaction((client) =>
      markMeetingSynced(client, invitation.uid, '00U000000000001AAA', null),
    );
  }
}

const liveRecordsHolding = (text: string) =>
  ['Conversation__c', 'Suggestion__c', 'Field_Provenance__c'].flatMap((object) =>
    t.records(object).filter((r) => JSON.stringify(r).includes(text)),
  );

describe('erasure', () => {
  it('leaves no column of any table, no file and no live record in the org holding the marker', async () => {
    // A conversation erased by id, one by address, and one that went dead (its dead letter too);
    // their idempotency keys hold the marker as well, so a table of keys is searched too.
    const byId = await post(await emailNaming('erase-by-id'), `${marker}-erase-by-id`);
    const byAddress = await post(await emailNaming('erase-by-address'), `${marker}-erase-by-address`);
    // Salesforce refuses a field of the Conversation__c: dead at once, the refusal on its record.
    t.org.validationRules.push({
      object: 'Conversation__c',
      name: 'FLS_Summary__c',
      message: 'field-level security',
      violated: (record) => {
        if (record.Summary__c !== undefined && record.Summary__c !== null)
          throw new SalesforceError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            'Unable to create/update fields: Summary__c.',
            ['Summary__c'],
          );
        return false;
      },
    });
    const dead = await post(await emailNaming('erase-dead'), `${marker}-erase-dead`);
    t.org.validationRules.pop();
    const other = await post(await sampleBody('04-northwind-notes.md', { sourceId: 'keep-me' }));
    expect([byId.status, byAddress.status, dead.status, other.status]).toEqual([
      'processed',
      'processed',
      'dead',
      'processed',
    ]);
    // What the platform-event intake keeps: a rep's decision on one of its suggestions, and an
    // event that could not be decoded, both naming the person.
    const suggestion = (byAddress.result as ConversationResult).suggestions[0]!;
    const decisions = new PostgresDecisionLog(db.database.pool);
    await decisions.record({
      eventId: 'evt-1',
      suggestionId: suggestion.id ?? 'a0X000000000001AAA',
      externalId: suggestion.externalId,
      decision: 'Accepted',
      opportunityId: null,
      targetObject: 'Opportunity',
      targetField: 'NextStep',
      targetRecordId: null,
      proposedValue: suggestion.proposedValue,
      appliedValue: suggestion.proposedValue,
      confidence: 0.9,
      decidedById: null,
      decidedAt: new Date().toISOString(),
      message: `Sent to ${address}`,
    });
    await new PostgresDeadLetters(db.database.pool).record({
      topicName: '/event/Conversation_Captured__e',
      replayId: 7n,
      eventId: null,
      reason: 'undecodable',
      payload: Buffer.from(`\u0002\u0010${address}\u0000`, 'utf8'),
    });
    // A meeting invitation naming the person, waiting for its Event, and one naming someone else.
    await storeMeeting(invitationTo(`${randomUUID()}@calendar`, address, 2), false);
    const othersMeeting = `${randomUUID()}@calendar`;
    await storeMeeting(invitationTo(othersMeeting, 'kim.abercrombie@wingtiptoys.com', 2), true);

    // The marker is where the test looks, so finding none afterwards means something.
    expect(await columnsHolding(marker)).toEqual(
      expect.arrayContaining([
        '"public"."conversations"."payload"',
        '"public"."conversations"."idempotency_key"',
        '"public"."dead_letters"."payload"',
        '"public"."suggestion_decisions"."message"',
        '"public"."pubsub_dead_letters"."payload"',
        '"public"."calendar_meetings"."invitation"',
      ]),
    );
    expect(liveRecordsHolding(marker).length).toBeGreaterThan(0);
    const deadRecordId = (dead.result as ConversationResult).conversationRecordId;

    const deleted = await app.inject({ method: 'DELETE', url: `/v1/conversations/${byId.id}?inOrg=true` });
    expect(deleted.body).toBe('');
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/v1/conversations/${byId.id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/v1/conversations/${byId.id}` })).statusCode).toBe(
      404,
    );
    const byIdRecord = (byId.result as ConversationResult).conversationRecordId;
    expect(t.records('Conversation__c').some((r) => r.Id === byIdRecord)).toBe(false);

    const summary = await erase({ db: db.org, org: app.salesforce.api }, { email: address.toUpperCase() });
    expect(summary.conversations.sort()).toEqual([byAddress.id, dead.id].sort());
    expect(summary.busy).toEqual([]);
    expect(summary.service).toMatchObject({
      conversations: 2,
      deadLetters: 1,
      suggestionDecisions: 1,
      pubsubDeadLetters: 1,
      calendarMeetings: 1,
    });
    expect(await findMeeting(db.database.pool, othersMeeting)).not.toBeNull();
    expect(summary.service.jobs + summary.service.archivedJobs).toBeGreaterThanOrEqual(2);
    expect(summary.org?.refused).toEqual([]);
    expect(summary.org?.deleted.conversations).toBe(2);
    expect(summary.org?.deleted.suggestions).toBeGreaterThan(0);
    // The activities they were logged as went with them: their entries name who took part.
    expect(summary.org?.deleted.activities).toBeGreaterThan(0);
    expect(t.records('Conversation__c').some((r) => r.Id === deadRecordId)).toBe(false);

    expect(await columnsHolding(marker)).toEqual([]);
    expect(await filesHolding(marker)).toEqual([]);
    expect(liveRecordsHolding(marker)).toEqual([]);
    // Nobody else's conversation went with them, and the deal (a rep's data) is still there.
    expect((await app.inject({ method: 'GET', url: `/v1/conversations/${other.id}` })).statusCode).toBe(200);
    expect(t.records('Conversation__c').some((r) => r.Source_Id__c === 'keep-me')).toBe(true);
    const deal = (byId.result as ConversationResult).match.opportunity!;
    expect(t.records('Opportunity').some((r) => r.Id === deal.id)).toBe(true);
  });

  it('answers 404 naming the id for a conversation it never had, and 400 for a malformed one', async () => {
    const unknown = await app.inject({
      method: 'DELETE',
      url: '/v1/conversations/cv_AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'no conversation cv_AAAAAAAAAAAAAAAAAAAAAA: nothing to erase' });
    expect((await app.inject({ method: 'DELETE', url: '/v1/conversations/nope' })).statusCode).toBe(400);
  });

  it('asks for the API key like every /v1 route, and erases nothing without it', async () => {
    const kept = await post(await sampleBody('04-northwind-notes.md', { sourceId: 'keyed' }));
    const keyed = await buildTestApp(t.config, { db, worker: false, apiKey: 'erase-test-key-0123456789' });
    try {
      const url = `/v1/conversations/${kept.id}`;
      expect((await keyed.inject({ method: 'DELETE', url })).statusCode).toBe(401);
      expect(
        (
          await keyed.inject({
            method: 'GET',
            url,
            headers: { authorization: 'Bearer erase-test-key-0123456789' },
          })
        ).statusCode,
      ).toBe(200);
      const erased = await keyed.inject({
        method: 'DELETE',
        url,
        headers: { authorization: 'Bearer erase-test-key-0123456789' },
      });
      expect(erased.statusCode).toBe(204);
    } finally {
      await keyed.close();
    }
  });
});

describe('erasure in the org', () => {
  it("erases a rep's own Conversation__c: the integration user holds Modify All on the package's private records", async () => {
    const created = (await t.admin.sobject('Conversation__c').create({
      Source__c: 'Notes',
      Source_Id__c: 'rep-captured',
      Content__c: 'Captured by a rep',
    })) as { id: string; success: boolean };
    expect(created.success).toBe(true);
    const erasure = await eraseConversationRecords(app.salesforce.api, {
      recordIds: [created.id],
      sourceIds: [],
    });
    expect(erasure.deleted).toEqual({ conversations: 1, suggestions: 0, provenance: 0, activities: 0 });
    expect(erasure.refused).toEqual([]);
    expect(t.records('Conversation__c').some((r) => r.Id === created.id)).toBe(false);
  });

  it('reports a Conversation__c the org refuses to delete, and leaves it', async () => {
    const created = (await t.admin.sobject('Conversation__c').create({
      Source__c: 'Notes',
      Source_Id__c: 'rep-captured-kept',
      Content__c: 'Captured by a rep',
    })) as { id: string; success: boolean };
    // An admin who took Modify All (and with it Delete) back from the integration user.
    const grant = t.org.security.permissionSets.get('Pipeline_Scribe_Integration')!;
    const conversation = grant.objects.get(t.names.toOrg('Conversation__c').toLowerCase())!;
    const held = { ...conversation };
    Object.assign(conversation, { delete: false, modifyAll: false });
    try {
      const erasure = await eraseConversationRecords(app.salesforce.api, {
        recordIds: [created.id],
        sourceIds: [],
      });
      expect(erasure.deleted).toEqual({ conversations: 0, suggestions: 0, provenance: 0, activities: 0 });
      expect(erasure.refused).toEqual([
        expect.objectContaining({ object: 'Conversation__c', id: created.id }),
      ]);
      expect(t.records('Conversation__c').some((r) => r.Id === created.id)).toBe(true);
    } finally {
      Object.assign(conversation, held);
    }
  });
});

describe('retention', () => {
  it('purges finished conversations and unusable events only once older than the retention, keeping what Salesforce holds', async () => {
    const processed = await post(
      await sampleBody('02-tailspin-champion-left.txt', { sourceId: 'retention-1' }),
    );
    await new PostgresDeadLetters(db.database.pool).record({
      topicName: '/event/Conversation_Captured__e',
      replayId: 8n,
      eventId: null,
      reason: 'undecodable',
      payload: Buffer.from('old bytes'),
    });
    // Meetings that ended twelve hours ago: one whose Event is written, one still owed to Salesforce; and
    // one a year ahead, whose invitation came early.
    const written = `${randomUUID()}@calendar`;
    const owed = `${randomUUID()}@calendar`;
    const ahead = `${randomUUID()}@calendar`;
    await storeMeeting(invitationTo(written, 'lee@contoso.com', -0.5), true);
    await storeMeeting(invitationTo(owed, 'lee@contoso.com', -0.5), false);
    await storeMeeting(invitationTo(ahead, 'lee@contoso.com', 365), true);
    const kept = async (uid: string) => (await findMeeting(db.database.pool, uid)) !== null;
    // One still waiting. The suite's app works the same queue, so it stops first; otherwise its
    // worker may finish the waiting conversation before the purge looks, and the purge rightly takes it.
    await app.close();
    app = await buildTestApp(t.config, { db, worker: false });
    const queued = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: await sampleBody('04-northwind-notes.md', { sourceId: 'retention-queued' }),
    });
    const queuedId = (queued.json() as ConversationStatusBody).id;
    const pool = db.database.pool;
    const exists = async (id: string) =>
      (await pool.query('SELECT 1 FROM conversations WHERE id = $1', [id])).rowCount === 1;

    const early = await purgeExpired(db.org, 90, new Date(Date.now() + 89 * DAY));
    expect(early.purged.conversations).toBe(0);
    expect(early.purged.pubsubDeadLetters).toBe(0);
    expect(early.purged.calendarMeetings).toBe(0);
    expect(await kept(written)).toBe(true);
    expect(await exists(processed.id)).toBe(true);

    const late = await purgeExpired(db.org, 90, new Date(Date.now() + 91 * DAY));
    expect(late.purged.conversations).toBeGreaterThanOrEqual(1);
    expect(late.purged.pubsubDeadLetters).toBe(1);
    expect(late.purged.calendarMeetings).toBe(1);
    expect([await kept(written), await kept(owed), await kept(ahead)]).toEqual([false, true, true]);
    expect(await exists(processed.id)).toBe(false);
    expect(await exists(queuedId)).toBe(true);
    expect(
      (await pool.query(`SELECT 1 FROM pgboss.job WHERE data->>'conversationId' = $1`, [processed.id]))
        .rowCount,
    ).toBe(0);
    // Salesforce keeps the conversation and the quotes a rep can see.
    expect(t.records('Conversation__c').some((r) => r.Source_Id__c === 'retention-1')).toBe(true);
    expect(t.records('Suggestion__c').some((r) => r.Evidence_Quote__c)).toBe(true);
  });
});
