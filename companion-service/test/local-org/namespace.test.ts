import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../support/local-org.js';

/**
 * The local org serves force-app as an installed managed package: every custom object, field,
 * relationship, event and custom metadata type is named with the namespace sfdx-project.json
 * registers, and a client that leaves the prefix off is refused as a subscriber org refuses it.
 */

let t: TestOrg;
let raw: Connection;

beforeAll(async () => {
  t = await startTestOrg();
  raw = new Connection({
    instanceUrl: t.org.url,
    accessToken: t.org.issueAccessToken('admin@pipeline-scribe.local'),
    version: '62.0',
  });
});
afterAll(async () => t.org.close());

const errorOf = async (promise: PromiseLike<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { errorCode?: string };
    return { code: e.errorCode ?? e.name, message: e.message };
  }
  throw new Error('expected the call to fail');
};

describe('the package as a subscriber org has it', () => {
  it('names every package component with the namespace, and standard ones without', async () => {
    expect(t.org.schema.namespace).toBe('pscribe');
    const global = await raw.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['Opportunity', 'pscribe__Suggestion__c', 'pscribe__Suggestion_Decided__e']),
    );
    expect(names).not.toContain('Suggestion__c');
    const opportunity = await raw.sobject('Opportunity').describe();
    const fields = opportunity.fields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['StageName', 'pscribe__Risk_Score__c']));
    const suggestion = await raw.sobject('pscribe__Suggestion__c').describe();
    const conversation = suggestion.fields.find((f) => f.name === 'pscribe__Conversation__c');
    expect(conversation).toMatchObject({
      referenceTo: ['pscribe__Conversation__c'],
      relationshipName: 'pscribe__Conversation__r',
    });
  });

  it('refuses the local names a client forgot to prefix, with the real errors', async () => {
    expect(await errorOf(raw.query('SELECT Id FROM Suggestion__c'))).toMatchObject({ code: 'INVALID_TYPE' });
    expect(await errorOf(raw.query('SELECT Id, Risk_Score__c FROM Opportunity'))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    const deal = (await raw.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records[0]!;
    expect(await errorOf(raw.sobject('Opportunity').update({ Id: deal.Id, Budget__c: 1 }))).toMatchObject({
      code: 'INVALID_FIELD',
    });
  });

  it('answers prefixed names, with custom metadata records carrying the namespace', async () => {
    const rows = await raw.query<Record<string, unknown>>(
      'SELECT DeveloperName, NamespacePrefix, pscribe__Stage_Name__c FROM pscribe__Stage_Definition__mdt',
    );
    expect(rows.totalSize).toBeGreaterThan(0);
    expect(rows.records[0]).toMatchObject({ NamespacePrefix: 'pscribe' });
    const child = await raw.query<Record<string, unknown>>(
      'SELECT Id, (SELECT Id FROM pscribe__Suggestions__r) FROM pscribe__Conversation__c LIMIT 1',
    );
    expect(child.records[0]).toHaveProperty('pscribe__Suggestions__r');
  });

  it('the service, through its codec, reads and writes in local names against the same org', async () => {
    const [deal] = (
      await t.admin.query<{ Id: string; Risk_Score__c: number | null }>(
        'SELECT Id, Risk_Score__c FROM Opportunity LIMIT 1',
      )
    ).records;
    expect(deal).toHaveProperty('Risk_Score__c');
    await t.admin.sobject('Opportunity').update({ Id: deal!.Id, Budget__c: 5000 });
    const stored = t.org.store.get('Opportunity', deal!.Id)!;
    expect(stored.pscribe__Budget__c).toBe(5000);
  });
});
