import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import {
  ADMIN_USERNAME,
  INTEGRATION_USERNAME,
  REP_USERNAMES,
  startLocalOrg,
  type LocalOrg,
  type LocalOrgOptions,
} from '@pipeline-scribe/local-salesforce/org';
import { parseCsv } from '../../src/adapters/salesforce/bulk-api.js';

/**
 * Bulk API 2.0 on the local org, over HTTP as a client sends it: query and ingest jobs through
 * their states, the CSV result sets and their locators, the running user's permissions and sharing,
 * the real error shapes, and one API request counted per HTTP call.
 */

let org: LocalOrg | null = null;
afterEach(async () => {
  await org?.close();
  org = null;
});

async function start(options: LocalOrgOptions = {}) {
  org = await startLocalOrg(options);
  return org;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

function client(o: LocalOrg, username = ADMIN_USERNAME) {
  const token = o.issueAccessToken(username);
  return async (method: string, path: string, body?: { json?: unknown; csv?: string }): Promise<Answer> => {
    const response = await fetch(`${o.url}/services/data/v62.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body?.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(body?.csv !== undefined ? { 'content-type': 'text/csv' } : {}),
      },
      body: body?.json !== undefined ? JSON.stringify(body.json) : body?.csv,
    });
    const text = await response.text();
    const json =
      (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : null;
    return { status: response.status, headers: response.headers, text, json };
  };
}

type Call = ReturnType<typeof client>;

async function finished(call: Call, kind: 'query' | 'ingest', id: string) {
  for (let i = 0; i < 200; i++) {
    const info = (await call('GET', `/jobs/${kind}/${id}`)).json as { state: string };
    if (!['Open', 'UploadComplete', 'InProgress'].includes(info.state))
      return info as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('Bulk API 2.0 query jobs', () => {
  it('run after the create answers, and page their CSV results with a reusable locator', async () => {
    const o = await start();
    const call = client(o);
    const created = await call('POST', '/jobs/query', {
      // The open sample deals (the closed history behind them would only lengthen the paging).
      json: {
        operation: 'query',
        query: 'SELECT Id, Name, Account.Name, Amount, IsClosed FROM Opportunity WHERE IsClosed = false',
      },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      operation: 'query',
      object: 'Opportunity',
      state: 'UploadComplete',
    });
    const id = (created.json as { id: string }).id;
    expect(id).toMatch(/^750/);
    const info = await finished(call, 'query', id);
    expect(info).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: 5 });

    const first = await call('GET', `/jobs/query/${id}/results?maxRecords=2`);
    expect(first.headers.get('content-type')).toMatch(/text\/csv/);
    expect(first.headers.get('sforce-numberofrecords')).toBe('2');
    expect(first.text.split('\n')[0]).toBe('"Id","Name","Account.Name","Amount","IsClosed"');
    const locator = first.headers.get('sforce-locator')!;
    expect(locator).not.toBe('null');
    const rows = parseCsv(first.text);
    const seen = [...rows];
    let next: string = locator;
    while (next !== 'null') {
      const page = await call('GET', `/jobs/query/${id}/results?locator=${next}&maxRecords=2`);
      seen.push(...parseCsv(page.text));
      next = page.headers.get('sforce-locator')!;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((r) => r.Id)).size).toBe(5);
    expect(seen.every((r) => r.IsClosed === 'true' || r.IsClosed === 'false')).toBe(true);
    // A locator serves again while the job exists.
    const again = await call('GET', `/jobs/query/${id}/results?locator=${locator}&maxRecords=2`);
    expect(parseCsv(again.text)).toEqual(seen.slice(2, 4));
  });

  it('give a rep only the deals shared with them, and refuse a field their profile hides', async () => {
    const o = await start({ opportunitySharing: 'Private' });
    const admin = client(o);
    const rep = client(o, REP_USERNAMES[0]);
    const count = async (call: Call) => {
      const id = (
        (
          await call('POST', '/jobs/query', {
            json: { operation: 'query', query: 'SELECT Id FROM Opportunity' },
          })
        ).json as { id: string }
      ).id;
      await finished(call, 'query', id);
      return parseCsv((await call('GET', `/jobs/query/${id}/results`)).text).length;
    };
    const all = await count(admin);
    const own = await count(rep);
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(all);

    // The integration user's permission set grants no read on Opportunity.Description: the field
    // answers as one that does not exist, and no job is made.
    const integration = client(o, INTEGRATION_USERNAME);
    const hidden = await integration('POST', '/jobs/query', {
      json: { operation: 'query', query: 'SELECT Id, Description FROM Opportunity' },
    });
    expect(hidden.status).toBe(400);
    expect(hidden.json).toEqual([
      expect.objectContaining({
        errorCode: 'INVALID_FIELD',
        message: expect.stringMatching(/No such column 'Description' on entity 'Opportunity'/),
      }),
    ]);
    const listed = (await integration('GET', '/jobs/query')).json as { records: unknown[] };
    expect(listed.records).toEqual([]);
  });

  it('refuse what Bulk API 2.0 does not run: a parent-to-child subquery, COUNT()', async () => {
    const call = client(await start());
    const sub = await call('POST', '/jobs/query', {
      json: {
        operation: 'query',
        query: 'SELECT Id, (SELECT Id FROM OpportunityContactRoles) FROM Opportunity',
      },
    });
    expect(sub.status).toBe(400);
    expect(sub.json).toEqual([
      {
        errorCode: 'API_ERROR',
        message: 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type.',
        fields: [],
      },
    ]);
    const count = await call('POST', '/jobs/query', {
      json: { operation: 'query', query: 'SELECT COUNT() FROM Opportunity' },
    });
    expect(count.status).toBe(400);
  });
});

describe('Bulk API 2.0 ingest jobs', () => {
  it('take CSV while Open, process it after the close, and list each row as saved or failed', async () => {
    const o = await start();
    const call = client(o);
    o.validationRules.push({
      object: 'Account',
      name: 'No_Test_Accounts',
      message: 'Test accounts are not allowed',
      violated: (record) => String(record.Name).startsWith('Test'),
    });
    const created = await call('POST', '/jobs/ingest', {
      json: { object: 'Account', operation: 'insert', lineEnding: 'LF' },
    });
    expect(created.json).toMatchObject({
      state: 'Open',
      object: 'Account',
      operation: 'insert',
      contentUrl: expect.stringMatching(/\/batches$/),
    });
    const id = (created.json as { id: string }).id;
    const uploaded = await call('PUT', `/jobs/ingest/${id}/batches`, {
      csv: 'Name,Website\nNorthwind,northwind.example\nTest Co,\n"Quote, ""Inc""",#N/A\n',
    });
    expect(uploaded.status).toBe(201);
    const closed = await call('PATCH', `/jobs/ingest/${id}`, { json: { state: 'UploadComplete' } });
    expect(closed.json).toMatchObject({ state: 'UploadComplete' });
    // Closed: no more data.
    const late = await call('PUT', `/jobs/ingest/${id}/batches`, { csv: 'Name\nLate\n' });
    expect(late.status).toBe(400);
    expect(late.json).toEqual([expect.objectContaining({ errorCode: 'INVALIDJOBSTATE' })]);

    const info = await finished(call, 'ingest', id);
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 1,
    });
    const saved = parseCsv((await call('GET', `/jobs/ingest/${id}/successfulResults`)).text);
    expect(saved.map((r) => [r.Name, r.sf__Created])).toEqual([
      ['Northwind', 'true'],
      ['Quote, "Inc"', 'true'],
    ]);
    expect(saved[0]!.sf__Id).toMatch(/^001/);
    const failed = parseCsv((await call('GET', `/jobs/ingest/${id}/failedResults`)).text);
    expect(failed).toEqual([
      {
        sf__Id: '',
        sf__Error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Test accounts are not allowed: --',
        Name: 'Test Co',
        Website: '',
      },
    ]);
    expect(parseCsv((await call('GET', `/jobs/ingest/${id}/unprocessedrecords`)).text)).toEqual([]);
    expect(o.store.findBy('Account', 'Name', 'Test Co')).toEqual([]);
  });

  it('fail a row the user may not edit in failedResults, and a whole job whose header names a field they cannot see', async () => {
    const o = await start({ opportunitySharing: 'Private' });
    const rep = client(o, REP_USERNAMES[0]);
    const repId = o.users.find((u) => u.username === REP_USERNAMES[0])!.id;
    const deals = o.store.all('Opportunity');
    const mine = deals.find((d) => d.OwnerId === repId)!;
    const theirs = deals.find((d) => d.OwnerId !== repId)!;
    const job = (await rep('POST', '/jobs/ingest', { json: { object: 'Opportunity', operation: 'update' } }))
      .json as { id: string };
    await rep('PUT', `/jobs/ingest/${job.id}/batches`, {
      csv: `Id,NextStep\n${mine.Id},Send the proposal\n${theirs.Id},Not mine\n`,
    });
    await rep('PATCH', `/jobs/ingest/${job.id}`, { json: { state: 'UploadComplete' } });
    expect(await finished(rep, 'ingest', job.id)).toMatchObject({
      state: 'JobComplete',
      numberRecordsFailed: 1,
    });
    const failed = parseCsv((await rep('GET', `/jobs/ingest/${job.id}/failedResults`)).text);
    expect(failed).toEqual([expect.objectContaining({ sf__Id: theirs.Id, NextStep: 'Not mine' })]);
    expect(failed[0]!.sf__Error).toMatch(/^(INSUFFICIENT_ACCESS_OR_READONLY|ENTITY_IS_DELETED|NOT_FOUND):/);
    expect(o.store.get('Opportunity', mine.Id)!.NextStep).toBe('Send the proposal');
    expect(o.store.get('Opportunity', theirs.Id)!.NextStep).not.toBe('Not mine');

    // Field-level security, as the integration user: a read-only field fails its row; a field they
    // cannot see at all fails the whole job, its rows left unprocessed.
    const integration = client(o, INTEGRATION_USERNAME);
    const readOnly = (
      await integration('POST', '/jobs/ingest', { json: { object: 'Opportunity', operation: 'update' } })
    ).json as { id: string };
    await integration('PUT', `/jobs/ingest/${readOnly.id}/batches`, {
      csv: `Id,IsClosed\n${mine.Id},true\n`,
    });
    await integration('PATCH', `/jobs/ingest/${readOnly.id}`, { json: { state: 'UploadComplete' } });
    expect(await finished(integration, 'ingest', readOnly.id)).toMatchObject({
      state: 'JobComplete',
      numberRecordsFailed: 1,
    });
    const [refused] = parseCsv((await integration('GET', `/jobs/ingest/${readOnly.id}/failedResults`)).text);
    expect(refused!.sf__Error).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create\/update fields: IsClosed\./,
    );

    const bad = (
      await integration('POST', '/jobs/ingest', { json: { object: 'Opportunity', operation: 'update' } })
    ).json as { id: string };
    await integration('PUT', `/jobs/ingest/${bad.id}/batches`, { csv: `Id,Description\n${mine.Id},x\n` });
    await integration('PATCH', `/jobs/ingest/${bad.id}`, { json: { state: 'UploadComplete' } });
    expect(await finished(integration, 'ingest', bad.id)).toMatchObject({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Description',
    });
    expect(parseCsv((await integration('GET', `/jobs/ingest/${bad.id}/unprocessedrecords`)).text)).toEqual([
      { Id: mine.Id, Description: 'x' },
    ]);
    expect(o.store.get('Opportunity', mine.Id)!.Description ?? null).not.toBe('x');
    // Another user's job is not theirs to see.
    expect((await rep('GET', `/jobs/ingest/${bad.id}`)).status).toBe(404);
  });

  it('refuse an upload past the job limit, and count every HTTP call as one API request', async () => {
    const o = await start({ bulkUploadLimitBytes: 64 });
    const call = client(o);
    const before = o.usage().used;
    const job = (await call('POST', '/jobs/ingest', { json: { object: 'Account', operation: 'insert' } }))
      .json as { id: string };
    const big = await call('PUT', `/jobs/ingest/${job.id}/batches`, {
      csv: `Name\n${'A very long account name\n'.repeat(5)}`,
    });
    expect(big.status).toBe(400);
    expect(big.json).toEqual([expect.objectContaining({ errorCode: 'LIMIT_EXCEEDED' })]);
    expect(
      (await call('PATCH', `/jobs/ingest/${job.id}`, { json: { state: 'Aborted' } })).json,
    ).toMatchObject({ state: 'Aborted' });
    expect(o.usage().used - before).toBe(3);
    expect(big.headers.get('sforce-limit-info')).toBe(`api-usage=${before + 2}/${o.usage().max}`);
  });

  it("answer jsforce's bulk2 client as a real org does", async () => {
    const o = await start();
    const conn = new Connection({
      instanceUrl: o.url,
      accessToken: o.issueAccessToken(ADMIN_USERNAME),
      version: '62.0',
    });
    conn.bulk2.pollInterval = 20;
    const records: unknown[] = [];
    for await (const r of await conn.bulk2.query(
      'SELECT Id, Name, CloseDate FROM Opportunity WHERE IsClosed = false',
    ))
      records.push(r);
    expect(records).toHaveLength(5);
    const result = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'Litware Two' }, { Name: '' }],
      pollInterval: 20,
    });
    expect(result.successfulResults).toHaveLength(1);
    expect(result.failedResults).toEqual([
      expect.objectContaining({ sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING:/) }),
    ]);
  });
});
