import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalZoom, type LocalZoom } from '@pipeline-scribe/local-salesforce/zoom';
import { startLocalGraph, type LocalGraph } from '@pipeline-scribe/local-salesforce/graph';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp, settle } from '../support/ingest-app.js';
import { UNCONFIGURED_RECORDERS, type RecordersConfig } from '../../src/config/recorders-config.js';
import { signDelivery } from '../../src/adapters/recorders/signed-delivery.js';

/**
 * Zoom, Teams and the other recorders end to end over loopback: the local Zoom and the local Graph
 * deliver signed webhooks to the listening service, the jobs wait in a real Postgres, the worker
 * downloads the transcripts from the emulators and writes to the local org.
 */

const ZOOM_SECRET = 'zoom-secret-token-0123456789';
const CLIENT_STATE = 'teams-client-state-0123456789';
const RECORDINGS_SECRET = 'recordings-secret-0123456789-abcdefghij';
const TEAMS = { tenantId: 'contoso-tenant', clientId: 'scribe-app', clientSecret: 'graph-secret' };
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

let db: TestDatabase;
let t: TestOrg;
let zoom: LocalZoom;
let graph: LocalGraph;
let app: FastifyInstance;
let vtt: string;

function recorders(overrides: Partial<RecordersConfig> = {}): RecordersConfig {
  return {
    zoom: { secretToken: ZOOM_SECRET, apiBaseUrl: zoom.url },
    teams: {
      clientState: CLIENT_STATE,
      credentials: TEAMS,
      graphBaseUrl: graph.graphUrl,
      loginBaseUrl: graph.url,
    },
    recordingsSecret: RECORDINGS_SECRET,
    maxSkewSeconds: 300,
    timeoutMs: 5000,
    ...overrides,
  };
}

async function listen(config: RecordersConfig): Promise<void> {
  app = await buildIngestApp(t.config, { db, recorders: config });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  zoom.endpointUrl = `${url}/webhooks/zoom`;
  graph.notificationUrl = `${url}/webhooks/teams`;
}

async function refusals(): Promise<string> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('scribe_recorder_refusals_total{') || line.startsWith('scribe_teams_lifecycle'),
    )
    .join('\n');
}

const meeting = (topic: string) => ({
  topic,
  hostEmail: 'sam.ortiz@pipelinescribe.example',
  startTime: '2026-11-30T16:00:00Z',
  durationMinutes: 30,
  vtt,
});

async function conversationsWith(sourceId: string) {
  return (
    await t.admin.query<Record<string, unknown>>(
      `SELECT Id, Source__c, Processing_Status__c FROM Conversation__c WHERE Source_Id__c = '${sourceId}'`,
    )
  ).records;
}

function signedRecording(tool: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return app.inject({
    method: 'POST',
    url: `/v1/recordings/${tool}`,
    headers: {
      'content-type': 'application/json',
      'x-scribe-timestamp': String(timestamp),
      'x-scribe-signature': signDelivery(RECORDINGS_SECRET, 'v1', String(timestamp), body),
    },
    payload: body,
  });
}

beforeAll(async () => {
  db = await startTestDatabase();
  vtt = await readFile(path.join(FIXTURES, 'formats/zoom.vtt'), 'utf8');
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  await db.database.pool.query('TRUNCATE seen_deliveries, graph_subscriptions');
  t = await startTestOrg();
  zoom = await startLocalZoom({ secretToken: ZOOM_SECRET });
  graph = await startLocalGraph({ ...TEAMS, clientState: CLIENT_STATE });
});

afterEach(async () => {
  await app?.close();
  await zoom.close();
  await graph.close();
  await t.org.close();
});

