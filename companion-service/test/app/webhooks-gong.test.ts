import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT } from 'jose';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import errors from '../../src/app/plugins/errors.js';
import gongWebhookRoutes from '../../src/app/routes/webhooks-gong.js';
import { GongWebhookVerifier } from '../../src/adapters/gong/webhook-auth.js';
import type { GongWebhookAuth } from '../../src/config/gong-config.js';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';
import { SAMPLES } from '../../src/cli/start-command.js';
import { MemoryIngestQueue } from '../support/memory-ingest-queue.js';
import { EnqueueError, IntakeBusyError } from '../../src/domain/source/ingest-queue.js';

/**
 * The Gong webhook as Gong delivers it: signed JWTs over the exact bytes, or a URL key; the call is
 * queued once under its id, test deliveries are acknowledged, and every refusal says why.
 */

const URL_PATH = '/webhooks/gong';
const PUBLIC_URL = 'https://scribe.example.com/webhooks/gong';
const URL_KEY = 'a-url-key-of-32-characters-long!';
const keys = webhookKeys();

let queue: MemoryIngestQueue;
let app: FastifyInstance;

async function build(auth: Partial<GongWebhookAuth>, bodyLimit = 1024 * 1024) {
  const server = Fastify({ logger: false });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  await server.register(errors);
  await server.register(gongWebhookRoutes, {
    queue,
    verifier: new GongWebhookVerifier({ publicKey: null, webhookUrl: null, urlKey: null, ...auth }),
    bodyLimit,
  });
  await server.ready();
  return server;
}

async function callData() {
  const sample = JSON.parse(
    await readFile(path.join(SAMPLES, '01-fabrikam-discovery.gong.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete sample.callTranscripts;
  return sample;
}

async function deliver(body: string, authorization?: string, query = '') {
  return app.inject({
    method: 'POST',
    url: `${URL_PATH}${query}`,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    payload: body,
  });
}

beforeEach(async () => {
  queue = new MemoryIngestQueue();
  app = await build({ publicKey: keys.publicKeyPem, webhookUrl: PUBLIC_URL, urlKey: URL_KEY });
});

afterEach(async () => {
  await app.close();
});

/** The app as a URL-key rule needs it: no signed rules configured beside it. */
async function urlKeyOnly() {
  await app.close();
  app = await build({ urlKey: URL_KEY });
}

describe('POST /webhooks/gong when the queue cannot store the call', () => {
  beforeEach(urlKeyOnly);

  it('answers 503 with Retry-After when the database failed, so Gong sends it again', async () => {
    queue.enqueue = () =>
      Promise.reject(new EnqueueError('the conversation was not stored (connection terminated)', true));
    const response = await deliver(
      JSON.stringify({ callData: await callData() }),
      undefined,
      `?key=${URL_KEY}`,
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().error).toBe(
      'the conversation could not be stored just now and nothing was kept: send it again',
    );
  });

  it('answers 503 with Retry-After when the service already holds as many calls as it may', async () => {
    queue.enqueue = () => Promise.reject(new IntakeBusyError(2000, 1));
    const response = await deliver(
      JSON.stringify({ callData: await callData() }),
      undefined,
      `?key=${URL_KEY}`,
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().error).toMatch(
      /^the service is storing 2000 conversations already.*send it again in 1 seconds$/,
    );
  });

  it('answers 422 naming the problem when the database refuses this payload itself', async () => {
    queue.enqueue = () =>
      Promise.reject(
        new EnqueueError('the conversation cannot be stored: unsupported Unicode escape sequence', false),
      );
    const response = await deliver(
      JSON.stringify({ callData: await callData() }),
      undefined,
      `?key=${URL_KEY}`,
    );
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toContain('unsupported Unicode escape sequence');
  });
});

describe('POST /webhooks/gong with a signed JWT', () => {
  it('queues the call under gong:<callId> and acknowledges 202 with the conversation id', async () => {
    const body = JSON.stringify({ callData: await callData(), isTest: false });
    const response = await deliver(
      body,
      await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL }),
    );
    expect(response.statusCode).toBe(202);
    const ack = response.json();
    expect(ack).toMatchObject({ status: 'queued', callId: '7782342274025937895' });
    expect(response.headers.location).toBe(`/v1/conversations/${ack.id}`);
    expect(queue.jobs).toHaveLength(1);
    expect(queue.jobs[0]).toMatchObject({ source: 'gong', idempotencyKey: 'gong:7782342274025937895' });
    const payload = queue.jobs[0]!.payload as { callData: { parties: unknown[]; context: unknown[] } };
    expect(payload.callData.parties).toHaveLength(3);
    expect(payload.callData.context).toHaveLength(1);
  });

  it('tolerates a Bearer prefix and a numeric call id', async () => {
    const body = JSON.stringify({ callData: { metaData: { id: 123456789 } } });
    const jwt = await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL });
    const response = await deliver(body, `Bearer ${jwt}`);
    expect(response.statusCode).toBe(202);
    expect(queue.jobs[0]!.idempotencyKey).toBe('gong:123456789');
  });

  it('verifies the bytes as sent: the same JSON with other spacing is a different body', async () => {
    const call = { callData: { metaData: { id: '42' } } };
    const signed = JSON.stringify(call, null, 2);
    const jwt = await signWebhook(signed, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL });
    expect((await deliver(signed, jwt)).statusCode).toBe(202);
    const respaced = await deliver(JSON.stringify(call), jwt);
    expect(respaced.statusCode).toBe(401);
    expect(respaced.json().error).toContain('body_sha256');
  });

  it('acknowledges a replay without queueing it again', async () => {
    const body = JSON.stringify({ callData: await callData() });
    const jwt = await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL });
    const first = await deliver(body, jwt);
    const again = await deliver(body, jwt);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', id: first.json().id, duplicate: true });
    expect(queue.jobs).toHaveLength(1);
  });

  it("acknowledges Gong's test delivery without queueing anything", async () => {
    const body = JSON.stringify({ callData: await callData(), isTest: true });
    const response = await deliver(
      body,
      await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'test', test: true });
    expect(queue.jobs).toHaveLength(0);
  });

  it('does not acknowledge when the job could not be stored', async () => {
    queue.failWith = new Error('connection terminated');
    const body = JSON.stringify({ callData: await callData() });
    const response = await deliver(
      body,
      await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL }),
    );
    expect(response.statusCode).toBe(500);
    expect(response.json().error).not.toContain('connection terminated');
  });
});

