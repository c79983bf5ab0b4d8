import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, port, readSection, type Fixes } from './env.js';

/**
 * The service's own settings (SCRIBE_*), checked at start like the SF_* ones: where it listens, where
 * the local org keeps its data, how much it logs, and the key callers must present.
 */

export class ServiceConfigError extends ConfigError {}

export const DEFAULT_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.data');

const ServiceEnvSchema = z.object({
  SCRIBE_HOST: z.string().min(1).default('127.0.0.1'),
  SCRIBE_PORT: port.default(3000),
  SCRIBE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  SCRIBE_LOCAL_ORG_STORAGE: z.enum(['file', 'memory']).default('file'),
  SCRIBE_LOCAL_ORG_PORT: port.default(0),
  SCRIBE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SCRIBE_API_KEY: z.string().min(16).optional(),
  SCRIBE_API_KEYS: z
    .string()
    .transform((list) => list.split(',').map((key) => key.trim()))
    .pipe(z.array(z.string().min(16)).min(1))
    .optional(),
  SCRIBE_API_OPEN: z.enum(['true', 'false']).default('false'),
  SCRIBE_LOCAL_ORG_LATENCY_MS: z
    .string()
    // eslint-disable-next-line security/detect-unsafe-regex -- anchored; checks the operator's own setting once at start
    .regex(/^\d+(-\d+)?$/)
    .optional(),
  SCRIBE_LOCAL_ORG_ERROR_RATES: z
    .string()
    // eslint-disable-next-line security/detect-unsafe-regex -- anchored pairs separated by commas, no overlap between repetitions; the operator's own setting, read once at start
    .regex(/^([A-Z_]+=(0(\.\d+)?|1(\.0+)?))(,[A-Z_]+=(0(\.\d+)?|1(\.0+)?))*$/)
    .optional(),
});

const FIXES: Fixes<typeof ServiceEnvSchema> = {
  SCRIBE_HOST: 'set the address to listen on, such as 127.0.0.1 or 0.0.0.0',
  SCRIBE_PORT: 'use a port number from 0 to 65535 (0 picks a free one)',
  SCRIBE_DATA_DIR: 'set a folder the service may write (the local org keeps its data there)',
  SCRIBE_LOCAL_ORG_STORAGE: 'use file (kept in SCRIBE_DATA_DIR across restarts) or memory',
  SCRIBE_LOCAL_ORG_PORT: 'use a port number from 0 to 65535 (0 picks a free one)',
  SCRIBE_LOG_LEVEL: 'use fatal, error, warn, info, debug, trace or silent',
  SCRIBE_API_KEY:
    'use a random string of at least 16 characters (required with a real org; unset, calls need no key on the local org)',
  SCRIBE_API_KEYS:
    'list the keys accepted while rotating, separated by commas, each a random string of at least 16 characters',
  SCRIBE_API_OPEN:
    'use true only on a private network where anyone who reaches the service may write to the org, or false',
  SCRIBE_LOCAL_ORG_LATENCY_MS: 'use milliseconds the local org adds to each call, such as 80 or 50-150',
  SCRIBE_LOCAL_ORG_ERROR_RATES:
    'use CODE=share pairs such as UNABLE_TO_LOCK_ROW=0.05,SERVER_UNAVAILABLE=0.01',
};

export interface ServiceConfig {
  host: string;
  port: number;
  dataDir: string;
  localOrgStorage: 'file' | 'memory';
  localOrgPort: number;
  logLevel: string;
  /** The key callers present (SCRIBE_API_KEY, else the first of SCRIBE_API_KEYS); null: none asked for. */
  apiKey: string | null;
  /** Every key accepted: SCRIBE_API_KEY and SCRIBE_API_KEYS, so an old key keeps working during a rotation. */
  apiKeys: string[];
  /** SCRIBE_API_OPEN=true: a real org served without a key, on a private network, by choice. */
  apiOpen: boolean;
  /** Faults the local org injects, for trying the service's reliability by hand. */
  localOrgFaults: LocalOrgFaultSettings;
}

/** SCRIBE_LOCAL_ORG_LATENCY_MS and SCRIBE_LOCAL_ORG_ERROR_RATES as given; the embedded org reads them. */
export interface LocalOrgFaultSettings {
  latency?: string;
  errorRates?: string;
}

export function loadServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const e = readSection(env, ServiceEnvSchema, FIXES, {
    error: ServiceConfigError,
    secret: ['SCRIBE_API_KEY', 'SCRIBE_API_KEYS'],
  });
  const apiKeys = [
    ...new Set([e.SCRIBE_API_KEY, ...(e.SCRIBE_API_KEYS ?? [])].filter((k) => k !== undefined)),
  ];
  return {
    host: e.SCRIBE_HOST,
    port: e.SCRIBE_PORT,
    dataDir: e.SCRIBE_DATA_DIR,
    localOrgStorage: e.SCRIBE_LOCAL_ORG_STORAGE,
    localOrgPort: e.SCRIBE_LOCAL_ORG_PORT,
    logLevel: e.SCRIBE_LOG_LEVEL,
    apiKey: apiKeys[0] ?? null,
    apiKeys,
    apiOpen: e.SCRIBE_API_OPEN === 'true',
    localOrgFaults: { latency: e.SCRIBE_LOCAL_ORG_LATENCY_MS, errorRates: e.SCRIBE_LOCAL_ORG_ERROR_RATES },
  };
}

export const API_OPEN_WARNING =
  'SCRIBE_API_OPEN=true: the service writes to a real Salesforce org and takes calls without a key; anyone who reaches it can write to the org (set SCRIBE_API_KEY to close it)';

/**
 * Serving a real org without a key would let anyone who reaches the port write into customers'
 * Salesforce, so it is refused unless SCRIBE_API_OPEN=true says it on purpose; the result says
 * whether the start must warn about it.
 */
export function checkApiKeyPolicy(serving: {
  realOrg: boolean;
  apiKey: string | null | undefined;
  apiOpen: boolean | undefined;
}): { open: boolean } {
  if (!serving.realOrg || serving.apiKey) return { open: false };
  if (serving.apiOpen) return { open: true };
  throw new ServiceConfigError(
    'SCRIBE_API_KEY is not set, and a service that writes to a real Salesforce org needs it: set SCRIBE_API_KEY to a random string of at least 16 characters (callers send it as Authorization: Bearer <key>), or SCRIBE_API_OPEN=true on a private network where an open API is intended',
  );
}
