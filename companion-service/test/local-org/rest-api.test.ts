import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, OAuth2 } from 'jsforce';
import { signAssertion } from '../../src/adapters/salesforce/jwt-bearer.js';
import { ADMIN_USERNAME, INTEGRATION_USERNAME, startLocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { speakingLocalNames, startTestOrg, testKeys, type TestOrg } from '../support/local-org.js';

/**
 * The local org through a real client (jsforce) over loopback: the same requests, the same answers
 * and the same errors a real org gives the product.
 */

let t: TestOrg;
let conn: Connection;

beforeAll(async () => {
  t = await startTestOrg({ queryBatchSize: 200 });
  conn = t.admin;
});
afterAll(async () => t.org.close());

const errorOf = async (promise: PromiseLike<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { errorCode?: string; data?: { fields?: string[] } };
    return { code: e.errorCode ?? e.name, message: e.message, fields: e.data?.fields };
  }
  throw new Error('expected the call to fail');
};

describe('OAuth 2.0 JWT bearer', () => {
  const k = testKeys();
  const auth = () => ({
    loginUrl: t.org.url,
    clientId: k.consumerKey,
    username: INTEGRATION_USERNAME,
    privateKey: k.privateKey,
  });
  const token = (assertion: string) =>
    new OAuth2({ loginUrl: t.org.url }).requestToken({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    });

  it('issues a session for a correctly signed assertion, usable on the REST API', async () => {
    const session = await token(signAssertion(auth(), Date.now()));
    expect(session).toMatchObject({ token_type: 'Bearer', instance_url: t.org.url });
    const c = new Connection({
      instanceUrl: session.instance_url,
      accessToken: session.access_token,
      version: '62.0',
    });
    // The sample accounts: 5 with open deals, 28 with the closed history the forecast learns from.
    expect((await c.query('SELECT COUNT() FROM Account')).totalSize).toBe(33);
  });

  it('refuses a wrong key, an unknown consumer, an unknown user and an expired assertion', async () => {
    const other = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = signAssertion(
      { ...auth(), privateKey: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      Date.now(),
    );
    expect(await errorOf(token(wrongKey))).toMatchObject({
      code: 'invalid_grant',
      message: 'invalid assertion',
    });
    expect(
      await errorOf(token(signAssertion({ ...auth(), clientId: 'SomeOtherConnectedApp' }, Date.now()))),
    ).toMatchObject({ code: 'invalid_client_id' });
    expect(
      await errorOf(token(signAssertion({ ...auth(), username: 'nobody@example.com' }, Date.now()))),
    ).toMatchObject({ code: 'invalid_grant' });
    expect(await errorOf(token(signAssertion(auth(), Date.now() - 3_600_000)))).toMatchObject({
      message: 'expired authorization code',
    });
  });

  it('answers INVALID_SESSION_ID once sessions are gone', async () => {
    const c = new Connection({
      instanceUrl: t.org.url,
      accessToken: t.org.issueAccessToken(),
      version: '62.0',
    });
    t.org.expireSessions();
    expect(await errorOf(c.query('SELECT Id FROM Account'))).toMatchObject({ code: 'INVALID_SESSION_ID' });
    conn = speakingLocalNames(
      new Connection({
        instanceUrl: t.org.url,
        accessToken: t.org.issueAccessToken('admin@pipeline-scribe.local'),
        version: '62.0',
      }),
      t.names,
    );
  });
});

describe('query', () => {
  it('pages with nextRecordsUrl when more records remain than one batch holds', async () => {
    const records = Array.from({ length: 250 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `Paging ${String(i).padStart(3, '0')}`,
    }));
    await conn.requestPost('/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: records.slice(0, 200),
    });
    await conn.requestPost('/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: records.slice(200),
    });
    const first = await conn.query("SELECT Name FROM Account WHERE Name LIKE 'Paging%' ORDER BY Name", {
      autoFetch: false,
    });
    expect(first).toMatchObject({ totalSize: 250, done: false });
    expect(first.records).toHaveLength(200);
    const rest = await conn.queryMore(first.nextRecordsUrl!);
    expect(rest).toMatchObject({ done: true });
    expect(rest.records.map((r) => (r as { Name: string }).Name)).toEqual(
      records.slice(200).map((r) => r.Name),
    );
  });

  it('follows parent relationships, child subqueries, semi-joins and date literals', async () => {
    const result = await conn.query<Record<string, unknown>>(
      `SELECT Name, Account.Name, (SELECT Contact.Email, Role FROM OpportunityContactRoles WHERE IsPrimary = true)
       FROM Opportunity
       WHERE IsClosed = false AND (StageName IN ('Qualification', 'Proposal/Price Quote') OR Amount > 100000)
       AND AccountId IN (SELECT AccountId FROM Contact WHERE Email LIKE '%@northwindtraders.com')
       AND CloseDate > 2026-01-01 AND CreatedDate = TODAY ORDER BY CloseDate DESC NULLS LAST LIMIT 5`,
    );
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      Name: 'Northwind Traders - Dispatch automation',
      Account: { Name: 'Northwind Traders' },
      OpportunityContactRoles: {
        totalSize: 1,
        records: [{ Contact: { Email: 'lucia.fernandez@northwindtraders.com' }, Role: 'Economic Buyer' }],
      },
    });
  });

  it('reads the custom metadata records from force-app', async () => {
    const policies = await conn.query<Record<string, unknown>>(
      "SELECT DeveloperName, Mode__c, Auto_Apply_After_Accepted__c FROM Field_Policy__mdt WHERE DeveloperName = 'Opportunity_NextStep'",
    );
    expect(policies.records[0]).toMatchObject({ Mode__c: 'Suggest', Auto_Apply_After_Accepted__c: 20 });
  });

  it('refuses what Salesforce refuses, with its error codes', async () => {
    expect(await errorOf(conn.query('SELECT Nope__c FROM Opportunity'))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    expect(await errorOf(conn.query('SELECT Id FROM Nope__c'))).toMatchObject({ code: 'INVALID_TYPE' });
    expect(
      await errorOf(conn.query("SELECT Id FROM Account WHERE Name = 'a' AND Industry = 'b' OR Type = 'c'")),
    ).toMatchObject({ code: 'MALFORMED_QUERY' });
    expect(await errorOf(conn.query("SELECT Id FROM Conversation__c WHERE Content__c = 'x'"))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    expect(
      await errorOf(conn.query("SELECT Id FROM Opportunity WHERE CloseDate = '2026-01-01'")),
    ).toMatchObject({ code: 'INVALID_QUERY_FILTER_OPERATOR' });
    expect(
      await errorOf(
        conn.query("SELECT Id FROM Account WHERE Name = 'x' OR Id IN (SELECT AccountId FROM Contact)"),
      ),
    ).toMatchObject({ code: 'MALFORMED_QUERY' });
  });
});

