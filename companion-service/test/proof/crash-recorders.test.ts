import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalZoom, type LocalZoom } from '@pipeline-scribe/local-salesforce/zoom';
import { startLocalGraph, type LocalGraph } from '@pipeline-scribe/local-salesforce/graph';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp } from '../support/ingest-app.js';
import { signDelivery } from '../../src/adapters/recorders/signed-delivery.js';
import {
  byExternalId,
  duplicates,
  startWorker,
  stopWorker,
  waitUntilSettled,
  workerEnv,
  type WorkerProcess,
} from './crash-support.js';

/**
 * Nothing a recorder channel accepted is lost, or written twice, across SIGKILLs: Zoom webhooks,
 * Graph notifications and signed recordings are taken in by a service that only takes in (as
 * `scribe serve` beside separate workers), while two `scribe worker` processes download the Zoom and
 * Teams transcripts from the local emulators and write to the local org, and are killed with SIGKILL
 * at random moments and started again. Afterwards the org holds one Conversation__c for every
 * delivery that was acknowledged. PROOF_RECORDINGS sets how many per channel (20).
 */

const PER_CHANNEL = Number(process.env.PROOF_RECORDINGS ?? 20);
const TOTAL = PER_CHANNEL * 3;
const ZOOM_SECRET = 'proof-zoom-secret-0123456789';
const CLIENT_STATE = 'proof-client-state-0123456789';
const RECORDINGS_SECRET = 'proof-recordings-secret-0123456789-abcdef';
const TEAMS = { tenantId: 'proof-tenant', clientId: 'proof-app', clientSecret: 'proof-secret' };
const SETTLE_MS = Math.max(300_000, TOTAL * 3_000);

let db: TestDatabase;
let t: TestOrg;
let zoom: LocalZoom;
let graph: LocalGraph;
let intake: FastifyInstance;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg({ dailyApiLimit: 1_000_000 });
  zoom = await startLocalZoom({ secretToken: ZOOM_SECRET });
  graph = await startLocalGraph({ ...TEAMS, clientState: CLIENT_STATE });
  intake = await buildIngestApp(t.config, {
    db,
    worker: false,
    recorders: {
      zoom: { secretToken: ZOOM_SECRET, apiBaseUrl: zoom.url },
      teams: {
        clientState: CLIENT_STATE,
        credentials: null,
        graphBaseUrl: graph.graphUrl,
        loginBaseUrl: graph.url,
      },
      recordingsSecret: RECORDINGS_SECRET,
      maxSkewSeconds: 300,
      timeoutMs: 5000,
    },
  });
  const url = await intake.listen({ host: '127.0.0.1', port: 0 });
  zoom.endpointUrl = `${url}/webhooks/zoom`;
  graph.notificationUrl = `${url}/webhooks/teams`;
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
  await intake?.close();
  await zoom?.close();
  await graph?.close();
  await t?.org.close();
  await db?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deliverAll(vtt: string): Promise<string[]> {
  const acked: string[] = [];
  for (let i = 0; i < PER_CHANNEL; i++) {
    const zoomed = await zoom.deliver(
      zoom.transcriptCompleted({
        topic: `Proof meeting ${i}`,
        hostEmail: 'sam.ortiz@pipelinescribe.example',
        startTime: '2026-11-30T16:00:00Z',
        durationMinutes: 30,
        vtt,
      }),
    );
    if (zoomed.status === 200) acked.push((zoomed.body as { id: string }).id);
    const notified = await graph.notify([graph.addTranscript(vtt)]);
    if (notified.status === 202)
      acked.push(...(notified.body as { conversations: { id: string }[] }).conversations.map((c) => c.id));
    const body = JSON.stringify({
      id: `proof-${i}`,
      title: `Recorder proof ${i}`,
      participants: [{ name: 'Dana Whitfield', region: 'US-NY' }],
      segments: [
        { speaker: 'Dana Whitfield', text: 'Our budget is $120,000 and the MSA comes back by Wednesday.' },
      ],
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const recorded = await intake.inject({
      method: 'POST',
      url: '/v1/recordings/scribe',
      headers: {
        'content-type': 'application/json',
        'x-scribe-timestamp': timestamp,
        'x-scribe-signature': signDelivery(RECORDINGS_SECRET, 'v1', timestamp, body),
      },
      payload: body,
    });
    if (recorded.statusCode === 202) acked.push(recorded.json().id);
  }
  return acked;
}

describe('recorder channels under crashes', () => {
  it(
    `lose none of ${TOTAL} acknowledged deliveries and write none twice though workers are killed with SIGKILL`,
    async () => {
      const vtt = await readFile(path.resolve(import.meta.dirname, '../fixtures/formats/zoom.vtt'), 'utf8');
      const env = await workerEnv(t.org, db, {
        ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_SECRET,
        ZOOM_API_BASE_URL: zoom.url,
        TEAMS_CLIENT_STATE: CLIENT_STATE,
        TEAMS_TENANT_ID: TEAMS.tenantId,
        TEAMS_CLIENT_ID: TEAMS.clientId,
        TEAMS_CLIENT_SECRET: TEAMS.clientSecret,
        TEAMS_GRAPH_BASE_URL: graph.graphUrl,
        TEAMS_LOGIN_BASE_URL: graph.url,
        RECORDINGS_SECRET,
      });
      workers.push(startWorker(env), startWorker(env));
      const delivering = deliverAll(vtt);
      let settled = false;
      const done = delivering
        .then((acked) => waitUntilSettled(db, acked.length, SETTLE_MS))
        .finally(() => (settled = true));
      done.catch(() => undefined);
      let kills = 0;
      while (!settled && kills < 4) {
        await sleep(1_500 + Math.random() * 1_500);
        const alive = workers.flatMap((w, i) => (w.isWorking() ? [i] : []));
        if (settled || alive.length < 2) continue;
        const victim = alive[Math.floor(Math.random() * alive.length)]!;
        await stopWorker(workers[victim]!, 'SIGKILL');
        kills++;
        workers[victim] = startWorker(env);
      }
      const acked = await delivering;
      await done;

      expect(acked).toHaveLength(TOTAL);
      const { rows } = await db.database.pool.query<{ source: string; status: string; n: string }>(
        'SELECT source, status, count(*) AS n FROM conversations GROUP BY source, status ORDER BY source',
      );
      expect(rows.map((r) => [r.source, r.status, Number(r.n)])).toEqual([
        ['recording', 'processed', PER_CHANNEL],
        ['teams', 'processed', PER_CHANNEL],
        ['zoom', 'processed', PER_CHANNEL],
      ]);
      const conversations = byExternalId(t.org, 'Conversation__c', 'Source_Id__c');
      const ours = [...conversations.keys()].filter((id) => /^(zoom|teams|scribe):/.test(id));
      expect(ours).toHaveLength(TOTAL);
      expect(duplicates(conversations)).toEqual([]);
      expect(kills).toBeGreaterThanOrEqual(1);
      console.log(
        `recorder crash proof: ${TOTAL} acknowledged deliveries, ${kills} SIGKILLs, lost 0, written twice 0`,
      );
    },
    SETTLE_MS + 60_000,
  );
});
