import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import Fastify, { type FastifyInstance, type HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/app/app.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { MISSING_KEY } from '../../src/app/plugins/api-key.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { sampleBody, startTestOrg, type TestOrg } from '../support/local-org.js';
import { GONG_PUBLIC_URL } from '../support/ingest-app.js';

/**
 * Who reaches which handler, tried as an attacker would: the whole service (every route it
 * registers) with an API key, and every way of spelling a /v1 path the router might decode,
 * normalize or ignore, over inject() and over a real socket for request lines inject cannot send.
 * A probe at the last hook before the handlers records every request that got there: without the
 * key, none may reach a route other than the open probes and Gong's self-authenticated webhook.
 */

const KEY = 'the-current-key-0123456789';
const OLD_KEY = 'the-previous-key-987654321';
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
/** Routes no key opens; everything else the service registers asks for one. */
const OPEN = new Set([
  '/healthz',
  '/readyz',
  '/webhooks/gong',
  // Zoom's, Graph's and the recorders' deliveries carry their own proof (a signature, the clientState).
  '/webhooks/zoom',
  '/webhooks/teams',
  '/v1/recordings/:tool',
  // The admin's browser back from Salesforce: its single-use state is the proof.
  '/oauth/callback',
]);

let db: TestDatabase;
let t: TestOrg;
let server: FastifyInstance;
const routes: string[] = [];
/** `METHOD route` of every request that reached the handler stage. */
let reached: string[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  server = Fastify({ logger: false });
  server.addHook('onRoute', (route) => {
    routes.push(`${String(route.method)} ${route.url}`);
  });
  server.addHook('preHandler', async (request) => {
    // The not-found handler passes the hooks too; it serves nothing.
    if (!request.is404) reached.push(`${request.method} ${request.routeOptions.url}`);
  });
  await server.register(fp(app), {
    salesforce: t.config,
    extractor: new EmbeddedExtractor(),
    apiKey: KEY,
    apiKeys: [OLD_KEY],
    queue: db.settings(),
    database: db.database,
    worker: false,
    gong: {
      webhook: { publicKey: null, webhookUrl: GONG_PUBLIC_URL, urlKey: 'the-gong-url-key-0123456789' },
      api: {
        baseUrl: 'http://127.0.0.1:9',
        auth: null,
        requestsPerSecond: 3,
        timeoutMs: 1000,
        maxRetries: 0,
      },
    },
    voiceMemos: { transcriber: null, maxBytes: 64 * 1024 },
    // Multi-org mode, so its routes (connect, status, disconnect) are checked with the rest.
    tenancy: {
      mode: 'multi',
      keys: { current: randomBytes(32), previous: [] },
      oauth: {
        clientId: 'PipelineScribeServiceEca',
        clientSecret: null,
        callbackUrl: 'https://scribe.example.com/oauth/callback',
        loginUrl: 'https://login.salesforce.com',
      },
      stateTtlMs: 600_000,
      erasureGraceMs: 86_400_000,
      maxOrgMetricLabels: 10,
    },
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await t?.org.close();
  await db?.stop();
});

beforeEach(() => {
  reached = [];
});

/** Requests that got past authentication to a handler that needs the key. */
const closedReached = () => reached.filter((r) => !OPEN.has(r.slice(r.indexOf(' ') + 1)));

const stored = async () =>
  Number((await db.database.pool.query('SELECT count(*) FROM conversations')).rows[0].count);

/** The raw answer to a request line as written, through a real socket. */
function rawRequest(requestLine: string, headers: Record<string, string> = {}): Promise<string> {
  const address = server.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    const head = Object.entries({
      host: `127.0.0.1:${address.port}`,
      'content-type': 'application/json',
      'content-length': '2',
      connection: 'close',
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`${requestLine}\r\n${head}\r\n{}`);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

/** The status inject() answers, or 0 when the URL is one it refuses to send at all. */
async function injected(method: HTTPMethods, url: string): Promise<number> {
  try {
    const response = await server.inject({
      method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: ['GET', 'HEAD', 'OPTIONS'].includes(method) ? undefined : '{}',
    });
    return response.statusCode;
  } catch {
    return 0;
  }
}

/** Every spelling of a path a router or proxy may take to mean it. */
function spellings(path: string): string[] {
  const [first, ...rest] = path.slice(1).split('/');
  const encodeAll = (s: string) =>
    [...s].map((c) => (c === '/' ? c : `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  return [
    path,
    `/%${first!.charCodeAt(0).toString(16)}${path.slice(2)}`,
    `/%${first!.charCodeAt(0).toString(16).toUpperCase()}${path.slice(2)}`,
    encodeAll(path),
    path.replace(/\//g, '%2F'),
    path.replace(/\//g, '%2f').replace(/^%2f/, '/'),
    `/${path}`,
    path.replace(/\//g, '//'),
    `/.${path}`,
    `/x/..${path}`,
    `/%2e${path}`,
    `/x/%2e%2e${path}`,
    path.replace(/\//g, '/./'),
    path.toUpperCase(),
    path.replace(/^\/./, (c) => c.toUpperCase()),
    `${path}/`,
    `${path}//`,
    `${path};a=b`,
    `/${first};x${rest.length ? `/${rest.join('/')}` : ''}`,
    `${path}?key=${KEY}`,
    `${path}?api_key=${KEY}&access_token=${KEY}`,
    `${path}%00`,
    `${path}%20`,
    `${path}#frag`,
    path.replace(/\//g, '\\'),
  ];
}

const CLOSED_PATHS = [
  '/v1/conversations',
  '/v1/conversations/c_0123456789abcdef',
  '/v1/voice-memos',
  '/metrics',
  '/health/ready',
  '/health/live',
];

describe('route access', () => {
  it('asks for the key on every route the service registers but the probes and the Gong webhook', async () => {
    const registered = routes.filter((r) => !r.startsWith('HEAD '));
    expect(registered.length).toBeGreaterThan(6);
    for (const route of registered) {
      const [method, url] = route.split(' ') as [HTTPMethods, string];
      const path = url.replace(/:(\w+)/g, 'x_$1');
      for (const m of method === 'GET' ? (['GET', 'HEAD'] as const) : [method]) {
        const response = await server.inject({
          method: m,
          url: path,
          payload: m === 'POST' ? {} : undefined,
        });
        // Open routes may still refuse (Gong's webhook checks its own signature), but not for the key.
        if (OPEN.has(url)) expect(response.body, `${m} ${path}`).not.toContain(MISSING_KEY);
        else {
          expect(response.statusCode, `${m} ${path}`).toBe(401);
          if (m !== 'HEAD') expect(response.json()).toEqual({ error: MISSING_KEY });
          expect(response.headers['www-authenticate']).toBe('Bearer');
        }
      }
    }
    expect(closedReached()).toEqual([]);
    expect(reached.length).toBeGreaterThan(0);
  });

  it('lets none of the encoded, doubled, dotted, cased, slashed or parameterised spellings through, with any method', async () => {
    for (const path of CLOSED_PATHS) {
      for (const url of spellings(path)) {
        for (const method of METHODS) {
          const status = await injected(method, url);
          expect([0, 400, 401, 404], `${method} ${url}`).toContain(status);
        }
      }
    }
    expect(closedReached()).toEqual([]);
    expect(await stored()).toBe(0);
  });

  it('does the same over a real socket, absolute-form request lines included', async () => {
    const lines: string[] = [];
    for (const path of CLOSED_PATHS) {
      for (const url of spellings(path)) {
        for (const method of METHODS) {
          lines.push(`${method} ${url} HTTP/1.1`);
          lines.push(`${method} http://127.0.0.1${url} HTTP/1.1`);
          lines.push(`${method} http://attacker.example:80${url} HTTP/1.1`);
        }
      }
    }
    lines.push('POST HTTP://127.0.0.1/v1/conversations HTTP/1.1', 'POST *//v1/conversations HTTP/1.1');
    for (const line of lines) {
      const status = statusOf(await rawRequest(line));
      expect([400, 401, 404, 505], `${line}: ${status}`).toContain(status);
    }
    expect(closedReached()).toEqual([]);
    expect(await stored()).toBe(0);
  });

  it('answers an unknown route 404 without repeating anything that was sent', async () => {
    const response = await server.inject({ method: 'POST', url: '/v2/%3Cscript%3Econversations?x=<b>' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not found' });
    const raw = await rawRequest('DELETE http://127.0.0.1/admin/<secret-path> HTTP/1.1');
    expect([400, 404]).toContain(statusOf(raw));
    expect(raw).not.toContain('secret-path');
  });

  it('generated spellings never reach a handler that needs the key (fast-check)', async () => {
    const segmentSpelling = fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => `${s};p=1`,
      (s: string) => `./${s}`,
      (s: string) => `z/../${s}`,
      (s: string) => `%2e/${s}`,
      (s: string) => `${s}/`,
      (s: string) => `/${s}`,
    );
    const encodeSome = (s: string, mask: number) =>
      [...s]
        .map((c, i) => ((mask >> (i % 31)) & 1 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
        .join('');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CLOSED_PATHS),
        fc.constantFrom(...METHODS),
        fc.array(segmentSpelling, { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.constantFrom('', '?', '?a=1', `?key=${KEY}`, '#x', '/'),
        fc.constantFrom('inject', 'absolute', 'socket'),
        async (path, method, spell, mask, tail, how) => {
          // Each run on its own, so a counterexample names the request that got through.
          reached = [];
          const segments = path.slice(1).split('/');
          const url = `/${segments.map((s, i) => encodeSome(spell[i % spell.length]!(s), mask >> i)).join('/')}${tail}`;
          const status =
            how === 'inject'
              ? await injected(method, url)
              : statusOf(
                  await rawRequest(
                    `${method} ${how === 'absolute' ? `http://127.0.0.1${url}` : url} HTTP/1.1`,
                  ),
                );
          expect([0, 400, 401, 404], `${how} ${method} ${url}`).toContain(status);
          expect(closedReached(), `${how} ${method} ${url}`).toEqual([]);
        },
      ),
      { numRuns: 600 },
    );
    expect(await stored()).toBe(0);
  });

  it('accepts the current key and the previous one while it is rotated, and nothing like them', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    const post = (authorization?: string, url = '/v1/conversations') =>
      server.inject({
        method: 'POST',
        url,
        headers: authorization === undefined ? {} : { authorization },
        payload: body,
      });
    const near = [
      `Bearer ${KEY.slice(0, -1)}`,
      `Bearer ${KEY}x`,
      `Bearer ${KEY.slice(0, -1)}X`,
      `Bearer ${KEY},${OLD_KEY}`,
      `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}`,
      KEY,
      `Bearer`,
      `Bearer  `,
      `Token ${KEY}`,
    ];
    for (const authorization of near) {
      expect((await post(authorization)).statusCode, authorization).toBe(401);
    }
    expect((await post(undefined, `/v1/conversations?key=${KEY}`)).statusCode).toBe(401);
    expect(closedReached()).toEqual([]);
    expect(await stored()).toBe(0);

    expect((await post(`Bearer ${KEY}`)).statusCode).toBe(202);
    expect((await post(`bearer ${OLD_KEY}`)).statusCode).toBe(202);
    // The probe sees what the key lets through: the router decoded the "v".
    expect((await post(`Bearer ${KEY}`, '/%761/conversations')).statusCode).toBe(202);
    expect(await stored()).toBe(1);
    expect(closedReached()).toEqual([
      'POST /v1/conversations',
      'POST /v1/conversations',
      'POST /v1/conversations',
    ]);
    await db.reset();
  });

  it('keeps liveness and readiness open, and asks for the key on /metrics', async () => {
    expect((await server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/readyz' })).statusCode).not.toBe(401);
    expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const metrics = await server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('# HELP');
  });
});