describe('sObject rows, upsert and errors', () => {
  it('creates, reads, updates, upserts by external id and deletes', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Contoso Pharma' });
    expect(account.success).toBe(true);
    const created = await conn.requestPatch<{ id: string; created: boolean }>(
      '/services/data/v62.0/sobjects/Conversation__c/Source_Id__c/test%3A1',
      { Name: 'Kickoff', Source__c: 'Notes', Account__c: account.id },
    );
    expect(created.created).toBe(true);
    const updated = await conn.requestPatch<{ id: string; created: boolean }>(
      '/services/data/v62.0/sobjects/Conversation__c/Source_Id__c/test%3A1',
      { Summary__c: 'They want a pilot.' },
    );
    expect(updated).toMatchObject({ id: created.id, created: false });
    const row = await conn.sobject('Conversation__c').retrieve(created.id);
    expect(row).toMatchObject({ Name: 'Kickoff', Summary__c: 'They want a pilot.', Source_Id__c: 'test:1' });
    await conn.sobject('Conversation__c').destroy(created.id);
    expect(
      await errorOf(conn.sobject('Conversation__c').update({ Id: created.id, Name: 'x' })),
    ).toMatchObject({ code: 'ENTITY_IS_DELETED' });
  });

  it('refuses unknown fields, missing required fields, bad picklist values, long text and duplicates', async () => {
    const [deal] = (
      await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE Name = 'Litware - Support insights'")
    ).records;
    expect(await errorOf(conn.sobject('Opportunity').update({ Id: deal!.Id, Stage__c: 'x' }))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    expect(await errorOf(conn.sobject('Opportunity').create({ Name: 'No stage' }))).toMatchObject({
      code: 'REQUIRED_FIELD_MISSING',
      fields: ['StageName', 'CloseDate'],
    });
    expect(
      await errorOf(conn.sobject('Opportunity').update({ Id: deal!.Id, StageName: 'Won-ish' })),
    ).toMatchObject({
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      fields: ['StageName'],
    });
    expect(
      await errorOf(conn.sobject('Opportunity').update({ Id: deal!.Id, NextStep: 'x'.repeat(256) })),
    ).toMatchObject({ code: 'STRING_TOO_LONG' });
    expect(await errorOf(conn.sobject('Opportunity').update({ Id: deal!.Id, IsWon: true }))).toMatchObject({
      code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    await conn.sobject('Suggestion__c').create({ External_Id__c: 'dup:1', Type__c: 'Task' });
    expect(
      await errorOf(conn.sobject('Suggestion__c').create({ External_Id__c: 'dup:1', Type__c: 'Task' })),
    ).toMatchObject({ code: 'DUPLICATE_VALUE' });
  });

  it('enforces validation rules with their message', async () => {
    t.org.validationRules.push({
      object: 'Opportunity',
      name: 'Close_Date_In_Future',
      message: 'Close Date cannot be in the past for an open deal.',
      field: 'CloseDate',
      violated: (r) => r.IsClosed === false && String(r.CloseDate) < '2026-01-01',
    });
    const [deal] = (
      await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE Name = 'Litware - Support insights'")
    ).records;
    expect(
      await errorOf(conn.sobject('Opportunity').update({ Id: deal!.Id, CloseDate: '2020-05-01' })),
    ).toMatchObject({
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Close Date cannot be in the past for an open deal.',
      fields: ['CloseDate'],
    });
    t.org.validationRules.length = 0;
  });

  it('describes objects with the picklist values force-app defines', async () => {
    const describe = await conn.sobject('Suggestion__c').describe();
    const status = describe.fields.find((f) => f.name === 'Status__c')!;
    expect(status.picklistValues!.map((p) => p.value)).toEqual([
      'Pending',
      'Accepted',
      'Edited',
      'Rejected',
      'Stale',
      'Auto-applied',
      'Failed',
    ]);
    expect(describe.childRelationships.map((r) => r.relationshipName)).toContain('Field_Provenance__r');
  });
});

describe('composite and sObject collections', () => {
  it('rolls everything back when one subrequest fails with allOrNone, and reports PROCESSING_HALTED for the rest', async () => {
    const before = (await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Composite One'")).totalSize;
    const result = await conn.requestPost<{
      compositeResponse: { httpStatusCode: number; body: unknown; referenceId: string }[];
    }>('/services/data/v62.0/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'account',
          body: { Name: 'Composite One' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'contact',
          body: { AccountId: '@{account.id}', LastName: 'Ng' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'bad',
          body: { AccountId: '@{account.id}' },
        },
      ],
    });
    expect(result.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['account', 400],
      ['contact', 400],
      ['bad', 400],
    ]);
    expect((result.compositeResponse[0]!.body as { errorCode: string }[])[0]!.errorCode).toBe(
      'PROCESSING_HALTED',
    );
    expect((result.compositeResponse[2]!.body as { errorCode: string }[])[0]!.errorCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Composite One'")).totalSize).toBe(
      before,
    );
  });

  it('answers collections per record with statusCode, and rolls back all with allOrNone', async () => {
    const saves = await conn.requestPost<{ success: boolean; errors: { statusCode: string }[] }[]>(
      '/services/data/v62.0/composite/sobjects',
      {
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'Collection One' },
          { attributes: { type: 'Account' }, Industry: 'Retail' },
        ],
      },
    );
    expect(saves.map((s) => s.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Collection One'")).totalSize).toBe(0);
  });
});

describe('what the Salesforce CLI uses', () => {
  it('creates record trees as sf data import tree sends them, all or none', async () => {
    const created = await conn.requestPost<{
      hasErrors: boolean;
      results: { referenceId: string; id: string }[];
    }>('/services/data/v62.0/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'AcmeRef' },
          Name: 'Acme Tree',
          Contacts: {
            records: [{ attributes: { type: 'Contact', referenceId: 'AdaRef' }, LastName: 'Lovelace' }],
          },
        },
      ],
    });
    expect(created.hasErrors).toBe(false);
    expect(created.results.map((r) => r.referenceId)).toEqual(['AcmeRef', 'AdaRef']);
    const [ada] = (
      await conn.query<{ Account: { Name: string } }>(
        "SELECT Account.Name FROM Contact WHERE LastName = 'Lovelace'",
      )
    ).records;
    expect(ada!.Account.Name).toBe('Acme Tree');
  });

  it('describes the columns of a query (columns=true), as sf data query reads them', async () => {
    const columns = await conn.request<{
      columnMetadata: { columnName: string; aggregate: boolean; joinColumns: { columnName: string }[] }[];
    }>(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Name, Account.Name, (SELECT Role FROM OpportunityContactRoles) FROM Opportunity')}&columns=true`,
    );
    expect(
      columns.columnMetadata.map((c) => [c.columnName, c.aggregate, c.joinColumns.map((j) => j.columnName)]),
    ).toEqual([
      ['Name', false, []],
      ['Account', false, ['Name']],
      ['OpportunityContactRoles', true, ['Role']],
    ]);
  });
});

