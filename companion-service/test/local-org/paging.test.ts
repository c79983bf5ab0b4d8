import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, INTEGRATION_USERNAME, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';

/**
 * The local org pages queries and bounds composite requests as a real org does (the rules and their
 * sources are in local-salesforce/src/org/api/query-resource.ts and composite.ts): batches of at most
 * the batch size with child rows counted, child relationship rows paged on their own cursor,
 * single-use locators that expire and that a user holds ten of, and 25 subrequests per composite with
 * at most five queries or collections.
 */

const ADMIN = 'admin@pipeline-scribe.local';
let org: LocalOrg;
let clock = Date.parse('2026-03-02T09:00:00Z');

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  user = ADMIN,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(
    `${org.url}${path.startsWith('/services') ? '' : '/services/data/v62.0'}${path}`,
    {
      method,
      headers: {
        authorization: `Bearer ${org.issueAccessToken(user)}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const query = async (soql: string, headers: Record<string, string> = {}, user = ADMIN) =>
  (await call('GET', `/query?q=${encodeURIComponent(soql)}`, undefined, headers, user)).body as Page;

async function create(records: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 200) {
    const { body } = await call('POST', '/composite/sobjects', {
      allOrNone: true,
      records: records.slice(i, i + 200),
    });
    ids.push(...(body as { id: string }[]).map((r) => r.id));
  }
  return ids;
}

beforeAll(async () => {
  org = await startLocalOrg({ dataPlan: null, queryBatchSize: 200, now: () => clock });
  const accounts = await create(
    Array.from({ length: 520 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `Paged ${String(i).padStart(3, '0')}`,
    })),
  );
  await create(
    Array.from({ length: 450 }, (_, i) => ({
      attributes: { type: 'Contact' },
      AccountId: accounts[0],
      LastName: `Child ${String(i).padStart(3, '0')}`,
    })),
  );
  await create(
    Array.from({ length: 30 }, (_, i) => ({
      attributes: { type: 'Contact' },
      AccountId: accounts[1 + (i % 3)],
      LastName: `Few ${String(i).padStart(3, '0')}`,
    })),
  );
}, 60_000);

afterAll(async () => org.close());

describe('query paging', () => {
  it('pages child relationship rows separately, and counts them toward the batch', async () => {
    const first = await query(
      "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name",
    );
    expect(first).toMatchObject({ totalSize: 520, done: false });
    // The first account's 200 first contacts fill the batch of 200 with it: a page of one parent.
    expect(first.records).toHaveLength(1);
    const children = first.records[0]!.Contacts as Page;
    expect(children).toMatchObject({ totalSize: 450, done: false });
    expect(children.records).toHaveLength(200);
    expect(children.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[0-9A-Z]+-200$/);

    const more = (await call('GET', children.nextRecordsUrl!)).body as Page;
    expect(more).toMatchObject({ totalSize: 450, done: false });
    const last = (await call('GET', more.nextRecordsUrl!)).body as Page;
    expect(last).toMatchObject({ done: true });
    const names = [...children.records, ...more.records, ...last.records].map((r) => r.LastName);
    expect(names).toHaveLength(450);
    expect(new Set(names).size).toBe(450);

    // The next parents carry few children: they fill the next page up to 200 rows, children counted.
    const second = (await call('GET', first.nextRecordsUrl!)).body as Page;
    const rows = second.records.reduce(
      (n, r) => n + 1 + ((r.Contacts as Page | null)?.records.length ?? 0),
      0,
    );
    expect(rows).toBeLessThanOrEqual(200);
    expect(second.records.length).toBe(200 - 30);
    expect(second.records[0]!.Contacts).toMatchObject({ totalSize: 10, done: true });
  });

  it('takes Sforce-Query-Options batchSize between 200 and 2,000', async () => {
    const soql = "SELECT Id FROM Account WHERE Name LIKE 'Paged%'";
    expect((await query(soql, { 'sforce-query-options': 'batchSize=300' })).records).toHaveLength(300);
    expect((await query(soql, { 'sforce-query-options': 'batchSize=50' })).records).toHaveLength(200);
    expect((await query(soql, { 'sforce-query-options': 'batchSize=5000' })).records).toHaveLength(520);
  });

  it('refuses a used, expired, released or foreign locator with INVALID_QUERY_LOCATOR', async () => {
    const soql = "SELECT Id FROM Account WHERE Name LIKE 'Paged%'";
    const invalid = {
      status: 400,
      body: [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }],
    };

    const used = await query(soql);
    expect((await call('GET', used.nextRecordsUrl!)).status).toBe(200);
    expect(await call('GET', used.nextRecordsUrl!)).toMatchObject(invalid);

    const idle = await query(soql);
    clock += 16 * 60_000;
    expect(await call('GET', idle.nextRecordsUrl!)).toMatchObject(invalid);

    const oldest = await query(soql);
    for (let i = 0; i < 10; i++) await query(soql);
    expect(await call('GET', oldest.nextRecordsUrl!)).toMatchObject(invalid);

    const someoneElses = await query(soql, {}, INTEGRATION_USERNAME);
    expect(await call('GET', someoneElses.nextRecordsUrl!)).toMatchObject(invalid);
    expect(
      (await call('GET', someoneElses.nextRecordsUrl!, undefined, {}, INTEGRATION_USERNAME)).status,
    ).toBe(200);
  });
});

describe('composite and collections limits', () => {
  const get = (i: number) => ({
    method: 'GET',
    url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`,
    referenceId: `q${i}`,
  });
  const describeCall = (i: number) => ({
    method: 'GET',
    url: '/services/data/v62.0/sobjects/Account/describe',
    referenceId: `d${i}`,
  });

  it('takes 25 subrequests with five queries, and refuses a 26th or a sixth query or collection', async () => {
    const ok = await call('POST', '/composite', {
      compositeRequest: [
        ...Array.from({ length: 5 }, (_, i) => get(i)),
        ...Array.from({ length: 20 }, (_, i) => describeCall(i)),
      ],
    });
    expect(ok.status).toBe(200);
    expect((ok.body as { compositeResponse: unknown[] }).compositeResponse).toHaveLength(25);

    const tooMany = await call('POST', '/composite', {
      compositeRequest: Array.from({ length: 26 }, (_, i) => describeCall(i)),
    });
    expect(tooMany).toMatchObject({ status: 400, body: [{ errorCode: 'LIMIT_EXCEEDED' }] });

    const sixQueries = await call('POST', '/composite', {
      compositeRequest: Array.from({ length: 6 }, (_, i) => get(i)),
    });
    expect(sixQueries).toMatchObject({ status: 400, body: [{ errorCode: 'LIMIT_EXCEEDED' }] });

    const collection = (i: number) => ({
      method: 'POST',
      url: '/services/data/v62.0/composite/sobjects',
      referenceId: `c${i}`,
      body: { records: [{ attributes: { type: 'Account' }, Name: `Limit ${i}` }] },
    });
    const mixed = await call('POST', '/composite', {
      compositeRequest: [get(0), get(1), get(2), collection(0), collection(1), collection(2)],
    });
    expect(mixed).toMatchObject({ status: 400, body: [{ errorCode: 'LIMIT_EXCEEDED' }] });
  });

  it('refuses an sObject Collections request of more than 200 records', async () => {
    const result = await call('POST', '/composite/sobjects', {
      records: Array.from({ length: 201 }, (_, i) => ({
        attributes: { type: 'Account' },
        Name: `Over ${i}`,
      })),
    });
    expect(result).toMatchObject({ status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT' }] });
  });
});

describe('query errors', () => {
  it('points at the unknown field or object as Salesforce does', async () => {
    const soql = 'SELECT Id, Nope__c FROM Account';
    expect(await call('GET', `/query?q=${encodeURIComponent(soql)}`)).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD',
          message: expect.stringMatching(
            /^\nSELECT Id, Nope__c FROM Account\n {11}\^\nERROR at Row:1:Column:12\nNo such column 'Nope__c' on entity 'Account'\./,
          ),
          fields: expect.any(Array),
        },
      ],
    });
    const type = await call('GET', `/query?q=${encodeURIComponent('SELECT Id\nFROM Nope__c')}`);
    expect((type.body as { message: string }[])[0]!.message).toMatch(
      /^\nFROM Nope__c\n {5}\^\nERROR at Row:2:Column:6\nsObject type 'Nope__c' is not supported/,
    );
  });
});
