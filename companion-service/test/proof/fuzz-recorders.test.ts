import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoomSignature } from '@pipeline-scribe/local-salesforce/zoom';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp } from '../support/ingest-app.js';
import { signDelivery } from '../../src/adapters/recorders/signed-delivery.js';

/**
 * Bad input, generated, for the recorder channels: Zoom webhooks, Graph notifications and
 * POST /v1/recordings, mostly signed right (so the run reaches past the signature check) with
 * payloads from nearly right to nonsense, through the whole service (real Postgres enqueue; the
 * worker off). No payload may cause a 5xx, and every 4xx must say what is wrong.
 */

const ZOOM_SECRET = 'fuzz-zoom-secret-0123456789';
const CLIENT_STATE = 'fuzz-client-state-0123456789';
const RECORDINGS_SECRET = 'fuzz-recordings-secret-0123456789-abcdef';
const RUNS = { zoom: 1500, teams: 1500, recordings: 1500 };

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;
const seen: Record<string, Record<number, number>> = {};
let clock = Date.now();

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  app = await buildIngestApp(t.config, {
    db,
    worker: false,
    recorders: {
      zoom: { secretToken: ZOOM_SECRET, apiBaseUrl: 'https://zoom.us' },
      teams: {
        clientState: CLIENT_STATE,
        credentials: null,
        graphBaseUrl: 'https://graph.microsoft.com/v1.0',
        loginBaseUrl: 'https://login.microsoftonline.com',
      },
      recordingsSecret: RECORDINGS_SECRET,
      maxSkewSeconds: 300,
      timeoutMs: 1000,
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.org.close();
  await db?.stop();
});

function check(response: LightMyRequestResponse, endpoint: string, what: string): void {
  seen[endpoint] ??= {};
  seen[endpoint][response.statusCode] = (seen[endpoint][response.statusCode] ?? 0) + 1;
  if (response.statusCode >= 500)
    throw new Error(`${what} → ${response.statusCode}: ${response.body.slice(0, 300)}`);
  if (response.statusCode < 400) return;
  const error = (() => {
    try {
      return String((response.json() as { error?: unknown }).error ?? '');
    } catch {
      return '';
    }
  })();
  if (error.length < 15)
    throw new Error(`${what} → a ${response.statusCode} that does not say what is wrong: ${response.body}`);
}

const text = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constant(''),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const file = fc.record(
  {
    id: fc.oneof(fc.uuid(), text),
    file_type: fc.oneof(fc.constantFrom('TRANSCRIPT', 'MP4', 'M4A', 'CHAT'), text),
    file_extension: fc.constantFrom('VTT', 'MP4'),
    download_url: fc.oneof(fc.constant('https://zoom.us/rec/download/abc'), fc.webUrl(), text),
  },
  { requiredKeys: [] },
);
const zoomBody = fc.oneof(
  anyJson,
  fc.record({
    event: fc.constant('endpoint.url_validation'),
    payload: fc.record({ plainToken: fc.oneof(text, anyJson) }, { requiredKeys: [] }),
  }),
  fc.record(
    {
      event: fc.oneof(
        fc.constant('recording.transcript_completed'),
        fc.constantFrom('meeting.ended', 'recording.completed'),
        text,
      ),
      event_ts: fc.oneof(fc.nat(), anyJson),
      payload: fc.record(
        {
          account_id: text,
          object: fc.record(
            {
              uuid: fc.oneof(fc.base64String({ minLength: 4, maxLength: 24 }), text),
              id: fc.oneof(fc.nat(), text),
              topic: text,
              host_email: fc.oneof(fc.emailAddress(), text),
              start_time: fc.oneof(fc.constant('2026-11-30T16:00:00Z'), text),
              recording_files: fc.oneof(fc.array(file, { maxLength: 3 }), anyJson),
            },
            { requiredKeys: ['uuid', 'recording_files'] },
          ),
        },
        { requiredKeys: ['object'] },
      ),
      download_token: fc.oneof(fc.base64String({ minLength: 4, maxLength: 60 }), text),
    },
    { requiredKeys: ['event'] },
  ),
);
const notification = fc.record(
  {
    subscriptionId: fc.oneof(fc.uuid(), text),
    changeType: fc.oneof(fc.constantFrom('created', 'updated', 'deleted'), text),
    lifecycleEvent: fc.constantFrom('reauthorizationRequired', 'subscriptionRemoved', 'missed'),
    clientState: fc.oneof(
      { weight: 5, arbitrary: fc.constant(CLIENT_STATE) },
      { weight: 1, arbitrary: text },
    ),
    resource: fc.oneof(
      fc
        .tuple(
          fc.base64String({ minLength: 4, maxLength: 30 }),
          fc.base64String({ minLength: 4, maxLength: 30 }),
        )
        .map(([m, tr]) => `communications/onlineMeetings('${m}')/transcripts('${tr}')`),
      text,
    ),
    tenantId: text,
  },
  { requiredKeys: ['subscriptionId', 'clientState'] },
);
const teamsBody = fc.oneof(
  anyJson,
  fc.record({ value: fc.oneof(fc.array(notification, { maxLength: 3 }), anyJson) }),
);
const participant = fc.record(
  {
    name: text,
    email: fc.oneof(fc.emailAddress(), text),
    phone: text,
    region: fc.oneof(fc.constantFrom('US-CA', 'US-NY', 'DE', 'us-wa'), text),
  },
  { requiredKeys: [] },
);
const recordingBody = fc.oneof(
  anyJson,
  fc.record(
    {
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.nat(), anyJson),
      title: fc.oneof(text, fc.nat()),
      startedAt: fc.oneof(fc.constant('2026-11-30T16:00:00Z'), text, fc.nat()),
      participants: fc.oneof(fc.array(participant, { maxLength: 3 }), anyJson),
      segments: fc.oneof(
        fc.array(
          fc.record({
            speaker: fc.oneof(text, fc.nat()),
            text: fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), anyJson),
          }),
          { maxLength: 4 },
        ),
        anyJson,
      ),
      consentRecorded: fc.oneof(fc.boolean(), anyJson),
    },
    { requiredKeys: ['id', 'segments'] },
  ),
);
/** Mostly signed right, so the payload is what is tried; sometimes unsigned, stale or forged. */
const signing = fc.constantFrom('right', 'right', 'right', 'right', 'none', 'stale', 'forged');

