import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../support/local-org.js';

/**
 * Tasks and events in the local org as Salesforce keeps them: a task is closed by its status, an
 * event's day follows its start, Shared Activities relates one activity to many contacts, TaskSubtype
 * is set once, and LastActivityDate on the opportunity, its account and the contacts follows the
 * completed tasks and the events.
 */

let t: TestOrg;
let conn: Connection;
let opportunity: { Id: string; AccountId: string };
let contacts: { Id: string }[];

beforeAll(async () => {
  t = await startTestOrg();
  conn = t.admin;
  const account = await conn.sobject('Account').create({ Name: 'Activity Test Co' });
  const accountId = (account as { id: string }).id;
  const opp = await conn.sobject('Opportunity').create({
    Name: 'Activity Test Deal',
    AccountId: accountId,
    StageName: 'Qualification',
    CloseDate: '2026-12-31',
  });
  opportunity = { Id: (opp as { id: string }).id, AccountId: accountId };
  contacts = [];
  for (const last of ['Ada', 'Bo']) {
    const c = await conn.sobject('Contact').create({ LastName: last, AccountId: accountId });
    contacts.push({ Id: (c as { id: string }).id });
  }
});
afterAll(async () => t.org.close());

const lastActivity = async (object: string, id: string) =>
  (
    (await conn.query<{ LastActivityDate: string | null }>(
      `SELECT LastActivityDate FROM ${object} WHERE Id = '${id}'`,
    )) as { records: { LastActivityDate: string | null }[] }
  ).records[0]!.LastActivityDate;

const errorOf = async (promise: PromiseLike<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { errorCode?: string }).errorCode, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
};

describe('LastActivityDate', () => {
  it('follows the due date of completed tasks only, on the opportunity, its account and the related contacts', async () => {
    const open = await conn.sobject('Task').create({
      Subject: 'Send the proposal',
      ActivityDate: '2026-04-20',
      WhatId: opportunity.Id,
      Status: 'Not Started',
    });
    expect(await lastActivity('Opportunity', opportunity.Id)).toBeNull();

    const call = await conn.sobject('Task').create({
      Subject: 'Call: discovery',
      ActivityDate: '2026-03-04',
      Status: 'Completed',
      TaskSubtype: 'Call',
      WhatId: opportunity.Id,
      WhoId: contacts[0]!.Id,
      TaskWhoIds: [contacts[0]!.Id, contacts[1]!.Id],
    });
    const callId = (call as { id: string }).id;
    expect(await lastActivity('Opportunity', opportunity.Id)).toBe('2026-03-04');
    expect(await lastActivity('Account', opportunity.AccountId)).toBe('2026-03-04');
    expect(await lastActivity('Contact', contacts[1]!.Id)).toBe('2026-03-04');

    const task = (
      await conn.query<Record<string, unknown>>(
        `SELECT IsClosed, AccountId, TaskSubtype FROM Task WHERE Id = '${callId}'`,
      )
    ).records[0]!;
    expect(task).toMatchObject({ IsClosed: true, AccountId: opportunity.AccountId, TaskSubtype: 'Call' });
    const relations = await conn.query<{ RelationId: string; IsWhat: boolean }>(
      `SELECT RelationId, IsWhat FROM TaskRelation WHERE TaskId = '${callId}'`,
    );
    expect(relations.records.map((r) => [r.RelationId, r.IsWhat]).sort()).toEqual(
      [
        [opportunity.Id, true],
        [contacts[0]!.Id, false],
        [contacts[1]!.Id, false],
      ].sort(),
    );

    // Completing the open task later moves the date on; deleting it moves it back.
    const openId = (open as { id: string }).id;
    await conn.sobject('Task').update({ Id: openId, Status: 'Completed' });
    expect(await lastActivity('Opportunity', opportunity.Id)).toBe('2026-04-20');
    await conn.sobject('Task').destroy(openId);
    expect(await lastActivity('Opportunity', opportunity.Id)).toBe('2026-03-04');
  });

  it('counts an event by its day, derived from its start', async () => {
    const meeting = await conn.sobject('Event').create({
      Subject: 'Meeting: demo',
      StartDateTime: '2026-05-02T15:00:00.000Z',
      EndDateTime: '2026-05-02T16:00:00.000Z',
      WhatId: opportunity.Id,
      EventWhoIds: [contacts[1]!.Id],
    });
    const event = (
      await conn.query<Record<string, unknown>>(
        `SELECT ActivityDate, DurationInMinutes, WhoId FROM Event WHERE Id = '${(meeting as { id: string }).id}'`,
      )
    ).records[0]!;
    expect(event).toMatchObject({
      ActivityDate: '2026-05-02',
      DurationInMinutes: 60,
      WhoId: contacts[1]!.Id,
    });
    expect(await lastActivity('Opportunity', opportunity.Id)).toBe('2026-05-02');
    expect(await lastActivity('Contact', contacts[1]!.Id)).toBe('2026-05-02');
    expect(await lastActivity('Contact', contacts[0]!.Id)).toBe('2026-03-04');
  });
});

describe('what Salesforce refuses', () => {
  it('TaskSubtype is set on create and never updated', async () => {
    const created = await conn
      .sobject('Task')
      .create({ Subject: 'Email', TaskSubtype: 'Email', Status: 'Completed' });
    const failure = await errorOf(
      conn.sobject('Task').update({ Id: (created as { id: string }).id, TaskSubtype: 'Call' }),
    );
    expect(failure.code).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('LastActivityDate is the platform’s to set', async () => {
    const failure = await errorOf(
      conn.sobject('Opportunity').update({ Id: opportunity.Id, LastActivityDate: '2026-01-01' }),
    );
    expect(failure.code).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('an event needs a start and an end or a duration', async () => {
    const failure = await errorOf(
      conn.sobject('Event').create({ Subject: 'No time', StartDateTime: '2026-05-02T15:00:00.000Z' }),
    );
    expect(failure.code).toBe('REQUIRED_FIELD_MISSING');
  });

  it('a task relates to at most 50 contacts', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `003000000000${String(i).padStart(3, '0')}AAA`);
    const failure = await errorOf(conn.sobject('Task').create({ Subject: 'Crowd', TaskWhoIds: ids }));
    expect(failure.code).toBe('INVALID_FIELD');
  });
});

describe('an org without Shared Activities', () => {
  it('has no TaskWhoIds, so a task relates to one contact', async () => {
    const plain = await startTestOrg({ sharedActivities: false });
    try {
      const describe = await plain.admin.sobject('Task').describe();
      expect(describe.fields.map((f) => f.name)).not.toContain('TaskWhoIds');
      const failure = await errorOf(plain.admin.sobject('Task').create({ Subject: 'x', TaskWhoIds: [] }));
      expect(failure.code).toBe('INVALID_FIELD');
    } finally {
      await plain.org.close();
    }
  });
});
