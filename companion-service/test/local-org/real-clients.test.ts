import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import {
  DEFAULT_DATA_PLAN,
  INTEGRATION_USERNAME,
  startLocalOrg,
  type LocalOrg,
} from '@pipeline-scribe/local-salesforce/org';

/**
 * The real clients against the local org: the pinned Salesforce CLI (`sf org login access-token`,
 * `sf data import tree`, `sf data query`, `sf data create record`) and jsforce as a user who is not
 * the admin. What they get back, answers and refusals alike, has the shapes a real org gives them.
 * The CLI takes ~5-10 s per command, so the commands are few and run one after another.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SF = path.join(ROOT, 'node_modules/.bin/sf');
const haveSf = existsSync(SF);
const ADMIN = 'admin@pipeline-scribe.local';
const SF_TIMEOUT_MS = 120_000;

if (!haveSf) console.warn(`skipping the Salesforce CLI tests: ${SF} is not installed (run npm ci)`);

let org: LocalOrg;
let home: string;

interface SfResult {
  exitCode: number;
  json: Record<string, unknown>;
}

/** Runs one sf command with --json in a throwaway HOME, never the user's ~/.sf. */
function sf(args: string[], env: Record<string, string> = {}): Promise<SfResult> {
  return new Promise((resolve, reject) => {
    execFile(
      SF,
      [...args, '--json'],
      {
        cwd: ROOT,
        timeout: SF_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          HOME: home,
          PATH: `${path.dirname(SF)}${path.delimiter}${process.env.PATH ?? ''}`,
          SF_DISABLE_TELEMETRY: 'true',
          SF_AUTOUPDATE_DISABLE: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const text = stdout.trim();
        if (!text.startsWith('{')) {
          reject(
            new Error(
              `sf ${args[0]} ${args[1]} printed no JSON: ${text.slice(0, 500)} ${stderr.slice(0, 500)}`,
            ),
          );
          return;
        }
        const exitCode = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ exitCode, json: JSON.parse(text) as Record<string, unknown> });
      },
    );
  });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'scribe-sf-home-'));
  // An empty org, as a new one is, for `sf data import tree` to load.
  org = await startLocalOrg({ dataPlan: null, queryBatchSize: 200 });
});

afterAll(async () => {
  await org?.close();
  await rm(home, { recursive: true, force: true });
});

