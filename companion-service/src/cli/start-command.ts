import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig } from '../config/salesforce-config.js';
import { createExtractor } from '../services/choose-extractor.js';
import { localDataFile } from '../services/org-connection.js';
import { startServer, type RunningServer } from '../app/server.js';
import type { ConversationResult } from '../services/conversation-result.js';
import { formatResult } from './report.js';
import { parseOptions } from './main.js';

/**
 * The main job: the local org (unless SF_* name a real one) and the service, the sample conversations
 * fed through POST /v1/conversations, a report of each, and the service left running.
 */

export const SAMPLES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../samples/conversations',
);

export interface MainJob {
  running: RunningServer;
  results: ConversationResult[];
}

async function feedSamples(
  url: string,
  dir: string,
  apiKey: string | null,
  out: Writable,
): Promise<ConversationResult[]> {
  // Dates for samples that carry none, so relative dates ("by Thursday") resolve the same every run.
  const known = JSON.parse(await readFile(path.join(dir, 'stages.json'), 'utf8').catch(() => '{}')) as Record<
    string,
    { meetingDate?: string }
  >;
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.') && f !== 'stages.json').sort();
  const results: ConversationResult[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const meetingDate = known[file]?.meetingDate;
    const body = file.endsWith('.json')
      ? { gong: JSON.parse(text) as unknown, meetingDate }
      : { content: text, meetingDate };
    const started = performance.now();
    const response = await fetch(`${url}/v1/conversations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const ms = performance.now() - started;
    const payload = (await response.json()) as ConversationResult | { error: string; id?: string };
    if ('error' in payload) {
      const detail = payload.id
        ? ((await (await fetch(`${url}/v1/conversations/${payload.id}`)).json()) as ConversationResult)
        : null;
      if (detail) {
        results.push(detail);
        out.write(formatResult(file, response.status, ms, detail));
      } else out.write(`\n── ${file} → HTTP ${response.status}: ${payload.error}\n`);
      continue;
    }
    results.push(payload);
    out.write(formatResult(file, response.status, ms, payload));
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
  const salesforce = loadSalesforceConfig(env);
  const extractor = createExtractor(undefined, env);
  const dataFile = service.localOrgStorage === 'file' ? localDataFile(service.dataDir) : undefined;
  if (options.reset && dataFile) await rm(dataFile, { force: true });
  out.write(
    salesforce.kind === 'local'
      ? 'Starting the local org and the service…\n'
      : 'Connecting to the Salesforce org in SF_* and starting the service…\n',
  );
  const running = await startServer({
    host: service.host,
    port: service.port,
    anyPortIfTaken: !env.SCRIBE_PORT,
    logLevel: env.SCRIBE_LOG_LEVEL ? service.logLevel : 'warn',
    salesforce,
    localOrg: { dataFile, port: service.localOrgPort, faults: service.localOrgFaults },
    extractor,
    apiKey: service.apiKey,
  });
  const { salesforce: org } = running.server;
  out.write(`Salesforce: ${org.description}\nExtractor: ${extractor.name} ${extractor.version}\n`);
  const before = org.localOrg?.usage().used ?? null;
  let results: ConversationResult[];
  try {
    results = await feedSamples(running.url, options.samples ?? SAMPLES, service.apiKey, out);
  } catch (error) {
    await running.server.close();
    throw error;
  }
  const calls = results.reduce((sum, r) => sum + r.apiCalls, 0);
  const orgCount =
    org.localOrg && before !== null ? ` (the local org counted ${org.localOrg.usage().used - before})` : '';
  out.write(
    `\n${results.length} conversations, ${calls} Salesforce API calls${orgCount}: ${(calls / Math.max(1, results.length)).toFixed(1)} per conversation.\n` +
      `The org's API usage today: ${usageLine(org.api.usage())}\n`,
  );
  return { running, results };
}

export async function runStart(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    once: { type: 'boolean' },
    reset: { type: 'boolean' },
    samples: { type: 'string' },
  });
  const job = await startMainJob(process.env, out, { reset: opts.reset, samples: opts.samples });
  if (opts.once) {
    await job.running.server.close();
    return 0;
  }
  out.write(
    `\nPipeline Scribe is running at ${job.running.url}\n` +
      `  POST ${job.running.url}/v1/conversations   {"content": "<notes, transcript or email>"} or {"gong": {...}}\n` +
      `  GET  ${job.running.url}/v1/conversations/<id>\n` +
      `  GET  ${job.running.url}/health/ready\n` +
      'Ctrl+C stops it.\n',
  );
  return 0;
}
