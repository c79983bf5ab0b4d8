import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  buildTestApp,
  sampleBody,
  settleConversation,
  startTestOrg,
  testKeys,
  type TestOrg,
} from '../support/local-org.js';

/**
 * A Salesforce sign-in that fails (the connected app's certificate replaced, the sessions ended) is
 * the service's problem, not the conversation's: work pauses and the login is retried with
 * backoff, the conversation is never sent dead however many times it fails, /readyz says so, and
 * once the sign-in works again the conversation is written as if nothing happened.
 */

let db: TestDatabase;
let t: TestOrg;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
}, 60_000);

afterAll(async () => {
  await t?.org.close();
  await db?.stop();
});

it('retries a failed login with backoff instead of sending the conversation dead', async () => {
  // One retry allowed: a login failure counted against the conversation would kill it at once.
  const app = await buildTestApp(t.config, { db, queue: { retry: { limit: 1, baseMs: 50, maxMs: 200 } } });
  try {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    t.org.registerConnectedApp({
      consumerKey: testKeys().consumerKey,
      certificate: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    t.org.expireSessions();

    const accepted = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: await sampleBody('04-northwind-notes.md'),
    });
    expect(accepted.statusCode).toBe(202);
    const { id } = accepted.json() as ConversationStatusBody;

    // Several sign-ins fail while the conversation waits.
    const deadline = Date.now() + 15_000;
    let ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
    while (ready.checks.salesforce.attempts < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
    }
    expect(ready.status).toBe('not ready');
    expect(ready.checks.salesforce).toMatchObject({
      ok: false,
      status: 'retrying',
      lastError: expect.stringMatching(/the JWT bearer login to .* failed/),
    });
    expect(ready.checks.salesforce.attempts).toBeGreaterThanOrEqual(3);
    const waiting = (await app.inject({ method: 'GET', url: `/v1/conversations/${id}` })).json();
    expect(waiting.status).not.toBe('dead');
    expect(waiting.deadLetter).toBeNull();

    // The admin puts the certificate back: the conversation goes through.
    t.org.registerConnectedApp({ consumerKey: testKeys().consumerKey, certificate: testKeys().certificate });
    const done = await settleConversation(app, id, 20_000);
    expect(done.status).toBe('processed');
    expect(done.result?.conversationRecordId).toMatch(/^[a-zA-Z0-9]{18}$/);
    const after = (await app.inject({ method: 'GET', url: '/readyz' })).json();
    expect(after.checks.salesforce).toMatchObject({ status: 'connected', attempts: 0, lastError: null });
  } finally {
    await app.close();
  }
}, 60_000);
