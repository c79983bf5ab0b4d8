import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { opportunityByName, startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { ConversationProcessor } from '../../src/services/process-conversation.js';
import { eraseConversationRecords } from '../../src/adapters/salesforce/conversation-erase.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../../src/cli/start-command.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';
import type { LocalOrgOptions } from '@pipeline-scribe/local-salesforce/org';
import type { Grant } from '@pipeline-scribe/local-salesforce/org/security/grants';

/**
 * Each processed conversation is logged in the CRM as a rep would have logged it: a completed call
 * or email task, or a meeting event, on the deal and with the customer's people who took part, with
 * an entry that says who, what, the outcome, decisions, objections and next steps; once, however
 * often the conversation is processed; and the deal's Last Activity follows.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
let t: TestOrg | null = null;
afterEach(async () => {
  await t?.org.close();
  t = null;
});

/** A processor on a fresh local org; `revoke` takes grants away before the first request sees them. */
async function processorOn(options: LocalOrgOptions = {}, revoke?: (grant: Grant) => void) {
  t = await startTestOrg(options);
  if (revoke) for (const grant of t.org.security.permissionSets.values()) revoke(grant);
  const config = t.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const client = await SalesforceClient.connect({ ...config, logger });
  return new ConversationProcessor({
    api: client,
    snapshots: new OrgSnapshotCache(() => readOrgSnapshot(client, Date.now()), 300_000, logger),
    extractor: new EmbeddedExtractor(),
    logger,
  });
}

const sample = (file: string) => readFile(path.join(SAMPLES, file), 'utf8');
const tasks = () => t!.records('Task');
const events = () => t!.records('Event');
const contactIds = async (...emails: string[]) =>
  (
    await t!.admin.query<{ Id: string }>(
      `SELECT Id FROM Contact WHERE Email IN (${emails.map((e) => `'${e}'`).join(', ')})`,
    )
  ).records.map((c) => c.Id);
const relatedContacts = async (object: 'Task' | 'Event', id: string) =>
  (
    await t!.admin.query<{ RelationId: string }>(
      `SELECT RelationId FROM ${object}Relation WHERE ${object}Id = '${id}' AND IsWhat = false`,
    )
  ).records
    .map((r) => r.RelationId)
    .sort();
const lastActivity = async (name: string) =>
  (
    await t!.admin.query<{ LastActivityDate: string | null }>(
      `SELECT LastActivityDate FROM Opportunity WHERE Name = '${name}'`,
    )
  ).records[0]!.LastActivityDate;

describe('a call', () => {
  it('becomes a completed call task on the deal with the customer’s people, and the deal’s Last Activity is the call’s day', async () => {
    const processor = await processorOn();
    const before = tasks().length;
    const result = await processor.process({
      content: await sample('01-fabrikam-discovery.gong.json'),
    } as never);
    expect(result.status).toBe('processed');

    const deal = await opportunityByName(t!.admin, 'Fabrikam - Pipeline Scribe');
    const logged = tasks().slice(before);
    expect(logged).toHaveLength(1);
    const task = logged[0]!;
    expect(task).toMatchObject({
      TaskSubtype: 'Call',
      Status: 'Completed',
      IsClosed: true,
      ActivityDate: '2026-03-10',
      WhatId: deal.Id,
      AccountId: deal.AccountId,
    });
    const [dmitri, hannah] = await contactIds('dmitri.volkov@fabrikam.com', 'hannah.cole@fabrikam.com');
    expect(task.WhoId).toBe(dmitri);
    expect(await relatedContacts('Task', String(task.Id))).toEqual([dmitri, hannah].sort());
    // Assigned to the rep who owns the deal, not to the integration user that wrote it.
    expect(task.OwnerId).toBe(deal.OwnerId);
    expect(task.CreatedById).not.toBe(deal.OwnerId);

    const description = String(task.Description);
    for (const heading of ['Who took part', 'What was discussed', 'Outcome', 'Next steps']) {
      expect(description).toContain(heading);
    }
    expect(description).toMatch(/Dmitri Volkov \(VP of Revenue Operations/);
    expect(description).toMatch(/Roger Lane \(Account Executive, our side\)/);
    expect(description).toMatch(/owner: .+; due: /);
    expect(description.length).toBeLessThanOrEqual(32_000);

    expect(await lastActivity('Fabrikam - Pipeline Scribe')).toBe('2026-03-10');
    const conversation = t!.records('Conversation__c').find((c) => c.Source_Id__c === result.sourceId)!;
    expect(conversation.Activity_Id__c).toBe(task.Id);
    expect(result.apiCalls).toBeLessThanOrEqual(2);
  });

  it('on a deal whose owner has left, is logged all the same, with the integration user as its owner', async () => {
    const processor = await processorOn();
    const deal = await opportunityByName(t!.admin, 'Fabrikam - Pipeline Scribe');
    const owner = t!.org.store.get('User', String(deal.OwnerId))!;
    t!.org.store.put('User', { ...owner, IsActive: false });
    // What a real org answers when work is given to a deactivated user: the write must not try it.
    await expect(
      t!.admin.sobject('Task').create({ Subject: 'x', WhatId: deal.Id, OwnerId: deal.OwnerId }),
    ).rejects.toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER' });

    const before = tasks().length;
    const result = await processor.process({
      content: await sample('01-fabrikam-discovery.gong.json'),
    } as never);
    expect(result.status).toBe('processed');
    const [task] = tasks().slice(before);
    expect(task).toMatchObject({ WhatId: deal.Id, Status: 'Completed' });
    expect(task!.OwnerId).not.toBe(deal.OwnerId);
  });

  it('processed again leaves one task; changed, the same task says what changed', async () => {
    const processor = await processorOn();
    const before = tasks().length;
    const notes = await sample('04-northwind-notes.md');
    const first = await processor.process({
      content: notes,
      sourceId: 'notes:northwind',
      source: 'Gong Call',
    } as never);
    expect(first.status).toBe('processed');
    const [task] = tasks().slice(before);
    expect(task).toBeDefined();

    const replay = await processor.process({
      content: notes,
      sourceId: 'notes:northwind',
      source: 'Gong Call',
    } as never);
    expect(replay.status).toBe('processed');
    expect(tasks().slice(before)).toHaveLength(1);
    expect(replay.apiCalls).toBe(1);

    const edited = `${notes}\n- Decision: we agreed to start with the dispatch team only\n`;
    const changed = await processor.process({
      content: edited,
      sourceId: 'notes:northwind',
      source: 'Gong Call',
    } as never);
    expect(changed.status).toBe('processed');
    const after = tasks().slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]!.Id).toBe(task!.Id);
    expect(after[0]!.TaskSubtype).toBe('Call');
    expect(after[0]!.Description).not.toBe(task!.Description);
  });

  it('whose task a rep deleted is logged anew, once, when it is processed with something new', async () => {
    const processor = await processorOn();
    const notes = await sample('04-northwind-notes.md');
    const input = { sourceId: 'notes:northwind-deleted', source: 'Gong Call' };
    await processor.process({ ...input, content: notes } as never);
    const first = tasks().at(-1)!;
    await t!.admin.sobject('Task').destroy(String(first.Id));

    const edited = `${notes}\n- Decision: pilot with the dispatch team first\n`;
    const result = await processor.process({ ...input, content: edited } as never);
    expect(result.status).toBe('processed');
    const live = tasks().filter((task) => task.WhatId === first.WhatId);
    expect(live).toHaveLength(1);
    expect(live[0]!.Id).not.toBe(first.Id);
    const conversation = t!.records('Conversation__c').find((c) => c.Source_Id__c === result.sourceId)!;
    expect(conversation.Activity_Id__c).toBe(live[0]!.Id);
  });
});

