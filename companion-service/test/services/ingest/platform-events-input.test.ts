import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { SalesforceClient } from '../../../src/adapters/salesforce/salesforce-client.js';
import { capturedConversationInput } from '../../../src/services/ingest/platform-events-input.js';
import { startTestOrg, type TestOrg } from '../../support/local-org.js';

/** A captured conversation read back from the local org, as the worker resolves it. */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
let test: TestOrg;
let api: SalesforceClient;

beforeAll(async () => {
  test = await startTestOrg();
  api = await SalesforceClient.connect({
    ...(test.config as Extract<typeof test.config, { kind: 'org' }>),
    logger,
  });
});

afterAll(async () => {
  await test.org.close();
});

const job = (conversationId: string) => ({
  conversationId,
  opportunityId: null,
  accountId: null,
  source: null,
  hasRecording: false,
});

const deal = () => test.org.store.all('Opportunity')[0]!;

describe('a captured conversation as input', () => {
  it('reads the notes, deal and time, and gives the record a source id processing will find', async () => {
    const created = await test.admin.sobject('Conversation__c').create({
      Name: 'Call with Jane',
      Opportunity__c: deal().Id,
      Account__c: deal().AccountId,
      Content__c: 'Jane wants the security review done by Friday.',
      Source__c: 'Meeting',
      Occurred_At__c: '2026-03-02T15:30:00.000Z',
    });
    const id = (created as { id: string }).id;
    const input = await capturedConversationInput(api, job(id));
    expect(input).toEqual({
      content: 'Jane wants the security review done by Friday.',
      sourceId: `sf:${id}`,
      source: 'Meeting',
      opportunityId: deal().Id,
      accountId: deal().AccountId,
      meetingDate: '2026-03-02',
      title: 'Call with Jane',
    });
    expect(test.records('Conversation__c').find((c) => c.Id === id)!.Source_Id__c).toBe(`sf:${id}`);
    // A second read keeps the id it was given.
    expect((await capturedConversationInput(api, job(id))).sourceId).toBe(`sf:${id}`);
  });

  it('refuses, naming the record, a conversation that is gone or holds only a recording', async () => {
    const gone = (await test.admin.sobject('Conversation__c').create({ Content__c: 'x' })) as { id: string };
    await test.admin.sobject('Conversation__c').destroy(gone.id);
    await expect(capturedConversationInput(api, job(gone.id))).rejects.toMatchObject({
      errorCode: 'CONVERSATION_NOT_FOUND',
    });
    const created = await test.admin.sobject('Conversation__c').create({
      Opportunity__c: deal().Id,
      Recording_Document_Id__c: '069000000000001AAA',
    });
    await expect(capturedConversationInput(api, job((created as { id: string }).id))).rejects.toMatchObject({
      errorCode: 'NO_TEXT',
      message: expect.stringMatching(/holds only a recording; send it to POST \/v1\/voice-memos/),
    });
  });
});
