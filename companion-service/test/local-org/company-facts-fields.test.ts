import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTEGRATION_USERNAME,
  MANAGER_USERNAME,
  REP_USERNAMES,
  startLocalOrg,
  type LocalOrg,
} from '@pipeline-scribe/local-salesforce/org';

/**
 * The company and deal facts' fields, as the local org reads them from force-app: described for each
 * user by their permission sets, readable by the integration user, editable on the account only by
 * the people who accept a suggestion, and refused with Salesforce's own message to anyone else.
 */

const V = '/services/data/v62.0';
const [AVERY] = REP_USERNAMES as [string];

let org: LocalOrg;
beforeAll(async () => {
  org = await startLocalOrg({ namespace: '' });
});
afterAll(async () => org.close());

function as(username: string) {
  const token = org.issueAccessToken(username);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${org.url}${V}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

async function describeFields(username: string, object: string) {
  const reply = await as(username)('GET', `/sobjects/${object}/describe`);
  expect(reply.status).toBe(200);
  const fields = (reply.body as { fields: { name: string; type: string; updateable: boolean }[] }).fields;
  return new Map(fields.map((f) => [f.name, f]));
}

async function accountOf(username: string): Promise<string> {
  const reply = await as(username)(
    'GET',
    `/query?q=${encodeURIComponent('SELECT AccountId FROM Opportunity WHERE AccountId != null LIMIT 1')}`,
  );
  return (reply.body as { records: { AccountId: string }[] }).records[0]!.AccountId;
}

describe('the fields company and deal facts are written to', () => {
  it('are described to the integration user: account fields read-only, deal fields editable', async () => {
    const account = await describeFields(INTEGRATION_USERNAME, 'Account');
    expect(account.get('NumberOfEmployees')).toMatchObject({ type: 'int', updateable: false });
    expect(account.get('AnnualRevenue')).toMatchObject({ type: 'currency', updateable: false });
    expect(account.get('Tech_Stack__c')).toMatchObject({ type: 'textarea', updateable: false });
    const deal = await describeFields(INTEGRATION_USERNAME, 'Opportunity');
    expect(deal.get('Use_Case__c')).toMatchObject({ updateable: true });
    expect(deal.get('Decision_Timeline__c')).toMatchObject({ type: 'string', updateable: true });
  });

  it('let a rep apply an account fact, and refuse the integration user and the read-only manager', async () => {
    const accountId = await accountOf(AVERY);
    const change = { Tech_Stack__c: 'Salesforce; NetSuite', NumberOfEmployees: 1200 };

    const rep = await as(AVERY)('PATCH', `/sobjects/Account/${accountId}`, change);
    expect(rep.status).toBe(204);

    const integration = await as(INTEGRATION_USERNAME)('PATCH', `/sobjects/Account/${accountId}`, change);
    expect(integration.status).toBeGreaterThanOrEqual(400);

    const manager = await as(MANAGER_USERNAME)('PATCH', `/sobjects/Account/${accountId}`, {
      Tech_Stack__c: 'Workday',
    });
    expect(manager.status).toBe(400);
    expect(JSON.stringify(manager.body)).toContain('Unable to create/update fields: Tech_Stack__c');

    const read = await as(INTEGRATION_USERNAME)(
      'GET',
      `/query?q=${encodeURIComponent(`SELECT NumberOfEmployees, Tech_Stack__c FROM Account WHERE Id = '${accountId}'`)}`,
    );
    expect((read.body as { records: unknown[] }).records[0]).toMatchObject(change);
  });
});
