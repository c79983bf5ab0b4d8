import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import rateLimit from '../../src/app/plugins/rate-limit.js';

/**
 * Who counts as one source for the per-source rate: a key the service issued, or else the address.
 * A credential that changes on every request (a forged key, Gong's per-webhook JWT) must not make
 * each request a fresh source with a fresh allowance.
 */

const KEYS = ['first-caller-key-0001', 'second-caller-key-0002'];
let app: FastifyInstance | null = null;
afterEach(async () => app?.close());

async function build(): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  await app.register(rateLimit, { perMinute: 2, orgPerMinute: 1_000, apiKeys: KEYS });
  app.post('/webhook', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const post = (s: FastifyInstance, authorization?: string) =>
  s.inject({ method: 'POST', url: '/webhook', headers: authorization ? { authorization } : {} });

describe('the per-source rate', () => {
  it('gives each issued key its own allowance', async () => {
    const s = await build();
    expect((await post(s, `Bearer ${KEYS[0]}`)).statusCode).toBe(200);
    expect((await post(s, `Bearer ${KEYS[0]}`)).statusCode).toBe(200);
    const third = await post(s, `Bearer ${KEYS[0]}`);
    expect(third.statusCode).toBe(429);
    expect(third.body).toContain('SCRIBE_RATE_LIMIT_PER_MINUTE');
    expect((await post(s, `Bearer ${KEYS[1]}`)).statusCode).toBe(200);
    expect((await post(s)).statusCode).toBe(200);
  });

  it('counts a caller that sends a new credential every time against its address', async () => {
    const s = await build();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await post(s, `Bearer eyJ.made-up-${i}.sig`)).statusCode);
    expect(codes).toEqual([200, 200, 429, 429]);
    // The address's allowance is spent whatever the caller sends next, unless it is an issued key.
    expect((await post(s)).statusCode).toBe(429);
    expect((await post(s, `Bearer ${KEYS[1]}`)).statusCode).toBe(200);
  });
});
