import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConversationResult } from '../../src/domain/conversation-result.js';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  buildTestApp,
  opportunityByName,
  settleConversation,
  startTestOrg,
  type TestOrg,
} from '../support/local-org.js';

/**
 * Company and deal facts end to end on the local org: what a customer says about its company lands
 * on the deal's account as suggestions a rep decides (the integration user may read those fields,
 * never edit them), and the deal facts as suggestions on the deal.
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

const CALL = `Dana Reyes: Thanks for the time today. Some background on us.
Dana Reyes: We're about 1,200 people and we did $80M last year.
Sam Ortiz: And what do your reps work in?
Dana Reyes: We're on Salesforce and NetSuite, and our data sits in Snowflake.
Dana Reyes: We need this to cut the time reps spend on CRM updates.
Dana Reyes: We want to make a decision by the end of Q2.
Sam Ortiz: Great, I'll follow up.`;

async function process(opportunityId: string): Promise<ConversationResult> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    payload: { content: CALL, meetingDate: '2026-04-08', opportunityId },
  });
  expect(response.statusCode).toBe(202);
  const done = await settleConversation(app, (response.json() as ConversationStatusBody).id);
  return done.result as ConversationResult;
}

describe('company and deal facts on the local org', () => {
  it("suggests the account's employees, revenue and tech stack to the rep, and the deal's use case and decision timeline", async () => {
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    const accountId = deal.AccountId as string;
    await t.admin.sobject('Account').update({ Id: accountId, Tech_Stack__c: 'Okta' });

    const result = await process(deal.Id as string);

    const byField = Object.fromEntries(result.suggestions.map((s) => [s.field, s]));
    expect(byField.NumberOfEmployees).toMatchObject({ status: 'Pending', proposedValue: '1200' });
    expect(byField.AnnualRevenue).toMatchObject({ status: 'Pending', proposedValue: '80000000' });
    // The stack merges: what the account lists stays, the systems named are added.
    expect(byField.Tech_Stack__c).toMatchObject({
      status: 'Pending',
      currentValue: 'Okta',
      proposedValue: 'Okta; Salesforce; NetSuite; Snowflake',
    });
    expect(byField.Use_Case__c?.proposedValue).toBe('cut the time reps spend on CRM updates');
    expect(byField.Decision_Timeline__c?.proposedValue).toBe('the end of Q2 (2026-06-30)');

    const stored = (
      await t.admin.query<Record<string, unknown>>(
        `SELECT Target_Object__c, Target_Field__c, Target_Record_Id__c, Evidence_Quote__c FROM Suggestion__c WHERE Target_Object__c = 'Account'`,
      )
    ).records;
    expect(stored.map((s) => s.Target_Field__c).sort()).toEqual([
      'AnnualRevenue',
      'NumberOfEmployees',
      'Tech_Stack__c',
    ]);
    for (const s of stored) expect(String(s.Target_Record_Id__c).slice(0, 15)).toBe(accountId.slice(0, 15));
    expect(stored.find((s) => s.Target_Field__c === 'NumberOfEmployees')!.Evidence_Quote__c).toBe(
      "We're about 1,200 people and we did $80M last year.",
    );
    // Nothing on the account was changed by the service: a rep applies account values.
    const account = (
      await t.admin.query<Record<string, unknown>>(
        `SELECT NumberOfEmployees, AnnualRevenue, Tech_Stack__c FROM Account WHERE Id = '${accountId}'`,
      )
    ).records[0];
    expect(account).toMatchObject({ NumberOfEmployees: null, AnnualRevenue: null, Tech_Stack__c: 'Okta' });
  });

  it('never proposes to replace an employee count a rep typed', async () => {
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    await t.admin.sobject('Account').update({ Id: deal.AccountId as string, NumberOfEmployees: 950 });

    const result = await process(deal.Id as string);

    expect(result.suggestions.find((s) => s.field === 'NumberOfEmployees')).toBeUndefined();
    expect(result.suggestions.find((s) => s.field === 'AnnualRevenue')).toBeDefined();
  });
});
