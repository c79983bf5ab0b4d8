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
 * Our own rep forwards a customer's mail to a colleague: the rep's signature and the org's domain
 * are in it. The org's users are the seller side, read with the rules, so the rep is never proposed
 * as a new customer contact, while the customer's new person still is.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.org.close();
  org = null;
});

const FORWARDED = [
  'From: Avery Rep <avery.rep@pipeline-scribe.local>',
  'To: Morgan Manager <morgan.manager@pipeline-scribe.local>',
  'Date: Fri, 13 Mar 2026 10:02:00 -0500',
  'Subject: Fwd: Re: Contoso proposal and next steps',
  '',
  'Morgan, see below from Wingtip Toys. Sofia Martins and Ben Okafor are still our main contacts;',
  'Ines Carvalho (Procurement Manager) is new and will run their vendor onboarding.',
  '',
  'Thanks,',
  'Avery Rep',
  'Account Executive | Contoso',
  'avery.rep@pipeline-scribe.local',
  '',
  '---------- Forwarded message ---------',
  'From: Sofia Martins <sofia.martins@wingtiptoys.com>',
  'Date: Thu, 12 Mar 2026 09:14:00 -0500',
  'Subject: Re: Contoso proposal and next steps',
  'To: Avery Rep <avery.rep@pipeline-scribe.local>',
  '',
  'Hi Avery,',
  '',
  'Our legal team has the MSA and is sending redlines back by March 20.',
  '',
  'Best,',
  'Sofia Martins',
  'Head of Sales Enablement | Wingtip Toys',
].join('\n');

describe("a conversation forwarded by one of the org's reps", () => {
  it('reads the seller side from the org and suggests no contact for our own people', async () => {
    org = await startTestOrg();
    const config = org.config as Extract<SalesforceConfig, { kind: 'org' }>;
    const client = await SalesforceClient.connect({ ...config, logger });
    const snapshot = await readOrgSnapshot(client, Date.now());
    expect(snapshot.rules.sellerPeople).toEqual(expect.arrayContaining(['Avery Rep', 'Morgan Manager']));
    expect(snapshot.rules.sellerEmailDomains).toContain('pipeline-scribe.local');

    const processor = new ConversationProcessor({
      api: client,
      snapshots: new OrgSnapshotCache(async () => snapshot, 300_000, logger),
      extractor: new EmbeddedExtractor(),
      logger,
    });
    const deal = await opportunityByName(org.admin, 'Wingtip Toys - Pipeline Scribe');
    const result = await processor.process({
      content: FORWARDED,
      sourceId: 'fwd-by-rep-1',
      opportunityId: deal.Id,
    } as never);
    expect(result.match.opportunity?.id).toBe(deal.Id);

    const contacts = org
      .records('Suggestion__c')
      .filter((s) => s.Conversation__c === result.conversationRecordId && s.Type__c === 'Contact')
      .map((s) => JSON.stringify(s));
    expect(contacts.some((c) => c.includes('Ines Carvalho'))).toBe(true);
    for (const ours of ['Avery', 'Morgan Manager']) expect(contacts.join('\n')).not.toContain(ours);
  });
});
