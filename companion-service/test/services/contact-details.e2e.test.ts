import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { opportunityByName, startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { ConversationProcessor } from '../../src/services/process-conversation.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

/**
 * A customer who is already a contact writes that her role changed and signs with a direct line:
 * both reach the org as suggestions on her contact record (Target_Object__c Contact, her id as
 * Target_Record_Id__c), each with its quote, while the contact itself is left for a rep to change.
 * Our rep's signature in the quoted reply gives nobody a number.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.org.close();
  org = null;
});

const MAIL = [
  'From: Sofia Martins <sofia.martins@wingtiptoys.com>',
  'To: Avery Rep <avery.rep@pipeline-scribe.local>',
  'Date: Tue, 17 Mar 2026 11:20:00 -0500',
  'Subject: Re: Rollout timing',
  '',
  'Hi Avery,',
  '',
  "A quick update: I've moved into the VP of Revenue Enablement role this month, so the rollout now sits with me.",
  '',
  'Best,',
  'Sofia Martins',
  'VP of Revenue Enablement | Wingtip Toys',
  'Direct: +1 206 555 0147',
  '',
  'On Mon, Mar 16, 2026 at 9:02 AM Avery Rep <avery.rep@pipeline-scribe.local> wrote:',
  '> Hi Sofia, when would you like to start the rollout?',
  '> Avery Rep',
  '> Account Executive | Contoso',
  '> +1 415 555 0100',
].join('\n');

describe('contact details from a conversation', () => {
  it("are suggested on the customer's contact record with their quotes, and never written by the service", async () => {
    org = await startTestOrg();
    const config = org.config as Extract<SalesforceConfig, { kind: 'org' }>;
    const client = await SalesforceClient.connect({ ...config, logger });
    const snapshot = await readOrgSnapshot(client, Date.now());
    expect(snapshot.contactFields?.MobilePhone).toMatchObject({ type: 'phone', updateable: false });

    const processor = new ConversationProcessor({
      api: client,
      snapshots: new OrgSnapshotCache(async () => snapshot, 300_000, logger),
      extractor: new EmbeddedExtractor(),
      logger,
    });
    const deal = await opportunityByName(org.admin, 'Wingtip Toys - Pipeline Scribe');
    const result = await processor.process({
      content: MAIL,
      sourceId: 'contact-details-1',
      opportunityId: deal.Id,
    } as never);
    expect(result.match.opportunity?.id).toBe(deal.Id);

    const sofia = org.records('Contact').find((c) => c.LastName === 'Martins')!;
    const onContacts = org
      .records('Suggestion__c')
      .filter((s) => s.Conversation__c === result.conversationRecordId && s.Target_Object__c === 'Contact');
    const byField = Object.fromEntries(onContacts.map((s) => [String(s.Target_Field__c), s]));
    expect(Object.keys(byField).sort()).toEqual(['Phone', 'Title']);
    expect(byField.Title).toMatchObject({
      Type__c: 'Field',
      Status__c: 'Pending',
      Target_Record_Id__c: sofia.Id,
      Opportunity__c: deal.Id,
      Proposed_Value__c: 'VP of Revenue Enablement',
      Value_At_Suggestion__c: 'Head of Sales Enablement',
    });
    expect(String(byField.Title!.Evidence_Quote__c)).toContain(
      "I've moved into the VP of Revenue Enablement role",
    );
    expect(byField.Phone).toMatchObject({
      Target_Record_Id__c: sofia.Id,
      Proposed_Value__c: '+1 206 555 0147',
      Evidence_Quote__c: 'Direct: +1 206 555 0147',
    });
    // The contact keeps its values until a rep accepts; our rep's number went nowhere.
    expect(org.records('Contact').find((c) => c.Id === sofia.Id)).toMatchObject({
      Title: 'Head of Sales Enablement',
    });
    expect(JSON.stringify(org.records('Suggestion__c'))).not.toContain('415 555 0100');
  });
});
