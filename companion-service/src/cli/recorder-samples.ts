import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { startLocalZoom, type LocalZoom } from '@pipeline-scribe/local-salesforce/zoom';
import { startLocalGraph, type LocalGraph } from '@pipeline-scribe/local-salesforce/graph';
import type { RecordersConfig } from '../config/recorders-config.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import type { ConversationStatusBody } from '../app/schemas/conversation-status.js';
import { formatResult } from './report.js';

/**
 * The main job's Zoom and Teams samples: a local Zoom and a local Microsoft Graph with secrets drawn
 * at start, the service configured to trust them, and one meeting through each, delivered as the
 * real services deliver (Zoom's signed webhook, Graph's validation then change notification) and
 * followed to its result, as a person connecting their tools would see it.
 */

export interface RecorderSamples {
  zoom: LocalZoom;
  graph: LocalGraph;
  config: RecordersConfig;
  close(): Promise<void>;
}

export async function startRecorderSamples(): Promise<RecorderSamples> {
  const secret = () => randomBytes(24).toString('base64url');
  const zoomSecret = secret();
  const clientState = secret();
  const teams = { tenantId: 'local-tenant', clientId: 'pipeline-scribe-local', clientSecret: secret() };
  const zoom = await startLocalZoom({ secretToken: zoomSecret });
  const graph = await startLocalGraph({ ...teams, clientState });
  return {
    zoom,
    graph,
    config: {
      zoom: { secretToken: zoomSecret, apiBaseUrl: zoom.url },
      teams: { clientState, credentials: teams, graphBaseUrl: graph.graphUrl, loginBaseUrl: graph.url },
      recordingsSecret: null,
      maxSkewSeconds: 300,
      timeoutMs: 30_000,
    },
    close: async () => {
      await zoom.close();
      await graph.close();
    },
  };
}

async function followed(
  url: string,
  id: string,
  headers: Record<string, string>,
): Promise<ConversationStatusBody> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const body = (await (
      await fetch(`${url}/v1/conversations/${id}`, { headers })
    ).json()) as ConversationStatusBody;
    if (body.status === 'processed' || body.status === 'dead') return body;
    if (Date.now() > deadline) throw new Error(`conversation ${id} is still ${body.status} after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Last week's Tuesday at 16:00 UTC: the samples read as recent meetings. */
function lastWeek(now: Date): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7, 16));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 5) % 7));
  return day.toISOString().replace('.000Z', 'Z');
}

export async function feedRecorderSamples(
  url: string,
  samples: RecorderSamples,
  dir: string,
  apiKey: string | null,
  now: Date,
  out: Writable,
): Promise<ConversationResult[]> {
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const { zoom, graph } = samples;
  zoom.endpointUrl = `${url}/webhooks/zoom`;
  graph.notificationUrl = `${url}/webhooks/teams`;
  const results: ConversationResult[] = [];
  const report = async (file: string, status: number, id: string | undefined, started: number) => {
    if (!id) {
      out.write(`\n── ${file} → HTTP ${status}: not taken\n`);
      return;
    }
    const done = await followed(url, id, auth);
    if (done.result) {
      results.push(done.result);
      out.write(formatResult(file, status, performance.now() - started, done.result));
    }
    if (done.status === 'dead')
      out.write(`\n── ${file} → could not be processed: ${done.deadLetter?.reason}\n`);
  };

  const zoomFile = 'zoom-wingtip-pilot-review.vtt';
  let started = performance.now();
  const validated = await zoom.validateEndpoint();
  const delivered = await zoom.deliver(
    zoom.transcriptCompleted({
      topic: 'Wingtip Toys - pilot review',
      hostEmail: 'roger.lane@contoso.com',
      startTime: lastWeek(now),
      durationMinutes: 30,
      vtt: await readFile(path.join(dir, zoomFile), 'utf8'),
    }),
  );
  out.write(
    `\nZoom: endpoint validation ${validated ? 'answered' : 'FAILED'}; transcript_completed webhook signed and delivered`,
  );
  await report(
    `${zoomFile} (Zoom webhook)`,
    delivered.status,
    (delivered.body as { id?: string }).id,
    started,
  );

  const teamsFile = 'teams-northwind-dispatch-scoping.vtt';
  started = performance.now();
  const subscribed = await graph.subscribe();
  const notified = await graph.notify([
    graph.addTranscript(await readFile(path.join(dir, teamsFile), 'utf8')),
  ]);
  out.write(
    `\nTeams: Graph subscription validation ${subscribed ? 'echoed' : 'FAILED'}; transcript notification delivered`,
  );
  const id = (notified.body as { conversations?: { id: string }[] }).conversations?.[0]?.id;
  await report(`${teamsFile} (Teams via Graph)`, notified.status, id, started);
  return results;
}
