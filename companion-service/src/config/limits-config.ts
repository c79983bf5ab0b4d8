import { z } from 'zod';
import { ConfigError, readSection, wholeNumber as whole, type Fixes } from './env.js';

/**
 * How much work any one input may cause (SCRIBE_MAX_CONVERSATION_BYTES, SCRIBE_EXTRACT_*,
 * SCRIBE_QUEUE_MAX_WAITING, SCRIBE_RATE_LIMIT_PER_MINUTE, SCRIBE_RATE_LIMIT_ORG_PER_MINUTE), so a flood or one hostile conversation
 * slows nobody else: each way in refuses a conversation over the size limit (413), extraction runs
 * off the event loop with a time limit, a full queue answers 429 with Retry-After, and each source
 * and org is held to a rate.
 */

export class LimitsConfigError extends ConfigError {}

const LimitsEnvSchema = z.object({
  SCRIBE_MAX_CONVERSATION_BYTES: whole(1_000, 50_000_000).default(512_000),
  SCRIBE_EXTRACT_TIMEOUT_MS: whole(100, 600_000).default(30_000),
  SCRIBE_EXTRACT_THREADS: whole(1, 64).default(2),
  SCRIBE_QUEUE_MAX_WAITING: whole(1, 10_000_000).default(10_000),
  SCRIBE_QUEUE_RETRY_AFTER_SECONDS: whole(1, 3_600).default(30),
  SCRIBE_RATE_LIMIT_PER_MINUTE: whole(1, 1_000_000).default(600),
  SCRIBE_RATE_LIMIT_ORG_PER_MINUTE: whole(1, 10_000_000).default(6_000),
});

const FIXES: Fixes<typeof LimitsEnvSchema> = {
  SCRIBE_MAX_CONVERSATION_BYTES:
    'use the largest conversation text accepted, in bytes, from 1000 to 50000000 (512000, the default, is about 80,000 words: nine hours of talk)',
  SCRIBE_EXTRACT_TIMEOUT_MS:
    'use how long extracting one conversation may take before it is refused, in milliseconds (100 to 600000)',
  SCRIBE_EXTRACT_THREADS:
    'use how many conversations are extracted at once, each on its own thread, from 1 to 64',
  SCRIBE_QUEUE_MAX_WAITING:
    'use how many conversations may wait in the queue before new ones are refused with 429, such as 10000',
  SCRIBE_QUEUE_RETRY_AFTER_SECONDS:
    'use how many seconds a caller refused by a full queue is told to wait, such as 30',
  SCRIBE_RATE_LIMIT_PER_MINUTE:
    'use how many requests one source (an API key or caller address) may make each minute, such as 600',
  SCRIBE_RATE_LIMIT_ORG_PER_MINUTE:
    'use how many conversations, voice memos and Gong webhooks all sources together may send the org each minute, such as 6000',
};

export interface LimitsConfig {
  /** The largest conversation text accepted on any way in, in UTF-8 bytes. */
  maxConversationBytes: number;
  extractTimeoutMs: number;
  extractThreads: number;
  queueMaxWaiting: number;
  queueRetryAfterSeconds: number;
  /** Requests a minute from one source (its key, else its address), on every limited route. */
  ratePerMinute: number;
  /** Requests a minute to the ingest routes from all sources together: the org's share of the service. */
  orgRatePerMinute: number;
}

export const DEFAULT_LIMITS: LimitsConfig = loadLimitsConfig({});

export function loadLimitsConfig(env: NodeJS.ProcessEnv): LimitsConfig {
  const e = readSection(env, LimitsEnvSchema, FIXES, { error: LimitsConfigError });
  return {
    maxConversationBytes: e.SCRIBE_MAX_CONVERSATION_BYTES,
    extractTimeoutMs: e.SCRIBE_EXTRACT_TIMEOUT_MS,
    extractThreads: e.SCRIBE_EXTRACT_THREADS,
    queueMaxWaiting: e.SCRIBE_QUEUE_MAX_WAITING,
    queueRetryAfterSeconds: e.SCRIBE_QUEUE_RETRY_AFTER_SECONDS,
    ratePerMinute: e.SCRIBE_RATE_LIMIT_PER_MINUTE,
    orgRatePerMinute: e.SCRIBE_RATE_LIMIT_ORG_PER_MINUTE,
  };
}