describe('Zoom', () => {
  it("answers Zoom's URL validation, then takes a completed transcript once, however often Zoom sends it", async () => {
    await listen(recorders());
    expect(await zoom.validateEndpoint()).toBe(true);
    const event = zoom.transcriptCompleted(meeting('Litware security review'));
    const first = await zoom.deliver(event);
    expect(first.status).toBe(200);
    const { id } = first.body as { id: string; status: string };
    expect(first.body).toMatchObject({ status: 'queued' });
    const status = await settle(app, id);
    expect(status.status, JSON.stringify(status.deadLetter ?? status.error)).toBe('processed');
    expect(status.source).toBe('zoom');
    expect(status.result?.sourceId).toMatch(/^zoom:[0-9a-f]{32}$/);
    expect(zoom.downloads).toEqual([{ fileId: expect.any(String), status: 200 }]);

    // Zoom retries with a new timestamp: signed anew, the same transcript, no second conversation.
    const again = await zoom.deliver(event, { timestamp: Date.now() + 1 });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', id } });
    const rows = await conversationsWith(status.result!.sourceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Source__c: 'Meeting', Processing_Status__c: 'Processed' });
  });

  it('refuses forged, stale and replayed deliveries with the reason, and counts each in /metrics', async () => {
    await listen(recorders());
    const event = zoom.transcriptCompleted(meeting('Forged'));
    const forged = await zoom.deliver(event, { secret: 'not-the-secret-token-at-all' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: expect.stringContaining('does not match') });
    const stale = await zoom.deliver(event, { timestamp: Date.now() - 10 * 60_000 });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: expect.stringContaining('stale or replayed') });

    const timestamp = Date.now();
    expect((await zoom.deliver(event, { timestamp })).status).toBe(200);
    const replayed = await zoom.deliver(event, { timestamp });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: expect.stringContaining('replay') });

    const counted = await refusals();
    expect(counted).toContain('scribe_recorder_refusals_total{channel="zoom",reason="forged"} 1');
    expect(counted).toContain('scribe_recorder_refusals_total{channel="zoom",reason="stale"} 1');
    expect(counted).toContain('scribe_recorder_refusals_total{channel="zoom",reason="replayed"} 1');
  });

  it('answers 503 with the setting to set, and takes nothing, when no secret token is configured', async () => {
    await listen({ ...recorders(), zoom: UNCONFIGURED_RECORDERS.zoom });
    const response = await zoom.deliver(zoom.transcriptCompleted(meeting('Unconfigured')));
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: expect.stringContaining('ZOOM_WEBHOOK_SECRET_TOKEN') });
    expect(zoom.downloads).toHaveLength(0);
  });
});

describe('Teams', () => {
  it("echoes Graph's validation token, then fetches a notified transcript with the app's token and writes it once", async () => {
    await listen(recorders());
    expect(await graph.subscribe()).toBe(true);
    const resource = graph.addTranscript(vtt);
    const first = await graph.notify([resource]);
    expect(first.status).toBe(202);
    const [queued] = (first.body as { conversations: { id: string }[] }).conversations;
    const status = await settle(app, queued!.id);
    expect(status.status, JSON.stringify(status.deadLetter ?? status.error)).toBe('processed');
    expect(status.source).toBe('teams');
    expect(
      graph.requests.map((r) => [
        r.path.split('?')[0]!.replace(/\/onlineMeetings\/.*/, '/onlineMeetings/…'),
        r.status,
      ]),
    ).toEqual([
      [`/${TEAMS.tenantId}/oauth2/v2.0/token`, 200],
      ['/v1.0/communications/onlineMeetings/…', 200],
    ]);

    const again = await graph.notify([resource]);
    expect(again).toMatchObject({
      status: 202,
      body: { conversations: [{ id: queued!.id, duplicate: true }] },
    });
    expect(await conversationsWith(status.result!.sourceId)).toHaveLength(1);
  });

  it('refuses a notification without the subscription clientState, and counts lifecycle notifications', async () => {
    await listen(recorders());
    const forged = await graph.notify([graph.addTranscript(vtt)], { clientState: 'someone-else-entirely' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: expect.stringContaining('clientState') });
    const lifecycle = await graph.lifecycle('reauthorizationRequired');
    expect(lifecycle.status).toBe(202);
    const counted = await refusals();
    expect(counted).toContain('scribe_recorder_refusals_total{channel="teams",reason="client-state"} 1');
    expect(counted).toContain(
      'scribe_teams_lifecycle_notifications_total{event="reauthorizationRequired"} 1',
    );
  });

  it('goes dead with the fix when the Graph credentials are wrong', async () => {
    await listen(
      recorders({ teams: { ...recorders().teams, credentials: { ...TEAMS, clientSecret: 'wrong' } } }),
    );
    const response = await graph.notify([graph.addTranscript(vtt)]);
    const status = await settle(
      app,
      (response.body as { conversations: { id: string }[] }).conversations[0]!.id,
    );
    expect(status.status).toBe('dead');
    expect(status.deadLetter?.errorCode).toBe('GRAPH_HTTP_401');
  });
});

