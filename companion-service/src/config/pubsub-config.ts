import { z } from 'zod';
import { ConfigError, port, readSection, wholeNumber, type Fixes } from './env.js';

/**
 * Platform Events through the Pub/Sub API (SALESFORCE_PUBSUB_* and SCRIBE_PUBSUB_*), checked at start
 * like the other settings. Against a real org the service subscribes at Salesforce's endpoint with
 * the org's session; against the local org it starts the local Pub/Sub server beside it.
 */

export class PubSubConfigError extends ConfigError {}

export const DEFAULT_PUBSUB_ENDPOINT = 'api.pubsub.salesforce.com:7443';

const PubSubEnvSchema = z.object({
  SALESFORCE_PUBSUB_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/)
    .default(DEFAULT_PUBSUB_ENDPOINT),
  SCRIBE_PUBSUB: z.enum(['on', 'off']).default('on'),
  SCRIBE_PUBSUB_START: z.enum(['LATEST', 'EARLIEST']).default('LATEST'),
  SCRIBE_PUBSUB_BATCH: wholeNumber(1, 100).default(100),
  SCRIBE_LOCAL_PUBSUB_PORT: port.default(0),
});

const FIXES: Fixes<typeof PubSubEnvSchema> = {
  SALESFORCE_PUBSUB_ENDPOINT: `use host:port, such as ${DEFAULT_PUBSUB_ENDPOINT}`,
  SCRIBE_PUBSUB: 'use on (subscribe to the platform events) or off',
  SCRIBE_PUBSUB_START:
    'use LATEST (only events from now on) or EARLIEST (every retained event) for the very first start',
  SCRIBE_PUBSUB_BATCH: 'use how many events to ask for at a time, from 1 to 100',
  SCRIBE_LOCAL_PUBSUB_PORT: 'use a port number from 0 to 65535 (0 picks a free one)',
};

export interface PubSubConfig {
  enabled: boolean;
  /** The Pub/Sub API of a real org; the local org brings its own. */
  endpoint: string;
  /** Where a topic without a stored replay id starts. */
  startFrom: 'LATEST' | 'EARLIEST';
  batchSize: number;
  localPort: number;
}

export function loadPubSubConfig(env: NodeJS.ProcessEnv): PubSubConfig {
  const e = readSection(env, PubSubEnvSchema, FIXES, { error: PubSubConfigError });
  return {
    enabled: e.SCRIBE_PUBSUB === 'on',
    endpoint: e.SALESFORCE_PUBSUB_ENDPOINT,
    startFrom: e.SCRIBE_PUBSUB_START,
    batchSize: e.SCRIBE_PUBSUB_BATCH,
    localPort: e.SCRIBE_LOCAL_PUBSUB_PORT,
  };
}
