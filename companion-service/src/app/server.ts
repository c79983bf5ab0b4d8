import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app, { type AppOptions } from './app.js';
import { loadGongConfig } from '../config/gong-config.js';
import { loadMailConfig } from '../config/mail-config.js';
import { loadRecordersConfig } from '../config/recorders-config.js';
import { loadLimitsConfig } from '../config/limits-config.js';
import { loadPubSubConfig } from '../config/pubsub-config.js';
import { loadTranscriptionConfig } from '../config/transcription-config.js';
import { chooseTranscriber } from '../adapters/transcription/choose-transcriber.js';
import { loadScanSchedule } from '../services/pipeline-scan-schedule.js';
import { loggerOptions, requestSerializers } from './logging.js';
import { API_OPEN_WARNING, checkApiKeyPolicy } from '../config/service-config.js';
import { loadTenancyConfig } from '../config/tenancy-config.js';

/**
 * Boots the service: the logger (to stderr, secrets and personal data redacted at any depth by
 * logging.ts), timeouts and body limits, the app plugin, and a graceful close on SIGINT and SIGTERM.
 */

export interface ServerOptions extends AppOptions {
  host: string;
  port: number;
  /** When the port was not asked for explicitly, a free one will do if it is taken. */
  anyPortIfTaken?: boolean;
  logLevel: string;
  /** SCRIBE_API_OPEN=true: serve a real org without a key, warned about at every start. */
  apiOpen?: boolean;
}

const BODY_LIMIT = 5 * 1024 * 1024;

async function voiceMemosFromEnv(): Promise<NonNullable<AppOptions['voiceMemos']>> {
  const transcription = loadTranscriptionConfig(process.env);
  return { transcriber: await chooseTranscriber(transcription), maxBytes: transcription.maxBytes };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { logLevel } = options;
  const appOptions: AppOptions = {
    salesforce: options.salesforce,
    localOrg: options.localOrg,
    connection: options.connection,
    extractor: options.extractor,
    extractionPool: options.extractionPool,
    limits: options.limits ?? loadLimitsConfig(process.env),
    apiKey: options.apiKey,
    apiKeys: options.apiKeys,
    queue: options.queue,
    database: options.database,
    worker: options.worker,
    gong: options.gong ?? loadGongConfig(process.env),
    recorders: options.recorders ?? loadRecordersConfig(process.env),
    voiceMemos: options.voiceMemos ?? (await voiceMemosFromEnv()),
    pubsub: options.pubsub === undefined ? loadPubSubConfig(process.env) : options.pubsub,
    pipelineScan: options.pipelineScan ?? loadScanSchedule(process.env),
    mail: options.mail ?? loadMailConfig(process.env),
    mailResolver: options.mailResolver,
    tenancy: options.tenancy ?? loadTenancyConfig(process.env),
  };
  const server = Fastify({
    logger: {
      ...loggerOptions(logLevel),
      stream: process.stderr,
      serializers: requestSerializers,
    },
    bodyLimit: BODY_LIMIT,
    // A first start creates the embedded Postgres cluster, which takes longer than Fastify's 10 s.
    pluginTimeout: 120_000,
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
  });
  // Unwrapped, so the app's decorators (the Salesforce connection) are reachable from the server.
  await server.register(fp(app), appOptions);
  return server;
}

async function listen(server: FastifyInstance, options: ServerOptions): Promise<string> {
  try {
    return await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.anyPortIfTaken) throw error;
    server.log.warn({ port: options.port }, 'the default port is taken; listening on a free one instead');
    return server.listen({ host: options.host, port: 0 });
  }
}

export interface RunningServer {
  server: FastifyInstance;
  url: string;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Before anything connects: a real org served without a key is refused, not discovered later.
  const tenancy = options.tenancy ?? loadTenancyConfig(process.env);
  // Many orgs' connections are behind the key too: without it, anyone could disconnect any org.
  const { open } = checkApiKeyPolicy({
    realOrg: options.salesforce.kind === 'org' || tenancy.mode === 'multi',
    apiKey: options.apiKey ?? options.apiKeys?.[0],
    apiOpen: options.apiOpen,
  });
  const server = await buildServer({ ...options, tenancy });
  if (open) server.log.warn(API_OPEN_WARNING);
  let url: string;
  try {
    url = await listen(server, options);
  } catch (error) {
    await server.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${options.port} on ${options.host} is taken: set SCRIBE_PORT to another port (0 picks a free one)`,
      );
    }
    throw error;
  }
  closeOnSignals(server, 'shutting down');
  return { server, url };
}

/**
 * SIGINT or SIGTERM closes the server, which lets the jobs in hand finish and the queue and the org
 * disconnect, then exits 0 (1 when closing failed), so a process manager sees a clean stop.
 */
export function closeOnSignals(server: FastifyInstance, saying: string): void {
  const stop = (signal: string) => {
    server.log.info({ signal }, saying);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
