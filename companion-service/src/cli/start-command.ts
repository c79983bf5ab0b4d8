import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig, SalesforceConfigError } from '../config/salesforce-config.js';
import { loadQueueConfig } from '../config/queue-config.js';
import { forgetConversations } from '../adapters/postgres/conversation-table.js';
import type { ConversationStatusBody } from '../app/schemas/conversation-status.js';
import { createServiceExtractor } from '../services/choose-extractor.js';
import { localDataFile } from '../app/embedded-org.js';
import { startServer, type RunningServer } from '../app/server.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import { formatResult } from './report.js';
import { feedMailSamples } from './mail-samples.js';
import { parseOptions } from './options.js';
import { sfCliLines } from './local-org-command.js';
import { sampleDateShiftDays, shiftIsoDates } from '@pipeline-scribe/local-salesforce/org/sample-dates';
import { feedRecorderSamples, startRecorderSamples } from './recorder-samples.js';

/**
 * The main job: the local org and the service, the sample conversations fed through
 * POST /v1/conversations (accepted, then processed by the worker: each is followed until it is
 * done), a report of each, and the service left running. It asks for the local org by itself, and
 * refuses to run when SF_* name a real one: the samples are made-up deals that must never be
 * written into a customer's Salesforce.
 */

export const REAL_ORG_REFUSAL =
  'scribe start writes its sample conversations into the org, and SF_* name a real Salesforce org: run `scribe serve` to serve that org, or unset the SF_* connection settings (SF_CLIENT_ID, SF_USERNAME, SF_PRIVATE_KEY_FILE, SF_PRIVATE_KEY, SF_INSTANCE_URL, SF_ACCESS_TOKEN) to run the main job on the local org';

export const SAMPLES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../samples/conversations',
);
/** One Zoom and one Teams meeting, delivered by the local Zoom and the local Graph. */
export const RECORDER_SAMPLES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../samples/recorders',
);

export interface MainJob {
  running: RunningServer;
  results: ConversationResult[];
  /** Closes the service, then the local Zoom and Graph the samples came from. */
  close(): Promise<void>;
}

