import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import {
  SalesforceClient,
  type CompositeSubrequest,
  type SalesforceApi,
} from '../../src/adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { ConversationProcessor } from '../../src/services/process-conversation.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../../src/cli/start-command.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

/**
 * The org as a user who may not read Opportunity.Budget__c sees it: every query naming the field
 * answers INVALID_FIELD, as Salesforce hides a field the user cannot read. Writes pass through.
 */
function hidingBudget(api: SalesforceApi): SalesforceApi {
  return {
    apiVersion: api.apiVersion,
    get instanceUrl() {
      return api.instanceUrl;
    },
    usage: () => api.usage(),
    get: (p) => api.get(p),
    bulk: (r) => api.bulk(r),
    composite: async (subrequests: CompositeSubrequest[], allOrNone: boolean) => {
      const hides = (s: CompositeSubrequest) =>
        s.method === 'GET' && decodeURIComponent(s.path).includes('Budget__c');
      // Queries in one composite stand alone: only the one naming the field fails.
      const responses = await api.composite(subrequests, allOrNone);
      return responses.map((r) =>
        hides(subrequests.find((s) => s.referenceId === r.referenceId)!)
          ? {
              referenceId: r.referenceId,
              httpStatusCode: 400,
              body: [
                {
                  errorCode: 'INVALID_FIELD',
                  message:
                    "\nSELECT Id, Name, Budget__c FROM Opportunity\n                ^\nERROR at Row:1:Column:17\nNo such column 'Budget__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                },
              ],
            }
          : r,
      );
    },
  };
}

it('a read refused for a field the integration user cannot read fails the conversation with the grant, and marks its Conversation__c', async () => {
  running = await startTestOrg();
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const client = await SalesforceClient.connect({ ...config, logger });
  const api = hidingBudget(client);
  const processor = new ConversationProcessor({
    api,
    snapshots: new OrgSnapshotCache(() => readOrgSnapshot(client, Date.now()), 300_000, logger),
    extractor: new EmbeddedExtractor(),
    logger,
  });
  const content = await readFile(path.join(SAMPLES, '04-northwind-notes.md'), 'utf8');
  const result = await processor.process({ content, sourceId: 'refused-read-1' } as never);

  expect(result.status).toBe('failed');
  expect(result.refusal).toMatchObject({
    code: 'INVALID_FIELD',
    object: 'Opportunity',
    fields: ['Opportunity.Budget__c'],
  });
  expect(result.refusal!.message).toMatch(
    /^Salesforce refused Opportunity\.Budget__c \(INVALID_FIELD on read\): the integration user cannot read this field — grant Read on Opportunity\.Budget__c in the Pipeline Scribe Integration permission set/,
  );
  // The read and the Failed status: two calls.
  expect(result.apiCalls).toBe(2);
  const [conversation] = (
    await running.admin.query<Record<string, unknown>>(
      "SELECT Processing_Status__c, Processing_Error__c FROM Conversation__c WHERE Source_Id__c = 'refused-read-1'",
    )
  ).records;
  expect(conversation).toMatchObject({
    Processing_Status__c: 'Failed',
    Processing_Error__c: result.refusal!.message,
  });
});
