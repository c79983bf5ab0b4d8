import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { SalesforceClient, SalesforceApiError } from '../../../src/adapters/salesforce/salesforce-client.js';
import { SalesforceAuthError } from '../../../src/adapters/salesforce/jwt-bearer.js';
import { readOrgSnapshot } from '../../../src/adapters/salesforce/org-rules.js';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import { startTestOrg, type TestOrg } from '../../support/local-org.js';

/** The Salesforce adapter against the local org over loopback: login, re-login, limits, rules. */

let t: TestOrg | null = null;
afterEach(async () => {
  await t?.org.close();
  t = null;
});

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger: logger as unknown as FastifyBaseLogger, lines };
}

async function connect(
  testOrg: TestOrg,
  extra: Partial<Parameters<typeof SalesforceClient.connect>[0]> = {},
) {
  if (testOrg.config.kind !== 'org') throw new Error('test org config expected');
  return SalesforceClient.connect({ ...testOrg.config, logger: memoryLogger().logger, ...extra });
}

describe('SalesforceClient', () => {
  it('logs in with the JWT bearer flow and reads the rules from the org, the same as from the package files', async () => {
    t = await startTestOrg();
    const client = await connect(t);
    const snapshot = await readOrgSnapshot(client, Date.now());
    const fromFiles = await loadPackageRules();
    expect(snapshot.rules.fieldMappings).toEqual(expect.arrayContaining(fromFiles.fieldMappings));
    expect(snapshot.rules.fieldMappings).toHaveLength(fromFiles.fieldMappings.length);
    expect(snapshot.rules.stageRules.stages.map((s) => s.stageName)).toEqual(
      fromFiles.stageRules.stages.map((s) => s.stageName),
    );
    expect(snapshot.rules.competitors.entries.map((c) => c.name).sort()).toEqual(
      fromFiles.competitors.entries.map((c) => c.name).sort(),
    );
    expect(snapshot.riskRules.map((r) => r.developerName)).toContain('Stale');
    expect(snapshot.opportunityFields.StageName!.picklistValues).toContain('Needs Analysis');
    expect(snapshot.contactRoleValues).toContain('Economic Buyer');
    expect(snapshot.rules.competitors.entries).toEqual(fromFiles.competitors.entries);
    expect(snapshot.rules.nonCompetitors).toEqual(fromFiles.nonCompetitors);
    // The org's own users are the seller side: people by name, the domains they write from.
    expect(snapshot.rules.sellerPeople).toEqual(expect.arrayContaining(['Avery Rep', 'Blake Rep']));
    expect(snapshot.rules.sellerEmailDomains).toContain('pipeline-scribe.local');
    // One call finds the package's namespace at connect; one composite reads every rule and one
    // query the users (a composite carries at most 5 queries, and the rules take them all).
    expect(client.usage().callsMade).toBe(3);
    expect(client.namespace.namespace).toBe('pscribe');
  });

  it('signs in again when a call answers INVALID_SESSION_ID, and the call goes through', async () => {
    t = await startTestOrg();
    const { logger, lines } = memoryLogger();
    const client = await connect(t, { logger });
    t.org.expireSessions();
    const result = await client.get<{ totalSize: number }>('/query?q=SELECT+COUNT()+FROM+Account');
    // The sample accounts: 5 with open deals, 28 with the closed history.
    expect(result.totalSize).toBe(33);
    expect(lines.map((l) => l.msg)).toContain('Salesforce session renewed with the JWT bearer flow');
    expect(JSON.stringify(lines)).not.toMatch(/PRIVATE KEY|access_token/);
  });

  it('says which setting to renew when a given access token expires and no JWT is configured', async () => {
    t = await startTestOrg();
    if (t.config.kind !== 'org') throw new Error('test org config expected');
    const client = await SalesforceClient.connect({
      ...t.config,
      jwt: null,
      token: { instanceUrl: t.org.url, accessToken: t.org.issueAccessToken() },
      logger: memoryLogger().logger,
    });
    expect((await client.get<{ totalSize: number }>('/query?q=SELECT+COUNT()+FROM+Account')).totalSize).toBe(
      33,
    );
    t.org.expireSessions();
    await expect(client.get('/query?q=SELECT+Id+FROM+Account')).rejects.toThrow(SalesforceAuthError);
    await expect(client.get('/query?q=SELECT+Id+FROM+Account')).rejects.toThrow(
      /Salesforce refused SF_ACCESS_TOKEN/,
    );
  });

  it('tracks Sforce-Limit-Info, slows down past the configured share, and explains an exhausted limit', async () => {
    t = await startTestOrg({ dailyApiLimit: 8 }, { slowdownAt: 0.5, maxDelayMs: 400 });
    const pauses: number[] = [];
    const client = await connect(t, { sleep: async (ms) => void pauses.push(ms) });
    // Connecting made one call (the namespace); six more bring the org to 7 of 8.
    for (let i = 0; i < 6; i++) await client.get('/');
    expect(client.usage()).toMatchObject({ callsMade: 7, orgUsed: 7, orgLimit: 8, slowingDown: true });
    // 5 of 8 used: a quarter of the way from the threshold to the limit; then half of it.
    expect(pauses).toEqual([100, 200]);
    await client.get('/');
    const error = await client.get('/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect((error as Error).message).toContain("the org's daily API limit is used up");
  });

  it('names a failed login with the settings to check', async () => {
    t = await startTestOrg();
    if (t.config.kind !== 'org') throw new Error('test org config expected');
    const wrongUser = { ...t.config.jwt!, username: 'someone@example.com' };
    await expect(
      SalesforceClient.connect({ ...t.config, jwt: wrongUser, logger: memoryLogger().logger }),
    ).rejects.toThrow(
      /the JWT bearer login to .* as someone@example.com failed \(invalid_grant: user hasn't approved this consumer\); check SF_CLIENT_ID, SF_USERNAME/,
    );
  });
});