describe('generated bad input for the recorder channels', () => {
  it(`POST /webhooks/zoom: ${RUNS.zoom} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(zoomBody, signing, async (body, how) => {
        const payload = JSON.stringify(body) ?? 'null';
        const timestamp = String(how === 'stale' ? clock - 3_600_000 : (clock += 1));
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (how !== 'none') {
          headers['x-zm-request-timestamp'] = timestamp;
          headers['x-zm-signature'] = zoomSignature(
            how === 'forged' ? 'other-secret' : ZOOM_SECRET,
            timestamp,
            payload,
          );
        }
        const response = await app.inject({ method: 'POST', url: '/webhooks/zoom', headers, payload });
        check(response, 'zoom', `POST /webhooks/zoom (${how}) ${payload.slice(0, 200)}`);
        if (
          how === 'right' &&
          (body as { event?: unknown })?.event === 'endpoint.url_validation' &&
          response.statusCode === 200
        ) {
          const { plainToken, encryptedToken } = response.json() as {
            plainToken: string;
            encryptedToken: string;
          };
          expect(encryptedToken).toBe(createHmac('sha256', ZOOM_SECRET).update(plainToken).digest('hex'));
        }
      }),
      { numRuns: RUNS.zoom },
    );
  }, 300_000);

  it(`POST /webhooks/teams: ${RUNS.teams} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(teamsBody, fc.option(text, { freq: 8 }), async (body, validationToken) => {
        const url =
          validationToken === null
            ? '/webhooks/teams'
            : `/webhooks/teams?validationToken=${encodeURIComponent(validationToken)}`;
        const payload = JSON.stringify(body) ?? 'null';
        const response = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        check(response, 'teams', `POST ${url} ${payload.slice(0, 200)}`);
        if (validationToken && response.statusCode === 200) {
          expect(response.headers['content-type']).toMatch(/^text\/plain/);
          expect(response.body).toBe(validationToken);
        }
      }),
      { numRuns: RUNS.teams },
    );
  }, 300_000);

  it(`POST /v1/recordings/scribe: ${RUNS.recordings} payloads, no 5xx, every 4xx explains itself`, async () => {
    await fc.assert(
      fc.asyncProperty(recordingBody, signing, async (body, how) => {
        const payload = JSON.stringify(body) ?? 'null';
        const seconds = Math.floor(Date.now() / 1000);
        const timestamp = String(how === 'stale' ? seconds - 3600 : seconds);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (how !== 'none') {
          headers['x-scribe-timestamp'] = timestamp;
          headers['x-scribe-signature'] = signDelivery(
            how === 'forged' ? 'other' : RECORDINGS_SECRET,
            'v1',
            timestamp,
            payload,
          );
        }
        const response = await app.inject({ method: 'POST', url: '/v1/recordings/scribe', headers, payload });
        check(response, 'recordings', `POST /v1/recordings/scribe (${how}) ${payload.slice(0, 200)}`);
      }),
      { numRuns: RUNS.recordings },
    );
  }, 300_000);

  it('reached past validation on every channel and refused for different reasons', () => {
    console.info(`fuzz-recorders: status codes by channel: ${JSON.stringify(seen)}`);
    const codes = (channel: string) => Object.keys(seen[channel] ?? {}).map(Number);
    expect(codes('zoom')).toEqual(expect.arrayContaining([200, 400, 401]));
    expect(codes('teams')).toEqual(expect.arrayContaining([200, 202, 400, 401]));
    expect(codes('recordings')).toEqual(expect.arrayContaining([202, 400, 401]));
  });
});
