import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import app from '../../src/app/app.js';
import { loggerOptions, requestSerializers } from '../../src/app/logging.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import type { TenancyConfig } from '../../src/config/tenancy-config.js';
import { TokenCipher, TokenCipherError } from '../../src/adapters/secrets/token-cipher.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { OrgConnections, OrgConnectionError } from '../../src/services/org-connections.js';
import { startTestDatabase, silentLogger, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, testKeys, type TestOrg } from '../support/local-org.js';

/**
 * Connecting an org to a multi-org service, against the local org over loopback: the setup page's
 * start, the admin's approval, the callback, sessions through the refresh token when one expires,
 * the disconnect (revoked at the org), the erasure after the grace period, key rotation, and the
 * refusals (a replayed or expired state, tampered ciphertext, a wrong key). No token reaches the log.
 */

const CLIENT_ID = 'PipelineScribeServiceEca';
const SECRET = 'the-eca-consumer-secret';
const CALLBACK = 'https://scribe.example.com/oauth/callback';
const GRACE_MS = 7 * 86_400_000;
const KEY_1 = randomBytes(32);
const KEY_2 = randomBytes(32);

let db: TestDatabase;
let t: TestOrg;
let server: FastifyInstance;
let tenancy: Extract<TenancyConfig, { mode: 'multi' }>;
const logLines: string[] = [];

function service(options: { now?: () => Date; keys?: [Buffer, ...Buffer[]] } = {}): OrgConnections {
  const [current, ...previous] = options.keys ?? [KEY_1];
  return new OrgConnections({
    pool: db.database.pool,
    cipher: new TokenCipher(current, previous),
    oauth: tenancy.oauth,
    stateTtlMs: tenancy.stateTtlMs,
    erasureGraceMs: GRACE_MS,
    logger: silentLogger,
    now: options.now,
  });
}

beforeAll(async () => {
  db = await startTestDatabase();
  const k = testKeys();
  t = await startTestOrg({
    dataPlan: null,
    connectedApps: [
      { consumerKey: k.consumerKey, certificate: k.certificate },
      { consumerKey: CLIENT_ID, consumerSecret: SECRET, callbackUrls: [CALLBACK] },
    ],
  });
  tenancy = {
    mode: 'multi',
    keys: { current: KEY_1, previous: [] },
    oauth: { clientId: CLIENT_ID, clientSecret: SECRET, callbackUrl: CALLBACK, loginUrl: t.org.url },
    stateTtlMs: 600_000,
    erasureGraceMs: GRACE_MS,
    maxOrgMetricLabels: 200,
  };
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = Fastify({
    loggerInstance: pino(
      { ...loggerOptions('trace'), serializers: requestSerializers },
      capture,
    ) as unknown as FastifyBaseLogger,
  });
  await server.register(fp(app), {
    salesforce: t.config,
    extractor: new EmbeddedExtractor(),
    queue: db.settings(),
    database: db.database,
    worker: false,
    tenancy,
  });
  await server.ready();
}, 90_000);

afterAll(async () => {
  await server?.close();
  await t?.org.close();
  await db?.stop();
});

/** The setup page's Connect, the admin's Allow, and the browser's return: the callback's URL. */
async function approve(): Promise<{ callback: string; authorizeUrl: string }> {
  const started = await server.inject({
    method: 'POST',
    url: '/v1/orgs/connect',
    payload: { orgId: t.org.orgId, loginUrl: t.org.url },
  });
  expect(started.statusCode).toBe(200);
  const { authorizeUrl } = started.json() as { authorizeUrl: string };
  const back = new URL(await t.org.approveAuthorization(authorizeUrl));
  expect(back.origin + back.pathname).toBe(CALLBACK);
  return { callback: `/oauth/callback${back.search}`, authorizeUrl };
}

async function storedTokens(keys: [Buffer, ...Buffer[]] = [KEY_1]) {
  const { rows } = await db.database.pool.query<{ tokens_key_id: string; tokens_sealed: Buffer }>(
    'SELECT tokens_key_id, tokens_sealed FROM org_connections WHERE org_id = $1',
    [t.org.orgId],
  );
  const [current, ...previous] = keys;
  const sealed = { keyId: rows[0]!.tokens_key_id, sealed: rows[0]!.tokens_sealed };
  return {
    sealed,
    tokens: JSON.parse(new TokenCipher(current, previous).open(sealed, t.org.orgId)) as {
      accessToken: string;
      refreshToken: string;
    },
  };
}