/** Follows a conversation until the worker is done with it. */
async function settled(url: string, location: string, headers: Record<string, string>) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const body = (await (await fetch(`${url}${location}`, { headers })).json()) as ConversationStatusBody;
    if (body.status === 'processed' || body.status === 'dead') return body;
    if (Date.now() > deadline) {
      throw new Error(`${location} is still ${body.status} after 2 minutes; the service log says why`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const nextDay = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

async function feedSamples(
  url: string,
  dir: string,
  apiKey: string | null,
  out: Writable,
): Promise<ConversationResult[]> {
  // Each sample's meeting day, moved in whole weeks so the latest falls in the week before today:
  // the calls read as last week's, and the dates they name ("by Thursday") lie ahead as they did then.
  const known = JSON.parse(await readFile(path.join(dir, 'stages.json'), 'utf8').catch(() => '{}')) as Record<
    string,
    { meetingDate?: string }
  >;
  const latest = Object.values(known)
    .map((sample) => sample.meetingDate)
    .filter((day): day is string => !!day)
    .sort()
    .at(-1);
  const shift = latest ? sampleDateShiftDays(new Date(), nextDay(latest)) : 0;
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.') && f !== 'stages.json').sort();
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const results: ConversationResult[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const written = known[file]?.meetingDate;
    const meetingDate = written ? shiftIsoDates(written, shift) : undefined;
    const body = file.endsWith('.json')
      ? { gong: JSON.parse(text) as unknown, meetingDate }
      : { content: text, meetingDate };
    const started = performance.now();
    const response = await fetch(`${url}/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
    const location = response.headers.get('location');
    if (!location) {
      const payload = (await response.json()) as { error?: string };
      out.write(`\n── ${file} → HTTP ${response.status}: ${payload.error ?? 'refused'}\n`);
      continue;
    }
    const done = await settled(url, location, auth);
    const ms = performance.now() - started;
    if (done.result) {
      results.push(done.result);
      out.write(formatResult(file, response.status, ms, done.result));
    }
    if (done.status === 'dead') {
      out.write(`\n── ${file} → could not be processed: ${done.deadLetter?.reason ?? done.error?.message}\n`);
    }
  }
  return results;
}

function usageLine(u: ReturnType<RunningServer['server']['salesforce']['api']['usage']>): string {
  if (u.orgUsed === null || u.orgLimit === null) return 'not reported';
  const pace = u.slowingDown ? `, slowing down (${u.delayMs} ms a call)` : '';
  return `${u.orgUsed} of ${u.orgLimit} (${((u.share ?? 0) * 100).toFixed(2)}%)${pace}`;
}

export async function startMainJob(
  env: NodeJS.ProcessEnv,
  out: Writable,
  options: { reset?: boolean; samples?: string } = {},
): Promise<MainJob> {
  const service = loadServiceConfig(env);
  const salesforce = loadSalesforceConfig(env, { localUnlessConfigured: true });
  if (salesforce.kind !== 'local') throw new SalesforceConfigError(REAL_ORG_REFUSAL);
  const { extractor, extractionPool } = createServiceExtractor(env);
  const dataFile = service.localOrgStorage === 'file' ? localDataFile(service.dataDir) : undefined;
  if (options.reset && dataFile) await rm(dataFile, { force: true });
  out.write('Starting the local org and the service…\n');
  const queue = loadQueueConfig(env);
  const recorderSamples = await startRecorderSamples();
  let running: RunningServer;
  try {
    running = await startServer({
      host: service.host,
      port: service.port,
      anyPortIfTaken: !env.SCRIBE_PORT,
      logLevel: env.SCRIBE_LOG_LEVEL ? service.logLevel : 'warn',
      salesforce,
      localOrg: { dataFile, port: service.localOrgPort, faults: service.localOrgFaults },
      extractor,
      extractionPool,
      apiKeys: service.apiKeys,
      apiOpen: service.apiOpen,
      queue,
      recorders: recorderSamples.config,
    });
  } catch (error) {
    await recorderSamples.close();
    throw error;
  }
  const { salesforce: org } = running.server;
  // What was processed for a local org that is gone (reset, or kept in memory) is forgotten with it.
  if (options.reset || !dataFile) {
    await forgetConversations(running.server.conversations.org);
  }
  out.write(
    `Salesforce: ${org.description}\nConversations: ${running.server.conversations.database.description}\nExtractor: ${extractor.name} ${extractor.version}\n`,
  );
  const before = org.embedded?.apiCallsCounted() ?? null;
  let results: ConversationResult[];
  try {
    results = await feedSamples(running.url, options.samples ?? SAMPLES, service.apiKey, out);
    if (!options.samples) {
      results.push(
        ...(await feedRecorderSamples(
          running.url,
          recorderSamples,
          RECORDER_SAMPLES,
          service.apiKey,
          new Date(),
          out,
        )),
      );
    }
  } catch (error) {
    await running.server.close();
    await recorderSamples.close();
    throw error;
  }
  const calls = results.reduce((sum, r) => sum + r.apiCalls, 0);
  const orgCount =
    org.embedded && before !== null
      ? ` (the local org counted ${org.embedded.apiCallsCounted() - before})`
      : '';
  out.write(
    `\n${results.length} conversations, ${calls} Salesforce API calls${orgCount}: ${(calls / Math.max(1, results.length)).toFixed(1)} per conversation.\n` +
      `The org's API usage today: ${usageLine(org.api.usage())}\n`,
  );
  out.write('\nEmail and calendar: what a rep BCCs or forwards to the logging address, and an invitation\n');
  const close = async () => {
    await running.server.close();
    await recorderSamples.close();
  };
  try {
    await feedMailSamples(running.server, running.url, service.apiKey, out);
  } catch (error) {
    await close();
    throw error;
  }
  return { running, results, close };
}

/** How a person sees what the samples wrote: the org through the Salesforce CLI, the pages in the gallery. */
function lookInside(running: RunningServer): string {
  const org = running.server.salesforce.embedded;
  if (!org) return '';
  return (
    `\nTo see what was written into the local org (${org.url}):\n` +
    sfCliLines(org.url, org.adminSession()).trimEnd().replace(/^/gm, '  ') +
    '\n' +
    `  The package's pages (Opportunity, Home, forecast) with sample data: npm run preview, then open the URL it prints;\n` +
    `  npm run preview -- --org runs them against a local org of their own with the same sample data, as a rep or the manager.\n`
  );
}

/** What `npm start` prints once the samples are in: where the service answers and how to look inside. */
export function runningGuide(running: RunningServer): string {
  return (
    `\nPipeline Scribe is running at ${running.url}\n` +
    `  POST ${running.url}/v1/conversations   {"content": "<notes, transcript or email>"} or {"gong": {...}}\n` +
    `  POST ${running.url}/webhooks/zoom, /webhooks/teams, /v1/recordings/<tool>   (README: connect your tools)\n` +
    `  GET  ${running.url}/v1/conversations/<id>\n` +
    `  GET  ${running.url}/readyz   ${running.url}/metrics\n` +
    lookInside(running) +
    'Ctrl+C stops it.\n'
  );
}

export async function runStart(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    once: { type: 'boolean' },
    reset: { type: 'boolean' },
    samples: { type: 'string' },
  });
  const job = await startMainJob(process.env, out, { reset: opts.reset, samples: opts.samples });
  if (opts.once) {
    await job.close();
    return 0;
  }
  out.write(runningGuide(job.running));
  return 0;
}
