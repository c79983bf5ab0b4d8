import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalZoom, type LocalZoom } from '@pipeline-scribe/local-salesforce/zoom';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp } from '../support/ingest-app.js';
import { UNCONFIGURED_RECORDERS, type RecordersConfig } from '../../src/config/recorders-config.js';
import { signDelivery } from '../../src/adapters/recorders/signed-delivery.js';

/**
 * Two web processes on one Postgres (two app instances, one database, no memory shared between
 * them): a delivery taken by one is a replay to the other, for Zoom, the recorders and Graph.
 */

const ZOOM_SECRET = 'zoom-secret-token-0123456789';
const CLIENT_STATE = 'teams-client-state-0123456789';
const RECORDINGS_SECRET = 'recordings-secret-0123456789-abcdefghij';

let db: TestDatabase;
let t: TestOrg;
let zoom: LocalZoom;
let apps: FastifyInstance[] = [];
let urls: string[] = [];
let vtt: string;

const config = (): RecordersConfig => ({
  ...UNCONFIGURED_RECORDERS,
  zoom: { secretToken: ZOOM_SECRET, apiBaseUrl: zoom.url },
  teams: { ...UNCONFIGURED_RECORDERS.teams, clientState: CLIENT_STATE },
  recordingsSecret: RECORDINGS_SECRET,
});

beforeAll(async () => {
  db = await startTestDatabase();
  vtt = await readFile(path.resolve(import.meta.dirname, '../fixtures/formats/zoom.vtt'), 'utf8');
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  await db.database.pool.query('TRUNCATE seen_deliveries');
  t = await startTestOrg();
  zoom = await startLocalZoom({ secretToken: ZOOM_SECRET });
  // The second process only takes deliveries in, as a web process beside a worker does.
  apps = [
    await buildIngestApp(t.config, { db, recorders: config(), worker: false }),
    await buildIngestApp(t.config, { db, recorders: config(), worker: false }),
  ];
  urls = await Promise.all(apps.map((app) => app.listen({ host: '127.0.0.1', port: 0 })));
});

afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await zoom.close();
  await t.org.close();
});

const meeting = {
  topic: 'Litware security review',
  hostEmail: 'sam.ortiz@pipelinescribe.example',
  startTime: '2026-11-30T16:00:00Z',
  durationMinutes: 30,
  vtt: '',
};

describe('a replay to another process on the same database', () => {
  it('refuses a Zoom delivery the other process took, and still takes Zoom’s re-signed retry as a duplicate', async () => {
    const event = zoom.transcriptCompleted({ ...meeting, vtt });
    const timestamp = Date.now();
    zoom.endpointUrl = `${urls[0]}/webhooks/zoom`;
    const first = await zoom.deliver(event, { timestamp });
    expect(first.status).toBe(200);
    zoom.endpointUrl = `${urls[1]}/webhooks/zoom`;
    const replayed = await zoom.deliver(event, { timestamp });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: expect.stringContaining('already used (a replay)') });
    const retried = await zoom.deliver(event, { timestamp: timestamp + 1 });
    expect(retried).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    const metrics = (await apps[1]!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('scribe_recorder_refusals_total{channel="zoom",reason="replayed"} 1');
  });

  it('refuses a recording the other process took', async () => {
    const body = JSON.stringify({
      id: 'call-two-processes',
      title: 'Discovery',
      participants: [{ name: 'Ana Lopez', email: 'ana@fabrikam.com' }],
      segments: [{ speaker: 'Ana Lopez', text: 'We need this live before the renewal.' }],
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const send = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/v1/recordings/scribe',
        headers: {
          'content-type': 'application/json',
          'x-scribe-timestamp': timestamp,
          'x-scribe-signature': signDelivery(RECORDINGS_SECRET, 'v1', timestamp, body),
        },
        payload: body,
      });
    expect((await send(apps[0]!)).statusCode).toBe(202);
    const replayed = await send(apps[1]!);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error).toContain('replay');
  });

  it('takes the same signed delivery once when both processes receive it at the same moment', async () => {
    const event = zoom.transcriptCompleted({ ...meeting, vtt });
    const timestamp = String(Date.now());
    const send = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/zoom',
        headers: {
          'content-type': 'application/json',
          'x-zm-request-timestamp': timestamp,
          'x-zm-signature': signDelivery(ZOOM_SECRET, 'v0', timestamp, event),
        },
        payload: event,
      });
    const answers = await Promise.all([send(apps[0]!), send(apps[1]!), send(apps[0]!), send(apps[1]!)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401, 401]);
  });

  it('acknowledges a Graph notification the other process took without queueing it again', async () => {
    const notification = (id: string) => ({
      value: [
        {
          id,
          subscriptionId: 'b3b9a6a4-0000-4000-8000-000000000001',
          subscriptionExpirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
          changeType: 'created',
          clientState: CLIENT_STATE,
          resource: "communications/onlineMeetings('MSoMeeting1')/transcripts('MSMjMCMjTranscript1')",
          tenantId: 'contoso-tenant',
        },
      ],
    });
    const post = (app: FastifyInstance, body: unknown) =>
      app.inject({ method: 'POST', url: '/webhooks/teams', payload: body as object });
    const first = await post(apps[0]!, notification('n-1'));
    expect(first.statusCode).toBe(202);
    expect(first.json().conversations).toHaveLength(1);
    const replayed = await post(apps[1]!, notification('n-1'));
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json().conversations).toEqual([]);
    // A forged clientState is refused before anything is remembered of it.
    const forged = await post(apps[1]!, {
      value: [{ ...notification('n-2').value[0], clientState: 'someone-else-entirely' }],
    });
    expect(forged.statusCode).toBe(401);
    expect((await post(apps[1]!, notification('n-2'))).json().conversations).toHaveLength(1);
  });
});
