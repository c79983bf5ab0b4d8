import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, startLocalOrgs, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';

/**
 * Several local orgs at once (issue 20): each its own org id, users and sessions, all holding the
 * same sample records under the same ids and names, so a test that mixes up two orgs notices.
 */

const V = '/services/data/v62.0';
let orgs: LocalOrg[];

beforeAll(async () => {
  orgs = await startLocalOrgs(2);
}, 60_000);
afterAll(async () => Promise.all((orgs ?? []).map((org) => org.close())));

const query = async (org: LocalOrg, token: string, soql: string) => {
  const response = await fetch(`${org.url}${V}/query?q=${encodeURIComponent(soql)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('startLocalOrgs', () => {
  it('starts each org with its own 18-character org id and port, the first as startLocalOrg does', () => {
    const [first, second] = orgs as [LocalOrg, LocalOrg];
    expect(first.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(second.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(second.orgId).not.toBe(first.orgId);
    expect(second.url).not.toBe(first.url);
    expect(first.orgId).toBe('00D5L0000000001UAA');
  });

  it('holds the same records under the same ids and names in every org', async () => {
    const [first, second] = orgs as [LocalOrg, LocalOrg];
    const soql = 'SELECT Id, Name FROM Opportunity ORDER BY Name';
    const a = await query(first, first.issueAccessToken(), soql);
    const b = await query(second, second.issueAccessToken(), soql);
    expect(a.status).toBe(200);
    expect((a.body as { totalSize: number }).totalSize).toBeGreaterThan(0);
    expect(b.body).toEqual(a.body);
    expect(second.users.map((u) => [u.username, u.id])).toEqual(first.users.map((u) => [u.username, u.id]));
  });

  it('takes no session of one org in another, and its session ids name its own org', async () => {
    const [first, second] = orgs as [LocalOrg, LocalOrg];
    const token = first.issueAccessToken();
    expect(token.slice(0, 15)).toBe(first.orgId.slice(0, 15));
    expect(second.sessionUser(token)).toBeNull();
    expect((await query(second, token, 'SELECT Id FROM Account')).status).toBe(401);
  });

  it('refuses an org number or a count it cannot start', async () => {
    await expect(startLocalOrg({ orgNumber: 0 })).rejects.toThrow(/orgNumber 0 is not a whole number/);
    await expect(startLocalOrgs(0)).rejects.toThrow(/orgs 0 is not a whole number/);
  });
});