describe('a meeting', () => {
  it('becomes an event on the meeting’s day, on the deal, with the customer’s people', async () => {
    const processor = await processorOn();
    const before = events().length;
    const result = await processor.process({
      content: await sample('02-tailspin-champion-left.txt'),
      meetingDate: '2026-03-11',
    } as never);
    expect(result.status).toBe('processed');
    const deal = await opportunityByName(t!.admin, 'Tailspin Toys - Sales Cloud rollout');
    const logged = events().slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      EventSubtype: 'Event',
      ActivityDate: '2026-03-11',
      IsAllDayEvent: true,
      WhatId: deal.Id,
    });
    expect(String(logged[0]!.Description)).toContain('Alex Kim');
    const [alex] = await contactIds('alex.kim@tailspintoys.com');
    expect(await relatedContacts('Event', String(logged[0]!.Id))).toContain(alex);
    expect(await lastActivity('Tailspin Toys - Sales Cloud rollout')).toBe('2026-03-11');
  });
});

describe('a recorded meeting whose source gives its times', () => {
  it('becomes an event from its start to its end', async () => {
    const processor = await processorOn();
    const call = JSON.parse(await sample('01-fabrikam-discovery.gong.json')) as {
      metaData: Record<string, unknown>;
    };
    call.metaData.duration = 1800;
    const before = events().length;
    const result = await processor.process({
      content: JSON.stringify(call),
      source: 'Meeting',
      sourceId: 'gong:meeting-with-times',
    } as never);
    expect(result.status).toBe('processed');
    expect(events().slice(before)).toMatchObject([
      {
        IsAllDayEvent: false,
        StartDateTime: '2026-03-10T21:00:00.000+0000',
        EndDateTime: '2026-03-10T21:30:00.000+0000',
        DurationInMinutes: 30,
        ActivityDate: '2026-03-10',
      },
    ]);
  });
});

