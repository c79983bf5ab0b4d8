import { z } from 'zod';
import { ConfigError, httpUrl, readSection, wholeNumber, type Fixes } from './env.js';

/**
 * The LLM extractor's settings, read from the environment once and checked before any request is
 * made, so a typo fails at start with the variable's name and the fix rather than mid-extraction.
 */

export class LlmConfigError extends ConfigError {}

const DEFAULT_CHUNK_CHARS = 12_000;

const LlmEnvSchema = z.object({
  OPENAI_BASE_URL: httpUrl.optional(),
  OPENAI_API_KEY: z.string().min(1),
  SCRIBE_LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  SCRIBE_LLM_SEND_PII: z.enum(['true', 'false']).default('false'),
  SCRIBE_LLM_CHUNK_CHARS: wholeNumber(1_000).default(DEFAULT_CHUNK_CHARS),
  SCRIBE_LLM_CHUNK_OVERLAP_CHARS: wholeNumber(0).optional(),
  SCRIBE_LLM_TIMEOUT_MS: wholeNumber(1_000).default(120_000),
  SCRIBE_LLM_MAX_RETRIES: wholeNumber(0).max(10).default(2),
});

export interface LlmConfig {
  /** Undefined means the SDK's default endpoint (api.openai.com). */
  baseURL: string | undefined;
  apiKey: string;
  model: string;
  /** Whether email addresses and phone numbers may leave unmasked. */
  sendPii: boolean;
  chunkChars: number;
  overlapChars: number;
  timeoutMs: number;
  /** Retries of failed HTTP requests (connection errors, 429, 5xx), done by the SDK with backoff. */
  maxRetries: number;
}

/** How to fix each variable; the key's fix never echoes a value. */
const FIXES: Fixes<typeof LlmEnvSchema> = {
  OPENAI_BASE_URL:
    "set it to the endpoint's base URL, such as http://localhost:8000/v1, or unset it for api.openai.com",
  OPENAI_API_KEY:
    'export OPENAI_API_KEY=<your key> (any non-empty value for a local endpoint that ignores keys), or use --extractor embedded',
  SCRIBE_LLM_MODEL: 'set it to a model the endpoint serves, or unset it for gpt-4o-mini',
  SCRIBE_LLM_SEND_PII: 'use true or false (false masks emails and phone numbers before they leave)',
  SCRIBE_LLM_CHUNK_CHARS: `use a whole number of characters of at least 1000, or unset it for ${DEFAULT_CHUNK_CHARS}`,
  SCRIBE_LLM_CHUNK_OVERLAP_CHARS:
    'use a whole number of characters, or unset it for a tenth of the chunk size',
  SCRIBE_LLM_TIMEOUT_MS: 'use a whole number of milliseconds of at least 1000, or unset it for 120000',
  SCRIBE_LLM_MAX_RETRIES: 'use a whole number from 0 to 10, or unset it for 2',
};

export function loadLlmConfig(env: NodeJS.ProcessEnv): LlmConfig {
  const e = readSection(env, LlmEnvSchema, FIXES, {
    error: LlmConfigError,
    secret: ['OPENAI_API_KEY'],
    // Said from the extractor's side: `extract --extractor llm` is where most people meet it.
    explain: ({ name, shown, fix }) =>
      `${name} ${shown === undefined ? 'is not set' : `is "${shown}", which is not valid`} for the llm extractor: ${fix}`,
  });
  const chunkChars = e.SCRIBE_LLM_CHUNK_CHARS;
  return {
    baseURL: e.OPENAI_BASE_URL,
    apiKey: e.OPENAI_API_KEY,
    model: e.SCRIBE_LLM_MODEL,
    sendPii: e.SCRIBE_LLM_SEND_PII === 'true',
    chunkChars,
    overlapChars: Math.min(
      e.SCRIBE_LLM_CHUNK_OVERLAP_CHARS ?? Math.round(chunkChars / 10),
      Math.floor(chunkChars / 2),
    ),
    timeoutMs: e.SCRIBE_LLM_TIMEOUT_MS,
    maxRetries: e.SCRIBE_LLM_MAX_RETRIES,
  };
}
