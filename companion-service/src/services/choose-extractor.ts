import type { Extractor } from '../domain/extraction/extractor.js';
import { EmbeddedExtractor } from '../domain/extraction/embedded/embedded-extractor.js';
import { OpenAiExtractor } from '../adapters/llm/openai-extractor.js';
import { loadLlmConfig } from '../config/llm-config.js';
import { ExtractionPool } from '../adapters/extraction/extraction-pool.js';
import { loadLimitsConfig } from '../config/limits-config.js';

export type ExtractorKind = 'embedded' | 'llm';

/**
 * The embedded extractor unless an LLM endpoint is configured (or asked for explicitly); a service
 * passes its pool, so the embedded extractor runs on the pool's threads with its time limit.
 */
export function createExtractor(
  kind: ExtractorKind | undefined,
  env: NodeJS.ProcessEnv,
  pool?: ExtractionPool,
): Extractor {
  const chosen = kind ?? (env.OPENAI_BASE_URL || env.OPENAI_API_KEY ? 'llm' : 'embedded');
  if (chosen === 'llm') return new OpenAiExtractor(loadLlmConfig(env));
  return pool ?? new EmbeddedExtractor();
}

/**
 * A service's extractor: the chosen one, with the embedded extractor (and the people rules that find
 * a conversation's deal) on a pool of threads under SCRIBE_EXTRACT_THREADS and SCRIBE_EXTRACT_TIMEOUT_MS.
 */
export function createServiceExtractor(env: NodeJS.ProcessEnv): {
  extractor: Extractor;
  extractionPool: ExtractionPool;
} {
  const limits = loadLimitsConfig(env);
  const pool = new ExtractionPool({ threads: limits.extractThreads, timeoutMs: limits.extractTimeoutMs });
  return { extractor: createExtractor(undefined, env, pool), extractionPool: pool };
}