describe('an integration user without Edit Tasks', () => {
  it('gets a failure that names the permission, recorded on the Conversation__c, and nothing else written', async () => {
    const processor = await processorOn({}, (grant) => grant.userPermissions.delete('EditTask'));
    const suggestionsBefore = t!.records('Suggestion__c').length;
    const tasksBefore = tasks().length;

    const result = await processor.process({
      content: await sample('01-fabrikam-discovery.gong.json'),
    } as never);
    expect(result.status).toBe('failed');
    expect(result.refusal?.message).toMatch(/Edit Tasks/);
    expect(tasks()).toHaveLength(tasksBefore);
    expect(t!.records('Suggestion__c')).toHaveLength(suggestionsBefore);
    expect(await lastActivity('Fabrikam - Pipeline Scribe')).toBeNull();
    const conversation = t!.records('Conversation__c').find((c) => c.Source_Id__c === result.sourceId)!;
    expect(conversation.Processing_Status__c).toBe('Failed');
    expect(conversation.Activity_Id__c ?? null).toBeNull();
    expect(String(conversation.Processing_Error__c)).toMatch(/Edit Tasks/);
  });
});

describe('an integration user who may not edit Task.Description', () => {
  it('gets a failure that names the field, and nothing is written', async () => {
    const processor = await processorOn({}, (grant) => grant.fields.delete('task.description'));
    const tasksBefore = tasks().length;
    const suggestionsBefore = t!.records('Suggestion__c').length;

    const result = await processor.process({
      content: await sample('04-northwind-notes.md'),
      sourceId: 'notes:no-description',
      source: 'Gong Call',
    } as never);
    expect(result.status).toBe('failed');
    expect(result.refusal).toMatchObject({ object: 'Task', fields: ['Task.Description'] });
    expect(tasks()).toHaveLength(tasksBefore);
    expect(t!.records('Suggestion__c')).toHaveLength(suggestionsBefore);
  });
});

describe('an org without Shared Activities', () => {
  it('logs the call with its primary contact only', async () => {
    const processor = await processorOn({ sharedActivities: false });
    const before = tasks().length;
    const result = await processor.process({
      content: await sample('01-fabrikam-discovery.gong.json'),
    } as never);
    expect(result.status).toBe('processed');
    const [dmitri] = await contactIds('dmitri.volkov@fabrikam.com');
    expect(tasks().slice(before)).toMatchObject([{ WhoId: dmitri, TaskSubtype: 'Call' }]);
  });
});

describe('erasing a conversation', () => {
  it('deletes the activity it was logged as, and the deal’s Last Activity no longer counts it', async () => {
    const processor = await processorOn();
    const deal = 'Northwind Traders - Dispatch automation';
    const result = await processor.process({
      content: await sample('04-northwind-notes.md'),
      sourceId: 'notes:erase-me',
      source: 'Gong Call',
      meetingDate: '2026-03-09',
    } as never);
    const task = tasks().at(-1)!;
    expect(await lastActivity(deal)).toBe('2026-03-09');

    const client = await SalesforceClient.connect({
      ...(t!.config as Extract<SalesforceConfig, { kind: 'org' }>),
      logger,
    });
    const erasure = await eraseConversationRecords(client, { recordIds: [], sourceIds: [result.sourceId] });
    expect(erasure.refused).toEqual([]);
    expect(erasure.deleted).toMatchObject({ conversations: 1, activities: 1 });
    expect(tasks().some((r) => r.Id === task.Id)).toBe(false);
    expect(await lastActivity(deal)).toBeNull();
  });
});