describe('other recorders: POST /v1/recordings/:tool', () => {
  it("reads Fathom's payload through its mapping and writes the meeting", async () => {
    await listen(recorders());
    const body = await readFile(path.join(FIXTURES, 'recorders/fathom-new-meeting.json'), 'utf8');
    const response = await signedRecording('fathom', body);
    expect(response.statusCode, response.body).toBe(202);
    const status = await settle(app, response.json().id);
    expect(status.status, JSON.stringify(status.deadLetter ?? status.error)).toBe('processed');
    expect(status.source).toBe('recording');
    expect(status.result?.sourceId).toMatch(/^fathom:[0-9a-f]{32}$/);
    // Sent again later (signed anew): the same meeting, no second conversation.
    const again = await signedRecording('fathom', body, Math.floor(Date.now() / 1000) + 1);
    expect(again.json()).toMatchObject({ status: 'duplicate', id: response.json().id });
  });

  it('holds a recording with a participant in an all-party-consent state that does not say consent was given', async () => {
    await listen(recorders());
    const payload = {
      id: 'call-ca-1',
      title: 'Discovery with Fabrikam',
      startedAt: '2026-11-30T16:00:00Z',
      participants: [{ name: 'Ana Lopez', email: 'ana@fabrikam.com', region: 'US-CA' }],
      segments: [{ speaker: 'Ana Lopez', text: 'We need this live before the renewal in March.' }],
    };
    const held = await signedRecording('scribe', JSON.stringify(payload));
    expect(held.statusCode).toBe(202);
    expect(held.json()).toMatchObject({ status: 'held', reason: expect.stringContaining('US-CA') });
    const status = await settle(app, held.json().id);
    expect(status.status).toBe('dead');
    expect(status.deadLetter?.errorCode).toBe('CONSENT_HELD');
    const heldId = `scribe:${createHash('sha256').update('call-ca-1').digest('hex').slice(0, 32)}`;
    expect(await conversationsWith(heldId)).toHaveLength(0);

    // The admin page lists it; released, it is processed as any other.
    const listed = (await app.inject({ method: 'GET', url: '/v1/recordings/held' })).json();
    expect(listed.held).toEqual([
      expect.objectContaining({
        id: held.json().id,
        tool: 'scribe',
        title: 'Discovery with Fabrikam',
        jurisdiction: 'US-CA',
      }),
    ]);
    const released = await app.inject({
      method: 'POST',
      url: `/v1/recordings/held/${held.json().id}/release`,
      payload: { releasedBy: 'admin@pipeline-scribe.local' },
    });
    expect(released.json()).toEqual({ status: 'released', id: held.json().id });
    expect((await settle(app, held.json().id)).status).toBe('processed');
    expect(await conversationsWith(heldId)).toHaveLength(1);

    // Another, dropped: erased, and no longer listed or found.
    const second = await signedRecording('scribe', JSON.stringify({ ...payload, id: 'call-ca-3' }));
    await settle(app, second.json().id);
    const dropped = await app.inject({ method: 'POST', url: `/v1/recordings/held/${second.json().id}/drop` });
    expect(dropped.json()).toEqual({ status: 'dropped', id: second.json().id });
    expect(
      (await app.inject({ method: 'GET', url: `/v1/conversations/${second.json().id}` })).statusCode,
    ).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/recordings/held' })).json().held).toEqual([]);
    const again = await app.inject({
      method: 'POST',
      url: `/v1/recordings/held/${second.json().id}/release`,
    });
    expect(again.statusCode).toBe(404);

    const consented = await signedRecording(
      'scribe',
      JSON.stringify({ ...payload, id: 'call-ca-2', consentRecorded: true }),
    );
    expect((await settle(app, consented.json().id)).status).toBe('processed');
  });

  it('refuses unsigned, forged and unknown-tool deliveries, naming what is wrong', async () => {
    await listen(recorders());
    const body = JSON.stringify({ id: 'x' });
    const unsigned = await app.inject({
      method: 'POST',
      url: '/v1/recordings/scribe',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error).toContain('X-Scribe-Signature');
    const unknownTool = await signedRecording('nosuchtool', body);
    expect(unknownTool.statusCode).toBe(404);
    expect(unknownTool.json().error).toContain('fathom');
    const missing = await signedRecording('scribe', body, Math.floor(Date.now() / 1000) - 1);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toContain('transcript (/segments)');
    expect(await refusals()).toContain(
      'scribe_recorder_refusals_total{channel="recordings",reason="unsigned"} 1',
    );
  });
});

describe('consent for Zoom and Teams meetings, by where the org has their people', () => {
  const held = async () => (await app.inject({ method: 'GET', url: '/v1/recordings/held' })).json().held;

  it('holds a Zoom meeting whose speaker is a Contact in California, lists it, and processes it once released', async () => {
    await t.admin.sobject('Contact').create({
      FirstName: 'Priya',
      LastName: 'Raman',
      Email: 'priya.raman@litware.example',
      MailingState: 'California',
      MailingCountry: 'United States',
    });
    await listen(recorders());
    const delivered = await zoom.deliver(zoom.transcriptCompleted(meeting('Litware security review')));
    const { id } = delivered.body as { id: string };
    const status = await settle(app, id);
    expect(status.status).toBe('dead');
    expect(status.deadLetter?.errorCode).toBe('CONSENT_HELD');
    expect(await held()).toEqual([
      expect.objectContaining({
        id,
        tool: 'zoom',
        title: 'Litware security review',
        jurisdiction: 'US-CA',
        reason: expect.stringContaining('Priya Raman is in US-CA'),
      }),
    ]);
    const released = await app.inject({
      method: 'POST',
      url: `/v1/recordings/held/${id}/release`,
      payload: { releasedBy: 'admin@pipeline-scribe.local' },
    });
    expect(released.json()).toEqual({ status: 'released', id });
    const after = await settle(app, id);
    expect(after.status, JSON.stringify(after.deadLetter ?? after.error)).toBe('processed');
    expect(await held()).toEqual([]);
  });

  it('processes a Zoom meeting whose people the org has in a one-party state, or nowhere', async () => {
    await t.admin.sobject('Contact').create({
      FirstName: 'Priya',
      LastName: 'Raman',
      MailingState: 'NY',
      MailingCountry: 'US',
    });
    await listen(recorders());
    const delivered = await zoom.deliver(zoom.transcriptCompleted(meeting('Litware security review')));
    const status = await settle(app, (delivered.body as { id: string }).id);
    expect(status.status, JSON.stringify(status.deadLetter ?? status.error)).toBe('processed');
  });

  it('holds a Teams transcript whose speaker is a Contact in Washington, and drops it on request', async () => {
    await t.admin.sobject('Contact').create({ FirstName: 'Dana', LastName: 'Whitfield', MailingState: 'WA' });
    await listen(recorders());
    const response = await graph.notify([graph.addTranscript(vtt)]);
    const { id } = (response.body as { conversations: { id: string }[] }).conversations[0]!;
    const status = await settle(app, id);
    expect(status.deadLetter?.errorCode).toBe('CONSENT_HELD');
    expect(await held()).toEqual([expect.objectContaining({ id, tool: 'teams', jurisdiction: 'US-WA' })]);
    const dropped = await app.inject({ method: 'POST', url: `/v1/recordings/held/${id}/drop` });
    expect(dropped.json()).toEqual({ status: 'dropped', id });
    expect(await held()).toEqual([]);
  });
});

describe('the Teams subscription, kept by the service', () => {
  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }
  async function until<T>(read: () => T | undefined): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = read();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('timed out');
  }

  it('is created once the service listens, and created anew when Graph says it removed it', async () => {
    const port = await freePort();
    const notificationUrl = `http://127.0.0.1:${port}/webhooks/teams`;
    app = await buildIngestApp(t.config, {
      db,
      recorders: recorders({ teams: { ...recorders().teams, notificationUrl } }),
    });
    await app.listen({ host: '127.0.0.1', port });
    graph.notificationUrl = notificationUrl;
    const first = await until(() => graph.subscriptions()[0]);
    expect(first).toMatchObject({ notificationUrl, lifecycleNotificationUrl: notificationUrl });
    expect(Date.parse(first.expirationDateTime)).toBeLessThanOrEqual(Date.now() + 4230 * 60_000);

    const removed = await graph.removeSubscription(first.id);
    expect(removed?.status).toBe(202);
    const second = await until(() => graph.subscriptions().find((s) => s.id !== first.id));
    const response = await graph.notify([graph.addTranscript(vtt)]);
    expect(response.status).toBe(202);
    const { id } = (response.body as { conversations: { id: string }[] }).conversations[0]!;
    expect((await settle(app, id)).status).toBe('processed');
    expect(graph.subscriptions().map((s) => s.id)).toEqual([second.id]);
  });
});
