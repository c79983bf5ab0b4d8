import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { SalesforceClient } from '../../../src/adapters/salesforce/salesforce-client.js';
import { CountedApi } from '../../../src/adapters/salesforce/wrapped-api.js';
import { readOrgSnapshot, type OrgSnapshot } from '../../../src/adapters/salesforce/org-rules.js';
import { readForConversation } from '../../../src/adapters/salesforce/conversation-read.js';
import { readPipeline } from '../../../src/adapters/salesforce/pipeline-read.js';
import type { MatchHints } from '../../../src/domain/matching/match-opportunity.js';
import { startTestOrg, type TestOrg } from '../../support/local-org.js';

/**
 * The service's reads against a local org paging as a real org does, with the smallest batch
 * (200): a query of 500+ rows and child relationship results of 300+ rows are read completely,
 * following nextRecordsUrl of the result and of each child result; a conversation whose results
 * fit their first pages still costs one API call.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const DEALS = 520;
const ROLES = 330;
const SUGGESTIONS = 320;

let t: TestOrg;
let client: SalesforceClient;
let snapshot: OrgSnapshot;
let bigDeal: string;

async function insert(records: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 200) {
    const results = await t.admin.requestPost<{ id: string; success: boolean }[]>(
      '/services/data/v62.0/composite/sobjects',
      { allOrNone: true, records: records.slice(i, i + 200) },
    );
    ids.push(...results.map((r) => r.id));
  }
  return ids;
}

const hints = (over: Partial<MatchHints>): MatchHints => ({
  crmOpportunityId: null,
  requestedOpportunityId: null,
  requestedAccountId: null,
  previousOpportunityId: null,
  emails: [],
  names: [],
  text: '',
  ...over,
});

beforeAll(async () => {
  t = await startTestOrg({ dataPlan: null, queryBatchSize: 200 });
  if (t.config.kind !== 'org') throw new Error('test org config expected');
  client = await SalesforceClient.connect({ ...t.config, logger });
  snapshot = await readOrgSnapshot(client, Date.now());
  const [account] = await insert([{ attributes: { type: 'Account' }, Name: 'Contoso Pharmaceuticals' }]);
  const deals = await insert(
    Array.from({ length: DEALS }, (_, i) => ({
      attributes: { type: 'Opportunity' },
      Name: `Contoso - deal ${String(i).padStart(3, '0')}`,
      AccountId: account,
      StageName: 'Qualification',
      CloseDate: '2026-09-30',
      Amount: 10_000 + i,
    })),
  );
  bigDeal = deals[0]!;
  const contacts = await insert(
    Array.from({ length: ROLES }, (_, i) => ({
      attributes: { type: 'Contact' },
      AccountId: account,
      LastName: `Buyer ${String(i).padStart(3, '0')}`,
      Email: `buyer${i}@contoso.example`,
    })),
  );
  await insert(
    contacts.map((contactId) => ({
      attributes: { type: 'OpportunityContactRole' },
      OpportunityId: bigDeal,
      ContactId: contactId,
      Role: 'Influencer',
    })),
  );
  const [conversation] = await insert([
    {
      attributes: { type: 'Conversation__c' },
      Name: 'Contoso weekly',
      Opportunity__c: bigDeal,
      Source_Id__c: 'paging:big',
      Content__c: 'notes',
      Processing_Status__c: 'Processed',
    },
  ]);
  await insert(
    Array.from({ length: SUGGESTIONS }, (_, i) => ({
      attributes: { type: 'Suggestion__c' },
      External_Id__c: `paging:big:${i}`,
      Conversation__c: conversation,
      Opportunity__c: bigDeal,
      Type__c: 'Field',
      Target_Object__c: 'Opportunity',
      Target_Field__c: 'NextStep',
      Proposed_Value__c: `Step ${i}`,
      Status__c: 'Pending',
    })),
  );
  await insert([
    {
      attributes: { type: 'Conversation__c' },
      Name: 'Contoso intro',
      Opportunity__c: deals[1],
      Source_Id__c: 'paging:small',
      Content__c: 'notes',
      Processing_Status__c: 'Processed',
    },
  ]);
}, 120_000);

afterAll(async () => t.org.close());

describe('reads that follow nextRecordsUrl', () => {
  it("reads a conversation's 300+ suggestions completely, and its deal's contact roles and pending suggestions in windows of one page", async () => {
    const api = new CountedApi(client);
    const read = await readForConversation(
      api,
      hints({ requestedOpportunityId: bigDeal }),
      'paging:big',
      snapshot,
    );
    // The deal's lists are read in windows that fit one page (the primary roles and the newest
    // pending suggestions first), so a busy deal costs no extra call.
    expect(read.linked!.contactRoles).toHaveLength(200);
    expect(new Set(read.linked!.contactRoles.map((r) => r.contactId)).size).toBe(200);
    expect(read.linked!.pendingSuggestions).toHaveLength(200);
    // The conversation's own suggestions are read whole: one further child page.
    expect(read.existing!.suggestions).toHaveLength(SUGGESTIONS);
    expect(Object.keys(read.existingSuggestionFields)).toHaveLength(SUGGESTIONS);
    expect(api.calls).toBe(2);
  });

  it('costs one call when every result fits its first page', async () => {
    const api = new CountedApi(client);
    const deal = (
      await t.admin.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE Name = 'Contoso - deal 001'")
    ).records[0]!.Id;
    const read = await readForConversation(
      api,
      hints({ requestedOpportunityId: deal }),
      'paging:small',
      snapshot,
    );
    expect(read.linked!.id).toBe(deal);
    expect(read.existing).not.toBeNull();
    expect(api.calls).toBe(1);
  });

  it('reads the whole pipeline: 500+ deals over many pages, and every contact role of each', async () => {
    const api = new CountedApi(client);
    const pipeline = await readPipeline(api, snapshot, { kind: 'full', closedLookbackDays: 90 });
    expect(pipeline.dataset.opportunities).toHaveLength(DEALS);
    const big = pipeline.dataset.opportunities.find((o) => o.id === bigDeal)!;
    expect(big.contactRoleCount).toBe(ROLES);
    expect(pipeline.dataset.contacts).toHaveLength(ROLES);
    expect(api.calls).toBeGreaterThan(3);
  });
});