describe('limits and faults', () => {
  it('reports Sforce-Limit-Info on every call and refuses calls past the daily budget', async () => {
    const small = await startLocalOrg({ dailyApiLimit: 3, dataPlan: null });
    try {
      const c = new Connection({
        instanceUrl: small.url,
        accessToken: small.issueAccessToken(),
        version: '62.0',
      });
      await c.query('SELECT Id FROM Account');
      expect(c.limitInfo).toEqual({ apiUsage: { used: 1, limit: 3 } });
      await c.query('SELECT Id FROM Account');
      await c.query('SELECT Id FROM Account');
      expect(await errorOf(c.query('SELECT Id FROM Account'))).toMatchObject({
        code: 'REQUEST_LIMIT_EXCEEDED',
      });
      expect(small.usage()).toEqual({ used: 3, max: 3 });
    } finally {
      await small.close();
    }
  });

  it('answers /limits as Salesforce does: each org limit with its Max and what Remains, GET only, to users who may view setup', async () => {
    const org = await startLocalOrg({ dailyApiLimit: 1000, dataPlan: null });
    try {
      const integration = new Connection({
        instanceUrl: org.url,
        accessToken: org.issueAccessToken(INTEGRATION_USERNAME),
        version: '62.0',
      });
      // The integration user has no View Setup and Configuration: refused, and the service never asks.
      expect(await errorOf(integration.request('/services/data/v62.0/limits'))).toMatchObject({
        code: 'INSUFFICIENT_ACCESS_OR_READONLY',
      });
      const c = new Connection({
        instanceUrl: org.url,
        accessToken: org.issueAccessToken(ADMIN_USERNAME),
        version: '62.0',
      });
      await c.query('SELECT Id FROM Account');
      const limits = await c.request<Record<string, { Max: number; Remaining: number }>>(
        '/services/data/v62.0/limits',
      );
      // Every call counts, the refused one and /limits too: three of the thousand are spent.
      expect(limits.DailyApiRequests).toEqual({ Max: 1000, Remaining: 997 });
      expect(limits.DataStorageMB).toEqual({ Max: 5, Remaining: 5 });
      for (const [name, limit] of Object.entries(limits)) {
        expect(Object.keys(limit).sort(), name).toEqual(['Max', 'Remaining']);
        expect(limit.Remaining, name).toBeLessThanOrEqual(limit.Max);
      }
      expect(
        await errorOf(c.request({ method: 'DELETE', url: '/services/data/v62.0/limits' })),
      ).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    } finally {
      await org.close();
    }
  });

  it('injects errors per code and latency, reproducibly', async () => {
    const flaky = await startLocalOrg({
      dataPlan: null,
      faults: { errorRates: { REQUEST_LIMIT_EXCEEDED: 0.5 }, latencyMs: 5, seed: 7 },
    });
    try {
      const c = new Connection({
        instanceUrl: flaky.url,
        accessToken: flaky.issueAccessToken(ADMIN_USERNAME),
        version: '62.0',
      });
      const outcomes: string[] = [];
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await c.query('SELECT Id FROM User').then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        );
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(100);
      expect(outcomes.filter((o) => o === 'REQUEST_LIMIT_EXCEEDED').length).toBeGreaterThan(3);
      expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(3);
      flaky.faults.reset();
      flaky.faults.failNext('UNABLE_TO_LOCK_ROW');
      expect(await errorOf(c.sobject('Account').create({ Name: 'Locked' }))).toMatchObject({
        code: 'UNABLE_TO_LOCK_ROW',
      });
      expect((await c.sobject('Account').create({ Name: 'Unlocked' })).success).toBe(true);
    } finally {
      await flaky.close();
    }
  });
});

describe('persistence', () => {
  it('keeps records in a data file across restarts, and seeds only the first time', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'local-org-'));
    const dataFile = path.join(dir, 'org.json');
    try {
      const first = await startLocalOrg({ dataFile });
      const c1 = new Connection({
        instanceUrl: first.url,
        accessToken: first.issueAccessToken(ADMIN_USERNAME),
        version: '62.0',
      });
      await c1.sobject('Account').create({ Name: 'Kept Across Restarts' });
      await first.close();
      expect(JSON.parse(await readFile(dataFile, 'utf8')).records.Account).toHaveLength(34);
      const second = await startLocalOrg({ dataFile });
      const c2 = new Connection({
        instanceUrl: second.url,
        accessToken: second.issueAccessToken(ADMIN_USERNAME),
        version: '62.0',
      });
      expect((await c2.query('SELECT COUNT() FROM Account')).totalSize).toBe(34);
      // The org names the package's types with its namespace (pscribe__Stage_Definition__mdt).
      const rules = second.schema.apiName('Stage_Definition__mdt');
      expect((await c2.query(`SELECT COUNT() FROM ${rules}`)).totalSize).toBe(10);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
