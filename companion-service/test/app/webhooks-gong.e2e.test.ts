import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp, GONG_PUBLIC_URL, settle } from '../support/ingest-app.js';
import {
  callFromSample,
  startLocalGong,
  type LocalGong,
  type LocalGongCall,
} from '@pipeline-scribe/local-salesforce/gong';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';
import type { GongConfig } from '../../src/config/gong-config.js';
import { SAMPLES } from '../../src/cli/start-command.js';

/**
 * A Gong call end to end over loopback: Gong's signed webhook to the service, the job in a real
 * Postgres, the worker fetching the transcript from the local Gong API and writing to the local org.
 */

const keys = webhookKeys();
const CALL_ID = '9900000000000000001';

let db: TestDatabase;
let t: TestOrg;
let gong: LocalGong;
let app: FastifyInstance;

function gongConfig(withCredentials = true): GongConfig {
  return {
    webhook: { publicKey: keys.publicKeyPem, webhookUrl: GONG_PUBLIC_URL, urlKey: null },
    api: {
      baseUrl: gong.url,
      auth: withCredentials
        ? { kind: 'basic', accessKey: 'local-access-key', secret: 'local-access-key-secret' }
        : null,
      requestsPerSecond: 3,
      timeoutMs: 5000,
      maxRetries: 2,
    },
  };
}

async function fabrikamCall(): Promise<LocalGongCall> {
  const sample = JSON.parse(await readFile(path.join(SAMPLES, '01-fabrikam-discovery.gong.json'), 'utf8'));
  const call = callFromSample(sample);
  return { ...call, metaData: { ...call.metaData, id: CALL_ID } };
}

async function deliver(callData: unknown) {
  const body = JSON.stringify({ callData, isTest: false });
  const jwt = await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: GONG_PUBLIC_URL });
  return app.inject({
    method: 'POST',
    url: '/webhooks/gong',
    headers: { 'content-type': 'application/json', authorization: jwt },
    payload: body,
  });
}

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  gong = await startLocalGong({ calls: [await fabrikamCall()] });
});

afterEach(async () => {
  await app.close();
  await gong.close();
  await t.org.close();
});

describe('a Gong call from webhook to Salesforce', () => {
  it('is acknowledged, its transcript fetched from Gong, and written once, however often Gong sends it', async () => {
    app = await buildIngestApp(t.config, { db, gong: gongConfig() });
    const call = await fabrikamCall();
    const announced = { metaData: call.metaData, context: call.context }; // no parties: extensive supplies them
    const first = await deliver(announced);
    expect(first.statusCode).toBe(202);
    const status = await settle(app, first.json().id);
    expect(status.status, JSON.stringify(status.error)).toBe('processed');
    expect(status.source).toBe('gong');
    expect(status.result?.sourceId).toBe(`gong:${CALL_ID}`);
    expect(gong.requests.map((r) => r.path)).toEqual(['/v2/calls/transcript', '/v2/calls/extensive']);

    const again = await deliver(announced);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', id: first.json().id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const conversations = await t.admin.query<Record<string, unknown>>(
      `SELECT Id, Source__c, Opportunity__c, Processing_Status__c FROM Conversation__c WHERE Source_Id__c = 'gong:${CALL_ID}'`,
    );
    expect(conversations.records).toHaveLength(1);
    expect(conversations.records[0]).toMatchObject({
      Source__c: 'Gong Call',
      Processing_Status__c: 'Processed',
    });
    expect(gong.requests).toHaveLength(2);
  });

  it('goes dead with the fix when Gong credentials are missing, and Gong stays unasked', async () => {
    app = await buildIngestApp(t.config, { db, gong: gongConfig(false) });
    const response = await deliver({ metaData: { id: CALL_ID } });
    expect(response.statusCode).toBe(202);
    const status = await settle(app, response.json().id);
    expect(status.status).toBe('dead');
    expect(status.deadLetter?.errorCode).toBe('GONG_NOT_CONFIGURED');
    expect(status.deadLetter?.reason).toContain('GONG_ACCESS_KEY');
    expect(gong.requests).toHaveLength(0);
  });

  it("retries through Gong's outage, then processes the call", async () => {
    app = await buildIngestApp(t.config, { db, gong: gongConfig() });
    gong.failNext(503, 3); // the client's own retries (2) run out; the worker retries the job
    const call = await fabrikamCall();
    const response = await deliver({ metaData: call.metaData, parties: call.parties, context: call.context });
    const status = await settle(app, response.json().id);
    expect(status.status, JSON.stringify(status.error)).toBe('processed');
    expect(status.attempts).toBeGreaterThanOrEqual(2);
    expect(gong.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });
});
