import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SalesforceError } from '@pipeline-scribe/local-salesforce/org/api/errors';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import type { ConversationResult } from '../../src/domain/conversation-result.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  buildTestApp,
  opportunityByName,
  sampleBody,
  startTestOrg,
  type TestOrg,
  settleConversation,
} from '../support/local-org.js';

/**
 * Salesforce refusing a conversation's write for a missing permission, end to end: the durable queue,
 * the worker, the local org. A validation rule refuses one chosen field exactly as Salesforce answers a
 * field the user cannot edit, so the rest of the integration permission set stays as shipped.
 */

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());
beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  app = await buildTestApp(t.config, { db });
});
afterEach(async () => {
  await app.close();
  await t.org.close();
});

const settle = (id: string) => settleConversation(app, id);

async function post(body: Record<string, unknown>) {
  const before = t.org.usage().used;
  const response = await app.inject({ method: 'POST', url: '/v1/conversations', payload: body });
  expect(response.statusCode).toBe(202);
  const done = await settle((response.json() as ConversationStatusBody).id);
  return { done, result: done.result as ConversationResult, orgCalls: t.org.usage().used - before };
}

/** Salesforce's answer to a write of a field the user may read but not edit. */
function fieldNotEditable(object: string, field: string) {
  t.org.validationRules.push({
    object,
    name: `FLS_${field}`,
    message: 'field-level security',
    violated: (record, previous) => {
      if (
        record[field] !== undefined &&
        record[field] !== (previous?.[field] ?? null) &&
        record[field] !== null
      ) {
        throw new SalesforceError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field],
        );
      }
      return false;
    },
  });
}

const records = async (soql: string) => (await t.admin.query<Record<string, unknown>>(soql)).records;

describe('a conversation Salesforce refuses for a missing permission', () => {
  it('is dead at once with the field and the grant an admin makes, nothing half-written, the refusal on its Conversation__c', async () => {
    fieldNotEditable('Opportunity', 'Competitors__c');
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    const suggestionsBefore = (await records('SELECT Id FROM Suggestion__c')).length;
    const { done, result, orgCalls } = await post(
      await sampleBody('02-tailspin-champion-left.txt', { sourceId: 'refusal-1' }),
    );

    const expected =
      'Salesforce refused Opportunity.Competitors__c (INVALID_FIELD_FOR_INSERT_UPDATE on edit): the integration user cannot edit this field — grant Edit on Opportunity.Competitors__c in the Pipeline Scribe Integration permission set.';
    expect(done).toMatchObject({
      status: 'dead',
      attempts: 1,
      deadLetter: { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', reason: expected },
    });
    expect(result).toMatchObject({
      status: 'failed',
      refusal: {
        code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        object: 'Opportunity',
        fields: ['Opportunity.Competitors__c'],
        missing: 'Edit on this field',
        message: expected,
      },
      suggestions: [],
      autoApplied: [],
    });
    // One read, the refused write, and the Failed status: never a retry.
    expect(orgCalls).toBe(3);
    // Nothing of the write-back landed: no suggestion, no provenance, the deal as it was.
    expect((await records('SELECT Id FROM Suggestion__c')).length).toBe(suggestionsBefore);
    expect(
      await records(`SELECT Id FROM Field_Provenance__c WHERE Record_Id__c = '${String(deal.Id)}'`),
    ).toEqual([]);
    expect((await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout')).Competitors__c).toBe(
      deal.Competitors__c,
    );
    const [conversation] = await records(
      "SELECT Id, Processing_Status__c, Processing_Error__c FROM Conversation__c WHERE Source_Id__c = 'refusal-1'",
    );
    expect(conversation).toMatchObject({ Processing_Status__c: 'Failed', Processing_Error__c: expected });
    expect(result.conversationRecordId).toBe(conversation!.Id);
  });

  it('records only the status and the refusal when a field of the Conversation__c itself is refused', async () => {
    fieldNotEditable('Conversation__c', 'Summary__c');
    const { done, result } = await post(await sampleBody('04-northwind-notes.md', { sourceId: 'refusal-2' }));
    expect(done).toMatchObject({
      status: 'dead',
      deadLetter: { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' },
    });
    expect(result.refusal!.message).toContain(
      'Salesforce refused Conversation__c.Summary__c (INVALID_FIELD_FOR_INSERT_UPDATE on create or edit)',
    );
    const [conversation] = await records(
      "SELECT Id, Summary__c, Processing_Status__c, Processing_Error__c FROM Conversation__c WHERE Source_Id__c = 'refusal-2'",
    );
    expect(conversation).toMatchObject({
      Summary__c: null,
      Processing_Status__c: 'Failed',
      Processing_Error__c: result.refusal!.message,
    });
    expect(result.conversationRecordId).toBe(conversation!.Id);
  });
});