describe('connecting an org (SCRIBE_TENANCY=multi)', () => {
  const secretsSeen: string[] = [];

  it('connects through the web server flow with PKCE, keeping the tokens sealed', async () => {
    const { callback, authorizeUrl } = await approve();
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    const done = await server.inject({ method: 'GET', url: callback });
    expect(done.statusCode).toBe(200);
    expect(done.headers['content-security-policy']).toBe("default-src 'none'");
    expect(done.body).toContain(`Org ${t.org.orgId} is connected`);

    const status = (await server.inject({ method: 'GET', url: `/v1/orgs/${t.org.orgId}/connection` })).json();
    expect(status).toMatchObject({
      orgId: t.org.orgId,
      state: 'connected',
      instanceUrl: t.org.url,
      connectedBy: 'admin@pipeline-scribe.local',
    });

    const { sealed, tokens } = await storedTokens();
    expect(t.org.sessionUser(tokens.accessToken)).toBe(t.org.users.find((u) => u.persona === 'admin')!.id);
    expect(sealed.sealed.toString('latin1')).not.toContain(tokens.accessToken);
    expect(sealed.sealed.toString('latin1')).not.toContain(tokens.refreshToken);
    const params = new URL(callback, 'https://x').searchParams;
    secretsSeen.push(tokens.accessToken, tokens.refreshToken, params.get('code')!, params.get('state')!);

    // The same callback again (a reload, or someone replaying it): the state was used once.
    const replay = await server.inject({ method: 'GET', url: callback });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('unknown or was already used');
  });

  it('refuses an unknown org id and a login host that is not Salesforce', async () => {
    const bad = await server.inject({
      method: 'POST',
      url: '/v1/orgs/connect',
      payload: { orgId: '00Dshort' },
    });
    expect(bad.statusCode).toBe(400);
    const elsewhere = await server.inject({
      method: 'POST',
      url: '/v1/orgs/connect',
      payload: { orgId: t.org.orgId, loginUrl: 'https://login.evil.example.com' },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error).toMatch(/is not a My Domain/);
  });

  it('gives the Salesforce adapter sessions per org, refreshing one that expired', async () => {
    const connections = server.orgConnections;
    const client = await SalesforceClient.connect({
      jwt: null,
      token: null,
      sessionSource: connections.sessionSource(t.org.orgId),
      logger: silentLogger,
      apiVersion: '62.0',
      slowdownAt: 0.8,
      maxDelayMs: 0,
      rulesTtlMs: 0,
    });
    const before = (await storedTokens()).tokens;
    t.org.expireSessions();
    await client.get('/sobjects');
    const after = (await storedTokens()).tokens;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect((await connections.status(t.org.orgId)).refreshedAt).not.toBeNull();
    secretsSeen.push(after.accessToken);
    const metrics = (await server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`scribe_org_connection_events_total{org="${t.org.orgId}",event="refreshed"} 1`);
    expect(metrics).toContain('scribe_org_connections{state="connected"} 1');
  });

  it('refuses tampered ciphertext and a key that did not seal it', async () => {
    const pool = db.database.pool;
    await pool.query(
      `UPDATE org_connections SET tokens_sealed = set_byte(tokens_sealed, 20, get_byte(tokens_sealed, 20) # 1) WHERE org_id = $1`,
      [t.org.orgId],
    );
    await expect(service().currentSession(t.org.orgId)).rejects.toThrow(/integrity check/);
    await pool.query(
      `UPDATE org_connections SET tokens_sealed = set_byte(tokens_sealed, 20, get_byte(tokens_sealed, 20) # 1) WHERE org_id = $1`,
      [t.org.orgId],
    );
    await expect(service({ keys: [KEY_2] }).currentSession(t.org.orgId)).rejects.toThrow(TokenCipherError);
    await expect(service().currentSession(t.org.orgId)).resolves.toMatchObject({ instanceUrl: t.org.url });
  });

  it('rotates the key: re-encrypts under the new one, after which the old one alone opens nothing', async () => {
    const rotated = service({ keys: [KEY_2, KEY_1] });
    const run = await rotated.rotateKey();
    expect(run).toEqual({ reencrypted: [t.org.orgId], current: [], failed: [] });
    expect((await rotated.rotateKey()).current).toEqual([t.org.orgId]);
    await expect(service({ keys: [KEY_2] }).currentSession(t.org.orgId)).resolves.toBeTruthy();
    await expect(service({ keys: [KEY_1] }).currentSession(t.org.orgId)).rejects.toThrow(
      /SCRIBE_ENCRYPTION_KEYS_PREVIOUS/,
    );
    // Back under KEY_1 for the app, which holds only that key.
    expect((await service({ keys: [KEY_1, KEY_2] }).rotateKey()).reencrypted).toEqual([t.org.orgId]);
  });

  it('marks the org revoked when Salesforce refuses its refresh token', async () => {
    t.org.revokeRefreshTokens();
    t.org.expireSessions();
    const connections = server.orgConnections;
    await expect(connections.refresh(t.org.orgId)).rejects.toThrow(/was revoked at Salesforce/);
    expect((await connections.status(t.org.orgId)).state).toBe('revoked');
    await expect(connections.currentSession(t.org.orgId)).rejects.toThrow(OrgConnectionError);
  });

  it('reconnects, then disconnects: revoked at the org, tokens dropped, erasure scheduled', async () => {
    const { callback } = await approve();
    expect((await server.inject({ method: 'GET', url: callback })).statusCode).toBe(200);
    const { tokens } = await storedTokens();
    secretsSeen.push(tokens.accessToken, tokens.refreshToken);
    expect((await server.orgConnections.status(t.org.orgId)).state).toBe('connected');

    const started = Date.now();
    const answer = await server.inject({ method: 'POST', url: `/v1/orgs/${t.org.orgId}/disconnect` });
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as {
      state: string;
      revoked: boolean;
      eraseAfter: string;
      tokensKeyId: string | null;
    };
    expect(body).toMatchObject({ state: 'disconnected', revoked: true, tokensKeyId: null });
    expect(Date.parse(body.eraseAfter) - started).toBeGreaterThanOrEqual(GRACE_MS - 1000);
    expect(t.org.sessionUser(tokens.accessToken)).toBeNull();
    await expect(server.orgConnections.currentSession(t.org.orgId)).rejects.toThrow(/disconnected/);
  });

  it("erases the org's rows, and only its rows, once the grace period is over", async () => {
    const pool = db.database.pool;
    const other = '00D5L0000000099AAA';
    await pool.query('CREATE TABLE test_org_rows (org_id text NOT NULL, note text)');
    try {
      await pool.query('INSERT INTO test_org_rows VALUES ($1, $2), ($3, $4)', [
        t.org.orgId,
        'mine',
        other,
        'theirs',
      ]);
      expect(await service().eraseDue()).toEqual([]);
      const later = service({ now: () => new Date(Date.now() + GRACE_MS + 60_000) });
      const erased = await later.eraseDue();
      expect(erased).toHaveLength(1);
      expect(erased[0]).toMatchObject({
        orgId: t.org.orgId,
        removed: { test_org_rows: 1, org_connection_starts: 0, conversations: 0 },
      });
      expect(erased[0]!.removed).not.toHaveProperty('scribe_single_org');
      const { rows } = await pool.query<{ note: string }>('SELECT note FROM test_org_rows');
      expect(rows.map((r) => r.note)).toEqual(['theirs']);
      expect(await later.status(t.org.orgId)).toMatchObject({
        state: 'erased',
        instanceUrl: null,
        connectedBy: null,
      });
    } finally {
      await pool.query('DROP TABLE test_org_rows');
    }
  });

  it('refuses a state that expired before the admin came back', async () => {
    const { callback } = await approve();
    const later = service({ now: () => new Date(Date.now() + tenancy.stateTtlMs + 1000) });
    const params = new URL(callback, 'https://x').searchParams;
    await expect(later.complete({ state: params.get('state')!, code: params.get('code')! })).rejects.toThrow(
      /expired/,
    );
    // And, being taken, it is gone for everyone.
    expect((await server.inject({ method: 'GET', url: callback })).statusCode).toBe(400);
  });

  it('writes no token, code, state or verifier to the log', () => {
    const log = logLines.join('');
    expect(log).toContain('org connected');
    expect(log).toContain('org token refreshed');
    expect(log).toContain('/oauth/callback?code=[redacted]&state=[redacted]');
    expect(secretsSeen.length).toBeGreaterThanOrEqual(6);
    for (const secret of secretsSeen) expect(log).not.toContain(secret);
  });
});
