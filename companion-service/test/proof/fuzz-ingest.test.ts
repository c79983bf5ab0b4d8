import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp, GONG_PUBLIC_URL } from '../support/ingest-app.js';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';
import { OpenAiTranscriber } from '../../src/adapters/transcription/openai-transcriber.js';
import {
  startFakeTranscription,
  type FakeTranscriptionServer,
} from '../adapters/transcription/fake-transcription-server.js';

/**
 * Bad input, generated: over 10,000 payloads (fast-check) across POST /v1/conversations, /webhooks/gong
 * and /v1/voice-memos, sent through the whole service (real Postgres enqueue; the worker off so that
 * nothing reaches the org). No payload may cause a 5xx, and every 4xx must say what is wrong.
 */

const URL_KEY = 'fuzz-url-key-0123456789abcdef';
const keys = webhookKeys();
const RUNS = { conversations: 4000, gong: 3500, voice: 2600 };

let db: TestDatabase;
let t: TestOrg;
let transcription: FakeTranscriptionServer;
let app: FastifyInstance;
let sent = 0;
let firstSentAt = 0;
/** Status codes seen per endpoint: the run must reach past validation, not only bounce off it. */
const seen: Record<string, Record<number, number>> = {};

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  // Like the real endpoint: audio it cannot decode is a 400 "Invalid file format".
  transcription = await startFakeTranscription((r) =>
    r.bytes.subarray(0, 4).toString('latin1') === 'RIFF'
      ? { text: r.bytes.length % 7 === 0 ? '' : 'Spoke with Dana at Litware about the budget.' }
      : { status: 400, message: 'Invalid file format.' },
  );
  app = await buildIngestApp(t.config, {
    db,
    worker: false,
    gong: {
      webhook: { publicKey: keys.publicKeyPem, webhookUrl: GONG_PUBLIC_URL, urlKey: URL_KEY },
      api: {
        baseUrl: 'http://127.0.0.1:9',
        auth: null,
        requestsPerSecond: 3,
        timeoutMs: 1000,
        maxRetries: 0,
      },
    },
    voiceMemos: {
      transcriber: new OpenAiTranscriber({
        baseURL: transcription.baseURL,
        apiKey: 'k',
        model: 'whisper-1',
        timeoutMs: 5000,
      }),
      maxBytes: 64 * 1024,
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await transcription?.close();
  await t?.org.close();
  await db?.stop();
});

/** A 4xx explains itself: an error sentence naming a field ("field: problem") or the problem. */
function explained(response: LightMyRequestResponse): string | null {
  if (response.statusCode >= 500) return `answered ${response.statusCode}: ${response.body.slice(0, 300)}`;
  if (response.statusCode < 400) return null;
  let body: { error?: unknown };
  try {
    body = response.json();
  } catch {
    return `a ${response.statusCode} whose body is not JSON: ${response.body.slice(0, 200)}`;
  }
  const error = typeof body.error === 'string' ? body.error : '';
  if (error.length < 15)
    return `a ${response.statusCode} that does not say what is wrong: ${JSON.stringify(body)}`;
  const namesField = /^[\w.\-[\]]+: \S/.test(error) || error.includes('; ');
  const namesProblem =
    /json|content-type|limit|too large|not authenticated|recording|not enabled|media type|body|empty|JWT|key/i.test(
      error,
    );
  return namesField || namesProblem
    ? null
    : `a ${response.statusCode} naming neither field nor problem: ${error}`;
}

async function check(response: LightMyRequestResponse, what: string) {
  if (sent++ === 0) firstSentAt = performance.now();
  const endpoint = what.split(/[ ?]/)[1] ?? what;
  seen[endpoint] ??= {};
  seen[endpoint][response.statusCode] = (seen[endpoint][response.statusCode] ?? 0) + 1;
  const problem = explained(response);
  if (problem) throw new Error(`${what} → ${problem}`);
}

const id = fc.oneof(
  fc.stringMatching(/^006[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/),
  fc.string({ maxLength: 25 }),
  fc.integer(),
  fc.constant(null),
);
const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constant(''),
  fc.constant('Dana: budget is 80k'),
);
const date = fc.oneof(
  fc.constant('2026-03-12'),
  fc.constant('2026-02-30'),
  fc.string({ maxLength: 12 }),
  fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
  fc.integer(),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Bodies that are nearly or wholly right, so the run also exercises what lies past validation. */
const plausibleNotes = fc.record(
  {
    content: fc.string({ minLength: 1, maxLength: 400 }),
    meetingDate: fc.constantFrom('2026-03-12', '2026-01-31'),
    opportunityId: fc.constant('006Dn00000A1b2cIAB'),
    title: fc.string({ minLength: 1, maxLength: 80 }),
  },
  { requiredKeys: ['content'] },
);

const conversationBody = fc.oneof(
  anyJson,
  plausibleNotes,
  fc.record(
    {
      content: fc.oneof(text, anyJson),
      gong: fc.oneof(anyJson, fc.record({ callTranscripts: fc.array(anyJson, { maxLength: 3 }) })),
      sourceId: fc.oneof(text, fc.stringMatching(/^[A-Za-z0-9:._@-]{1,40}$/)),
      source: fc.oneof(
        fc.constantFrom('Gong Call', 'Meeting', 'Email', 'Notes', 'Voice Memo', 'Fax'),
        anyJson,
      ),
      opportunityId: id,
      accountId: id,
      meetingDate: date,
      title: fc.oneof(text, fc.string({ minLength: 81, maxLength: 120 })),
    },
    { requiredKeys: [] },
  ),
);

const rawOrJson = (body: fc.Arbitrary<unknown>) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: body.map((b) => ({ payload: JSON.stringify(b) ?? 'null', type: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 80 }).map((s) => ({ payload: s, type: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.string({ maxLength: 80 }),
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'multipart/form-data',
            'application/x-www-form-urlencoded',
            '',
          ),
        )
        .map(([s, type]) => ({ payload: s, type })),
    },
  );

const party = fc.record(
  {
    id: id,
    name: fc.oneof(text, fc.integer()),
    title: text,
    emailAddress: text,
    speakerId: id,
    affiliation: fc.oneof(fc.constantFrom('Internal', 'External', 'Unknown'), text),
  },
  { requiredKeys: [] },
);
const callData = fc.oneof(
  anyJson,
  fc.record(
    {
      metaData: fc.oneof(
        anyJson,
        fc.record({ id, title: text, started: date, url: text }, { requiredKeys: [] }),
      ),
      parties: fc.oneof(fc.array(party, { maxLength: 4 }), anyJson),
      context: fc.oneof(
        anyJson,
        fc.array(
          fc.record({
            system: text,
            objects: fc.array(fc.record({ objectType: text, objectId: id }), { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);
const plausibleCall = fc.record({
  callData: fc.record(
    {
      metaData: fc.record(
        { id: fc.stringMatching(/^[0-9]{5,19}$/), title: text, started: date },
        { requiredKeys: ['id'] },
      ),
      parties: fc.array(party, { maxLength: 4 }),
    },
    { requiredKeys: ['metaData'] },
  ),
  isTest: fc.boolean(),
});
const gongBody = fc.oneof(
  anyJson,
  plausibleCall,
  fc.record({ callData, isTest: fc.oneof(fc.boolean(), anyJson) }, { requiredKeys: [] }),
);
const gongAuth = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'url-key' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'jwt' as const }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((value) => ({ kind: 'header' as const, value })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((value) => ({ kind: 'query' as const, value })) },
);

const AUDIO = [
  'audio/wav',
  'audio/mpeg',
  'audio/webm',
  'audio/ogg',
  'audio/mp4',
  'audio/x-wav',
  'audio/wave',
];
const audioBytes = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.concat([Buffer.from('RIFF'), Buffer.from(b)])),
  fc.constant(Buffer.alloc(0)),
);
const voiceQuery = fc.oneof(
  fc.constant({}),
  fc.record(
    { opportunityId: fc.constant('006Dn00000A1b2cIAB'), recordedAt: fc.constant('2026-03-12T17:05:00Z') },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      opportunityId: id,
      recordedAt: date,
      title: fc.oneof(text, fc.string({ minLength: 81, maxLength: 100 })),
    },
    { requiredKeys: [] },
  ),
);

function query(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) search.append(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

describe('generated bad input', () => {
  it(`POST /v1/conversations: ${RUNS.conversations} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(
        rawOrJson(conversationBody),
        fc.option(fc.string({ maxLength: 220 })),
        async ({ payload, type }, key) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          if (key !== null) headers['idempotency-key'] = key.replace(/[\r\n]/g, '');
          const response = await app.inject({ method: 'POST', url: '/v1/conversations', headers, payload });
          await check(response, `POST /v1/conversations ${payload.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS.conversations },
    );
  }, 300_000);

  it(`POST /webhooks/gong: ${RUNS.gong} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(rawOrJson(gongBody), gongAuth, async ({ payload, type }, auth) => {
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        let url = '/webhooks/gong';
        if (auth.kind === 'url-key') url += `?key=${URL_KEY}`;
        if (auth.kind === 'query') url += `?key=${encodeURIComponent(auth.value)}`;
        // Signed rules are configured too, where a URL key alone is refused: it goes beside a JWT.
        if (auth.kind === 'jwt' || auth.kind === 'url-key')
          headers.authorization = await signWebhook(payload, {
            privateKey: keys.privateKey,
            webhookUrl: GONG_PUBLIC_URL,
          });
        if (auth.kind === 'header') headers.authorization = auth.value.replace(/[\r\n]/g, '');
        const response = await app.inject({ method: 'POST', url, headers, payload });
        await check(response, `POST ${url.replace(URL_KEY, '<key>')} ${payload.slice(0, 200)}`);
      }),
      {
        numRuns: RUNS.gong,
        // Found by an earlier run: a NUL in a JSON string, which Postgres's jsonb cannot keep.
        examples: [
          [
            {
              payload: '{"callData":{"metaData":{"id":"00000","title":"\\u0000"}},"isTest":false}',
              type: 'application/json',
            },
            { kind: 'url-key' },
          ],
        ],
      },
    );
  }, 300_000);

  it(`POST /v1/voice-memos: ${RUNS.voice} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(
        audioBytes,
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...AUDIO) },
          { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'video/mp4', '') },
        ),
        voiceQuery,
        fc.option(fc.string({ maxLength: 210 })),
        async (audio, type, params, key) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          if (key !== null) headers['idempotency-key'] = key.replace(/[\r\n]/g, '');
          const url = `/v1/voice-memos${query(params)}`;
          const response = await app.inject({ method: 'POST', url, headers, payload: audio });
          await check(response, `POST ${url} (${type}, ${audio.length} bytes)`);
        },
      ),
      { numRuns: RUNS.voice },
    );
  }, 300_000);

  it('refuses oversize bodies early, with 413 and the limit', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 0x61);
    const cases = [
      { url: '/v1/conversations', type: 'application/json' },
      { url: `/webhooks/gong?key=${URL_KEY}`, type: 'application/json' },
      { url: '/v1/voice-memos', type: 'audio/wav' },
    ];
    for (const { url, type } of cases) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': type },
        payload: big,
      });
      expect(response.statusCode, url).toBe(413);
      await check(response, `oversize ${url}`);
    }
    // Declared too large: refused on the header, before a byte is read.
    const declared = await app.inject({
      method: 'POST',
      url: '/v1/voice-memos',
      headers: { 'content-type': 'audio/wav', 'content-length': String(512 * 1024 * 1024) },
      payload: Buffer.from('RIFF'),
    });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().error).toContain('limit');
  });
});

describe('the fuzz run', () => {
  it('sent at least 10,000 payloads, accepted some and refused many for different reasons', () => {
    const seconds = (performance.now() - firstSentAt) / 1000;
    console.info(
      `fuzz: ${sent} payloads in ${seconds.toFixed(1)} s; status codes by endpoint: ${JSON.stringify(seen)}`,
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    const codes = (endpoint: string) => Object.keys(seen[endpoint] ?? {}).map(Number);
    expect(codes('/v1/conversations')).toEqual(expect.arrayContaining([202, 400, 415]));
    expect(codes('/webhooks/gong')).toEqual(expect.arrayContaining([202, 400, 401, 415]));
    expect(codes('/v1/voice-memos')).toEqual(expect.arrayContaining([202, 400, 415, 422]));
  });
});
