import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, INTEGRATION_USERNAME, REP_USERNAMES } from '@pipeline-scribe/local-salesforce/org';
import { startTestOrg, type TestOrg } from '../support/local-org.js';

/**
 * The Setup page's Apex as the local org serves it (apex-setup.ts): ScribeSetupController's checks read
 * the org's own records and API counter and call the service's /readyz through the package's named
 * credential; HeldRecordingsController relays the service's held recordings. The service here is a
 * small server on loopback that answers as the test says.
 */

type Row = Record<string, unknown>;
interface Check {
  key: string;
  status: string;
  summary: string;
  fix: string | null;
  details: string[];
}
let test: TestOrg;
let server: Server | null = null;
let heard: { path: string; authorization: string | undefined }[] = [];

async function apex(path: string, body: unknown, user = ADMIN_USERNAME) {
  const { org } = test;
  const response = await fetch(`${org.url}/services/apexrest/${org.schema.namespace}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.issueAccessToken(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

async function checks(user = ADMIN_USERNAME) {
  const { status, body } = await apex('/setup/checks', {}, user);
  expect(status).toBe(200);
  const report = body as { checks: Check[]; apiUsage: { used: number; max: number; percent: number } };
  return { ...report, of: (key: string) => report.checks.find((c) => c.key === key)! };
}

/** The service at a loopback address, answering each request with `answer(path)`. */
async function service(answer: (path: string) => { status: number; body: unknown }): Promise<string> {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    heard.push({ path: request.url ?? '', authorization: request.headers.authorization });
    const { status, body } = answer(request.url ?? '');
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const readyz = (orgId: string, localOrg = false) => ({
  status: 'ready',
  checks: {
    database: { ok: true, detail: 'embedded Postgres' },
    salesforce: {
      ok: true,
      detail: 'answered',
      orgId,
      instanceUrl: 'http://127.0.0.1',
      localOrg,
      status: 'connected',
      attempts: 0,
      lastError: null,
      checkedAt: new Date().toISOString(),
    },
  },
});

beforeAll(async () => {
  test = await startTestOrg();
});
afterAll(async () => test.org.close());
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
  heard = [];
});

describe('ScribeSetupController.getInstallationChecks on the local org', () => {
  it('finds the integration user, the rules and today’s API requests in the org; the shipped named credential fails as a real org’s callout would', async () => {
    const before = test.org.usage().used;
    const report = await checks();
    expect(report.checks.map((c) => c.key)).toEqual([
      'integrationUser',
      'customMetadata',
      'service',
      'lastScan',
      'apiUsage',
    ]);
    expect(report.of('integrationUser')).toMatchObject({
      status: 'passed',
      summary: `${INTEGRATION_USERNAME} is active and holds the Pipeline_Scribe_Integration permission set.`,
      details: [`${INTEGRATION_USERNAME} (Minimum Access - API Only Integrations)`],
    });
    expect(report.of('customMetadata').status).toBe('passed');
    expect(report.of('service')).toMatchObject({ status: 'failed' });
    expect(report.of('service').summary).toMatch(
      /could not be reached through the \w*_*Pipeline_Scribe_Service named credential: Unable to resolve host: pipeline-scribe\.invalid/,
    );
    expect(report.of('service').fix).toMatch(/Named Credentials/);
    expect(report.of('lastScan')).toMatchObject({
      status: 'failed',
      summary: 'The service has recorded no pipeline scan yet.',
    });
    // OrgLimits' DailyApiRequests: the org's own counter, this call included.
    expect(report.apiUsage.used).toBe(before + 1);
    expect(report.apiUsage.max).toBe(test.org.usage().max);
    expect(report.of('apiUsage').summary).toBe(
      `${report.apiUsage.used} of ${report.apiUsage.max.toLocaleString('en-US')} API requests in the last 24 hours (${report.apiUsage.percent.toFixed(1)}%).`,
    );
  });

  it('calls the service the admin set with its API key, passes when it writes to this org, and names another org', async () => {
    const url = await service(() => ({ status: 200, body: readyz(test.org.orgId) }));
    test.org.setNamedCredential('Pipeline_Scribe_Service', { url, apiKey: 'the-service-key' });
    expect((await checks()).of('service')).toMatchObject({
      status: 'passed',
      summary: 'The service answers and is ready: its database and its connection to this org both work.',
    });
    expect(heard).toEqual([{ path: '/readyz', authorization: 'Bearer the-service-key' }]);

    await new Promise((resolve) => server!.close(resolve));
    const other = await service(() => ({ status: 200, body: readyz('00D000000000009EAA', true) }));
    test.org.setNamedCredential('Pipeline_Scribe_Service', { url: other, apiKey: 'the-service-key' });
    expect((await checks()).of('service')).toMatchObject({
      status: 'failed',
      summary: 'The service answers, but it runs against its own emulated local org, not this org.',
    });
  });

  it('says which part of a service that is not ready fails, and refuses a server that is not the service', async () => {
    const notReady = readyz(test.org.orgId);
    notReady.checks.database = { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' };
    const url = await service((path) =>
      path === '/readyz' ? { status: 503, body: notReady } : { status: 404, body: {} },
    );
    test.org.setNamedCredential('Pipeline_Scribe_Service', { url, apiKey: null });
    const service503 = (await checks()).of('service');
    expect(service503).toMatchObject({
      status: 'failed',
      summary: 'The service answers but is not ready.',
      details: ['Database: connect ECONNREFUSED 127.0.0.1:5432'],
    });
    expect(heard[0]!.authorization).toBeUndefined();

    test.org.setNamedCredential('Pipeline_Scribe_Service', { url: `${url}/elsewhere`, apiKey: null });
    expect((await checks()).of('service').summary).toBe(
      "The named credential's address answered HTTP 404, not as the Pipeline Scribe service.",
    );
  });

  it('refuses the callout for a user whose permission sets grant no access to the credential’s principal', async () => {
    const url = await service(() => ({ status: 200, body: readyz(test.org.orgId) }));
    test.org.setNamedCredential('Pipeline_Scribe_Service', { url, apiKey: 'k' });
    const rep = await checks(REP_USERNAMES[0]!);
    expect(rep.of('service').summary).toMatch(/We couldn't access the credential\(s\)/);
    expect(heard).toEqual([]);
  });

  it('reads the last scan the service recorded, its counts in the admin’s locale', async () => {
    const scanRun = test.org.schema.object(test.org.schema.apiName('Scan_Run__c'))!;
    const field = (name: string) => test.org.schema.apiName(`Scan_Run__c.${name}`).split('.')[1]!;
    const id = test.org.store.newId(scanRun.name);
    const startedAt = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '+0000');
    test.org.store.put(scanRun.name, {
      Id: id,
      IsDeleted: false,
      Name: id,
      [field('Run_Id__c')]: 'scan-1',
      [field('Started_At__c')]: startedAt,
      [field('Result__c')]: 'Succeeded',
      [field('Deals_Read__c')]: 41_200,
      [field('Deals_Scored__c')]: 230,
      [field('Records_Written__c')]: 9_600,
      [field('API_Calls__c')]: 1_400,
    } as never);
    const report = await checks();
    expect(report.of('lastScan').status).toBe('passed');
    expect(report.of('lastScan').summary).toMatch(
      /^The last scan, started \d+\/\d+\/\d{4}, \d+:\d{2}\s[AP]M, read 41,200 deals, scored 230 and wrote 9,600 records\.$/,
    );
    expect(report.of('apiUsage').details).toEqual(['The last full scan spent 1,400 of them.']);
  });
});

describe('HeldRecordingsController on the local org', () => {
  it('lists what the service holds, and turns its refusal into a sentence', async () => {
    const held = {
      id: 'c_abc123',
      tool: 'zoom',
      title: 'Pricing call',
      startedAt: '2026-12-01T17:00:00Z',
      jurisdiction: 'California',
      reason: 'all-party consent',
      heldAt: '2026-12-01T18:00:00Z',
      internal: 'not part of HeldRecording',
    };
    const url = await service((path) =>
      path === '/v1/recordings/held'
        ? { status: 200, body: { held: [held] } }
        : { status: 409, body: { error: 'already released' } },
    );
    test.org.setNamedCredential('Pipeline_Scribe_Service', { url, apiKey: 'k' });
    const { internal, ...shown } = held;
    void internal;
    expect(await apex('/setup/held-recordings', {})).toEqual({ status: 200, body: [shown] });
    expect(await apex('/setup/held-recordings/release', { conversationId: 'c_abc123' })).toEqual({
      status: 500,
      body: [
        {
          errorCode: 'APEX_ERROR',
          message:
            'System.AuraHandledException: The Pipeline Scribe service answered HTTP 409: already released',
        },
      ],
    });
    const bad = await apex('/setup/held-recordings/drop', { conversationId: '../../admin' });
    expect((bad.body as Row[])[0]!.message).toMatch(/That is not a held recording's id/);
    expect(heard.map((h) => h.path)).toEqual(['/v1/recordings/held', '/v1/recordings/held/c_abc123/release']);
  });
});