describe.skipIf(!haveSf)('the Salesforce CLI against the local org', () => {
  it(
    'logs in with an access token, imports the sample data tree, queries it and creates records, refusing what a real org refuses',
    async () => {
      const login = await sf(
        ['org', 'login', 'access-token', '--instance-url', org.url, '--no-prompt', '--alias', 'local'],
        { SF_ACCESS_TOKEN: org.issueAccessToken(ADMIN) },
      );
      expect(login.exitCode).toBe(0);
      expect(login.json.result).toMatchObject({
        username: ADMIN,
        orgId: org.orgId,
        instanceApiVersion: '62.0',
      });

      // The project's sample data plan, unless the package is installed under a namespace its files
      // do not use: then a plan of standard objects.
      let plan = DEFAULT_DATA_PLAN;
      if (org.schema.namespace) {
        plan = path.join(home, 'plan.json');
        await writeFile(
          path.join(home, 'Account.json'),
          JSON.stringify({
            records: [{ attributes: { type: 'Account', referenceId: 'AdatumRef' }, Name: 'Adatum' }],
          }),
        );
        await writeFile(
          plan,
          JSON.stringify([
            { sobject: 'Account', saveRefs: true, resolveRefs: false, files: ['Account.json'] },
          ]),
        );
      }
      const imported = await sf(['data', 'import', 'tree', '--plan', plan, '--target-org', 'local']);
      expect(imported.exitCode).toBe(0);
      const refs = imported.json.result as { refId: string; type: string; id: string }[];
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(org.store.get(org.schema.objectForId(ref.id)!.name, ref.id), ref.refId).toBeDefined();
      }

      const queried = await sf([
        'data',
        'query',
        '--query',
        'SELECT Name, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name',
        '--target-org',
        'local',
      ]);
      expect(queried.exitCode).toBe(0);
      const result = queried.json.result as {
        totalSize: number;
        done: boolean;
        records: Record<string, unknown>[];
      };
      expect(result.totalSize).toBe(org.store.all('Account').length);
      expect(result.done).toBe(true);
      const first = result.records[0]!;
      expect(first.attributes).toMatchObject({
        type: 'Account',
        url: expect.stringMatching(/^\/services\/data\/v\d+\.0\/sobjects\/Account\/001/),
      });
      expect(first.Owner).toMatchObject({ attributes: { type: 'User' }, Name: 'Local Admin' });
      const withContacts = result.records.find((r) => r.Contacts !== null);
      if (withContacts)
        expect(withContacts.Contacts).toMatchObject({ done: true, records: expect.any(Array) });

      const badQuery = await sf([
        'data',
        'query',
        '--query',
        'SELECT Nope__c FROM Account',
        '--target-org',
        'local',
      ]);
      expect(badQuery.exitCode).toBe(1);
      expect(badQuery.json).toMatchObject({
        name: 'INVALID_FIELD',
        data: { errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope__c'") },
      });

      const created = await sf([
        'data',
        'create',
        'record',
        '--sobject',
        'Account',
        '--values',
        "Name='Adatum Corporation' Industry=Technology",
        '--target-org',
        'local',
      ]);
      expect(created.exitCode).toBe(0);
      expect(created.json.result).toEqual({
        id: expect.stringMatching(/^001\w{15}$/),
        success: true,
        errors: [],
      });
      expect(org.store.get('Account', (created.json.result as { id: string }).id)).toMatchObject({
        Name: 'Adatum Corporation',
        Industry: 'Technology',
      });

      const refused = await sf([
        'data',
        'create',
        'record',
        '--sobject',
        'Contact',
        '--values',
        'FirstName=Ann',
        '--target-org',
        'local',
      ]);
      expect(refused.exitCode).toBe(1);
      expect(refused.json).toMatchObject({
        name: 'REQUIRED_FIELD_MISSING',
        data: { errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
      });
    },
    8 * SF_TIMEOUT_MS,
  );
});

describe('jsforce as a user who is not the admin', () => {
  /** A rep when the local org has them, else the integration user. */
  const username = () =>
    String(
      org.store.all('User').find((u) => /rep/i.test(String(u.Username)) && u.IsActive !== false)?.Username ??
        INTEGRATION_USERNAME,
    );
  const connect = () =>
    new Connection({ instanceUrl: org.url, accessToken: org.issueAccessToken(username()), version: '62.0' });
  const errorOf = async (promise: PromiseLike<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const e = error as Error & { errorCode?: string; data?: { fields?: string[] } };
      return { name: e.name, errorCode: e.errorCode, fields: e.data?.fields, message: e.message };
    }
    throw new Error('expected a refusal');
  };

  it('queries every page, creates, updates and is refused as a real org refuses', async () => {
    const admin = new Connection({
      instanceUrl: org.url,
      accessToken: org.issueAccessToken(ADMIN),
      version: '62.0',
    });
    // Accounts are private: the user pages through the ones they own.
    const owner = org.store.findBy('User', 'Username', username())[0]!.Id;
    const accounts = Array.from({ length: 230 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `jsforce ${String(i).padStart(3, '0')}`,
      OwnerId: owner,
    }));
    for (let i = 0; i < accounts.length; i += 200) {
      await admin.requestPost('/services/data/v62.0/composite/sobjects', {
        allOrNone: true,
        records: accounts.slice(i, i + 200),
      });
    }
    const conn = connect();
    const page = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Name LIKE 'jsforce%' ORDER BY Name",
      {
        autoFetch: false,
      },
    );
    expect(page).toMatchObject({ totalSize: 230, done: false });
    // jsforce makes the locator URL absolute.
    expect(page.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w+-200$/);
    const all = await conn
      .query<{ Name: string }>("SELECT Name FROM Account WHERE Name LIKE 'jsforce%' ORDER BY Name")
      .run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(230);

    const created = await conn
      .sobject('Contact')
      .create({ LastName: 'Okafor', Email: 'ngozi@adatum.example' });
    expect(created).toMatchObject({ success: true, errors: [], id: expect.stringMatching(/^003/) });
    await conn.sobject('Contact').update({ Id: created.id!, Title: 'CFO' });
    expect(org.store.get('Contact', created.id!)).toMatchObject({
      Title: 'CFO',
      LastModifiedById: org.store.findBy('User', 'Username', username())[0]!.Id,
    });

    expect(await errorOf(conn.query('SELECT Nope__c FROM Contact'))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(await errorOf(conn.sobject('Contact').create({ FirstName: 'Ann' }))).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });
    expect(await errorOf(conn.sobject('Contact').update({ Id: created.id!, Nope__c: 'x' }))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('decides a suggestion through the package’s Apex REST entry point, as that user', async () => {
    const conn = connect();
    const n = (name: string) => org.schema.apiName(name);
    const f = (field: string) => n(`Suggestion__c.${field}`).split('.')[1]!;
    // The service proposes (as the admin here), giving the suggestion to the user, as it gives one to
    // the deal's owner: suggestions are Private, so the user decides only what they own.
    const admin = new Connection({
      instanceUrl: org.url,
      accessToken: org.issueAccessToken(ADMIN),
      version: '62.0',
    });
    const userId = org.store.findBy('User', 'Username', username())[0]!.Id;
    const created = await admin.sobject(n('Suggestion__c')).create({
      OwnerId: userId,
      [f('Type__c')]: 'Field',
      [f('Status__c')]: 'Pending',
      [f('Target_Object__c')]: 'Opportunity',
      [f('Target_Field__c')]: 'NextStep',
      [f('Proposed_Value__c')]: 'Call back Tuesday',
    });
    const before = org.events.length;
    const ns = org.schema.namespace ? `/${org.schema.namespace}` : '';
    const outcomes = await conn.apex.post<unknown>(`${ns}/suggestions/decisions`, {
      decisions: [{ suggestionId: created.id, action: 'reject' }],
    });
    expect(outcomes).toEqual([
      { recordId: created.id, status: 'Rejected', message: null, appliedValue: null },
    ]);
    const decided = org.events.slice(before).filter((e) => e.type === n('Suggestion_Decided__e'));
    expect(decided).toHaveLength(1);
    expect(decided[0]!.payload[n('Suggestion_Decided__e.Decided_By_Id__c').split('.')[1]!]).toBe(userId);

    const refused = await errorOf(conn.apex.post(`${ns}/suggestions/decisions`, { decisions: [] }));
    expect(refused).toMatchObject({ errorCode: 'APEX_ERROR' });
  });
});