describe('POST /webhooks/gong refusals', () => {
  it('401 without any credentials, saying what Gong should have sent', async () => {
    const response = await deliver(JSON.stringify({ callData: { metaData: { id: '1' } } }));
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toContain('no Authorization header');
  });

  it('401 for a JWT that is not a JWT', async () => {
    const response = await deliver('{}', 'not-a-jwt');
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toContain('not a well-formed JWT');
  });

  it('accepts the URL key and refuses a wrong one, without echoing either', async () => {
    await urlKeyOnly();
    const body = JSON.stringify({ callData: { metaData: { id: '77' } } });
    expect((await deliver(body, undefined, `?key=${URL_KEY}`)).statusCode).toBe(202);
    const wrong = await deliver(body, undefined, '?key=guess-guess-guess-guess');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toContain('not the configured webhook key');
    expect(wrong.body).not.toContain('guess');
    expect(wrong.body).not.toContain(URL_KEY);
    const twice = await deliver(body, undefined, `?key=${URL_KEY}&key=${URL_KEY}`);
    expect(twice.statusCode).toBe(401);
  });

  it('refuses the URL key alone where signed webhooks are configured, and a wrong one beside a JWT', async () => {
    const body = JSON.stringify({ callData: { metaData: { id: '78' } } });
    const alone = await deliver(body, undefined, `?key=${URL_KEY}`);
    expect(alone.statusCode).toBe(401);
    expect(alone.json().error).toContain('a URL key alone is not accepted');
    const jwt = await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL });
    const wrongBeside = await deliver(body, jwt, '?key=guess-guess-guess-guess');
    expect(wrongBeside.statusCode).toBe(401);
    expect(wrongBeside.json().error).toContain('not the configured webhook key');
    expect((await deliver(body, jwt, `?key=${URL_KEY}`)).statusCode).toBe(202);
    expect(queue.jobs).toHaveLength(1);
  });

  it('refuses a signed token valid for more than an hour, however it was signed', async () => {
    const body = JSON.stringify({ callData: { metaData: { id: '79' } } });
    const yearsAhead = await signWebhook(body, {
      privateKey: keys.privateKey,
      webhookUrl: PUBLIC_URL,
      expiresInSeconds: 3 * 365 * 24 * 3600,
    });
    const refused = await deliver(body, yearsAhead);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toContain('at most 3600 (one hour)');
    const justOver = await signWebhook(body, {
      privateKey: keys.privateKey,
      webhookUrl: PUBLIC_URL,
      expiresInSeconds: 3601,
    });
    expect((await deliver(body, justOver)).statusCode).toBe(401);
    // Claiming to be issued just before its far expiry does not make a token short-lived.
    const now = Math.floor(Date.now() / 1000);
    const forgedIat = await new SignJWT({
      webhook_url: PUBLIC_URL,
      body_sha256: createHash('sha256').update(body).digest('hex'),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuedAt(now + 365 * 24 * 3600 - 60)
      .setExpirationTime(now + 365 * 24 * 3600)
      .sign(keys.privateKey);
    expect((await deliver(body, forgedIat)).statusCode).toBe(401);
    const anHour = await signWebhook(body, {
      privateKey: keys.privateKey,
      webhookUrl: PUBLIC_URL,
      expiresInSeconds: 3600,
    });
    expect((await deliver(body, anHour)).statusCode).toBe(202);
    expect(queue.jobs).toHaveLength(1);
  });

  it('says which method the service expects when the other is sent', async () => {
    await app.close();
    app = await build({ urlKey: URL_KEY });
    const body = JSON.stringify({ callData: { metaData: { id: '77' } } });
    const jwt = await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: PUBLIC_URL });
    const response = await deliver(body, jwt);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toContain('by URL key');
  });

  it('503 with how to enable it when no authentication is configured', async () => {
    await app.close();
    app = await build({});
    const response = await deliver(JSON.stringify({ callData: { metaData: { id: '77' } } }));
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toContain('GONG_WEBHOOK_PUBLIC_KEY');
  });

  it('400 naming the field when an authenticated body is not a Gong call', async () => {
    await urlKeyOnly();
    const cases: [unknown, string][] = [
      [{ callData: {} }, 'callData.metaData'],
      [{ callData: { metaData: { id: 'has spaces' } } }, 'callData.metaData.id'],
      [{ callData: { metaData: { id: '1' }, parties: 'everyone' } }, 'callData.parties'],
      [{ callData: { metaData: { id: '1' } }, isTest: 'yes' }, 'isTest'],
    ];
    for (const [payload, field] of cases) {
      const body = JSON.stringify(payload);
      const response = await deliver(body, undefined, `?key=${URL_KEY}`);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().error, body).toContain(field);
    }
    const broken = await deliver('{"callData": ', undefined, `?key=${URL_KEY}`);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toContain('not valid JSON');
    expect(queue.jobs).toHaveLength(0);
  });

  it('415 for a body that is not JSON', async () => {
    await urlKeyOnly();
    const response = await app.inject({
      method: 'POST',
      url: `${URL_PATH}?key=${URL_KEY}`,
      headers: { 'content-type': 'text/plain' },
      payload: 'callData',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toContain('application/json');
  });

  it('413 before reading a body over the limit', async () => {
    await app.close();
    app = await build({ urlKey: URL_KEY }, 1000);
    const body = JSON.stringify({ callData: { metaData: { id: '1', title: 'x'.repeat(2000) } } });
    const response = await deliver(body, undefined, `?key=${URL_KEY}`);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toContain('limit of 1000 bytes');
  });
});
