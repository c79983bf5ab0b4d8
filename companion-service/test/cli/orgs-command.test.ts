import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runOrgs } from '../../src/cli/orgs-command.js';
import { UsageError } from '../../src/cli/options.js';
import { TokenCipher } from '../../src/adapters/secrets/token-cipher.js';
import { saveConnected } from '../../src/adapters/postgres/org-connection-store.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

/**
 * `scribe orgs` against the Postgres a multi-org service uses: what it refuses, what it prints (never
 * a token), and the key rotation it runs.
 */

const ORG = '00D5L0000000001AAA';
const KEY_1 = randomBytes(32);
const KEY_2 = randomBytes(32);
const TOKENS = JSON.stringify({
  accessToken: '00D5L0000000001!access-secret',
  refreshToken: '5Aep-refresh-secret',
});

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  await saveConnected(db.database.pool, {
    orgId: ORG,
    instanceUrl: 'https://acme.my.salesforce.com',
    loginUrl: 'https://acme.my.salesforce.com',
    connectedByUserId: '0055L0000000001AAA',
    connectedByUsername: 'admin@acme.com',
    tokens: new TokenCipher(KEY_1).seal(TOKENS, ORG),
    at: new Date('2026-12-01T10:00:00.000Z'),
  });
}, 60_000);
afterAll(async () => db?.stop());
afterEach(() => vi.unstubAllEnvs());

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  vi.stubEnv('DATABASE_URL', db.url ?? '');
  vi.stubEnv('SCRIBE_POSTGRES_DIR', db.postgresDir);
  const multi = {
    SCRIBE_TENANCY: 'multi',
    SCRIBE_ENCRYPTION_KEY: KEY_1.toString('base64'),
    SCRIBE_OAUTH_CLIENT_ID: 'PipelineScribeServiceEca',
    SCRIBE_OAUTH_CALLBACK_URL: 'https://scribe.example.com/oauth/callback',
    ...env,
  };
  for (const [name, value] of Object.entries(multi)) vi.stubEnv(name, value);
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  const code = await runOrgs(args, out);
  return { code, out: text };
}

describe('scribe orgs', () => {
  it.each([
    [[], 'name what to do'],
    [['show'], 'needs an 18-character org id'],
    [['disconnect', '00Dshort'], 'needs an 18-character org id'],
    [['list', '--format', 'json'], "Unknown option '--format'"],
  ])('refuses %j naming the fix', async (args, message) => {
    await expect(run(args)).rejects.toThrow(UsageError);
    await expect(run(args)).rejects.toThrow(message);
  });

  it('says there is nothing to list when the service serves one org', async () => {
    await expect(run(['list'], { SCRIBE_TENANCY: 'single' })).rejects.toThrow(/SCRIBE_TENANCY is single/);
  });

  it('lists and shows the connected orgs, as text or JSON, without a token', async () => {
    const list = await run(['list', '--json']);
    expect(list.code).toBe(0);
    const { orgs } = JSON.parse(list.out) as {
      orgs: { orgId: string; state: string; connectedBy: string }[];
    };
    expect(orgs).toEqual([
      expect.objectContaining({ orgId: ORG, state: 'connected', connectedBy: 'admin@acme.com' }),
    ]);
    const show = await run(['show', ORG]);
    expect(show.out).toContain(`${ORG}  connected  https://acme.my.salesforce.com`);
    expect(show.out).toContain('connected by: admin@acme.com');
    for (const out of [list.out, show.out]) expect(out).not.toMatch(/secret/);
  });

  it('rotates the key: the tokens move under the new key, and a second run finds nothing left', async () => {
    const env = {
      SCRIBE_ENCRYPTION_KEY: KEY_2.toString('base64'),
      SCRIBE_ENCRYPTION_KEYS_PREVIOUS: KEY_1.toString('base64'),
    };
    const first = await run(['rotate-key', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toEqual({ reencrypted: [ORG], current: [], failed: [] });
    const second = await run(['rotate-key'], env);
    expect(second.out).toContain('Re-encrypted under the current key: 0; already under it: 1; refused: 0');
    const { rows } = await db.database.pool.query<{ tokens_key_id: string; tokens_sealed: Buffer }>(
      'SELECT tokens_key_id, tokens_sealed FROM org_connections',
    );
    const sealed = { keyId: rows[0]!.tokens_key_id, sealed: rows[0]!.tokens_sealed };
    expect(new TokenCipher(KEY_2).open(sealed, ORG)).toBe(TOKENS);
    // Without the key that sealed it, the row is refused and the command fails.
    const lost = await run(['rotate-key'], { SCRIBE_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(lost.code).toBe(1);
    expect(lost.out).toContain('SCRIBE_ENCRYPTION_KEYS_PREVIOUS');
  });

  it('says an org that never connected is unknown', async () => {
    await expect(run(['show', '00D5L0000000042AAA'])).rejects.toThrow(/never been connected/);
  });
});
