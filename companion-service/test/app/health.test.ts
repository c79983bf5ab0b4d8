import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import healthRoutes from '../../src/app/routes/health.js';
import { connectOrg, type OrgConnection } from '../../src/services/org-connection.js';
import { silentLogger } from '../support/postgres.js';
import { startTestOrg, testKeys, type TestOrg } from '../support/local-org.js';

/**
 * /readyz as a load balancer sees it: which org the service writes to, probes that cost the org
 * no API call while Salesforce answered recently, and a failed sign-in shown as being retried.
 */

let t: TestOrg | null = null;
let app: FastifyInstance | null = null;
let connection: OrgConnection | null = null;
afterEach(async () => {
  await app?.close();
  await t?.org.close();
  app = null;
  t = null;
  connection = null;
});

const SECOND = 1_000;

async function readyApp(clock: { now: number }) {
  t = await startTestOrg({ dailyApiLimit: 1_000_000 });
  connection = await connectOrg(t.config, silentLogger);
  app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('salesforce', connection);
  // The database check is not under test here: a pool that answers.
  app.decorate('conversations', {
    database: { description: 'the test database', pool: { query: async () => ({ rows: [] }) } },
  } as unknown as FastifyInstance['conversations']);
  await app.register(healthRoutes, { salesforceCheckMs: 30 * SECOND, now: () => clock.now });
  await app.ready();
  return { org: t.org, app };
}

const probe = async (server: FastifyInstance) => {
  const response = await server.inject({ method: 'GET', url: '/readyz' });
  return { code: response.statusCode, body: response.json() };
};

describe('/readyz', () => {
  it('names the org it writes to, and costs no API call while Salesforce answered recently', async () => {
    const clock = { now: Date.now() };
    const { org, app: server } = await readyApp(clock);
    const before = org.usage().used;
    for (let i = 0; i < 5; i++) {
      const { code, body } = await probe(server);
      expect(code).toBe(200);
      expect(body.checks.salesforce).toMatchObject({
        ok: true,
        orgId: org.orgId.slice(0, 15),
        instanceUrl: org.url,
        localOrg: false,
        status: 'connected',
        attempts: 0,
        lastError: null,
      });
      clock.now += SECOND;
    }
    // Connecting read the rules just now: that answer stands for the probes.
    expect(org.usage().used - before).toBe(0);

    // Past the window with nothing else said to Salesforce, one probe asks, and the rest (at the
    // same moment, and after) share its answer.
    clock.now += 60 * SECOND;
    const together = await Promise.all(Array.from({ length: 10 }, () => probe(server)));
    expect(together.map((p) => p.code)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 5; i++) expect((await probe(server)).code).toBe(200);
    expect(org.usage().used - before).toBe(1);
    expect(JSON.stringify((await probe(server)).body)).not.toMatch(/00D\w{12}!|PRIVATE KEY/);
  });

  it('shows a failed sign-in as retrying, with the attempts and what Salesforce said, until it works', async () => {
    const clock = { now: Date.now() };
    const { org, app: server } = await readyApp(clock);
    // An admin replaces the connected app's certificate and ends the sessions: re-login fails.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    org.registerConnectedApp({
      consumerKey: testKeys().consumerKey,
      certificate: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    org.expireSessions();
    await expect(connection!.api.get('/limits')).rejects.toThrow(/the JWT bearer login to .* failed/);
    await expect(connection!.api.get('/limits')).rejects.toThrow(/the JWT bearer login/);

    const failing = await probe(server);
    expect(failing.code).toBe(503);
    expect(failing.body.status).toBe('not ready');
    // The probe tried once more itself: the third failure.
    expect(failing.body.checks.salesforce).toMatchObject({
      ok: false,
      status: 'retrying',
      attempts: 3,
      lastError: expect.stringMatching(/the JWT bearer login to .* failed .*check SF_CLIENT_ID/),
    });

    // The certificate is put back: the next probe past the window signs in again.
    org.registerConnectedApp({ consumerKey: testKeys().consumerKey, certificate: testKeys().certificate });
    clock.now += 60 * SECOND;
    const back = await probe(server);
    expect(back.code).toBe(200);
    expect(back.body.checks.salesforce).toMatchObject({ ok: true, status: 'connected', attempts: 0 });
  });
});
