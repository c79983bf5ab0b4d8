import type { Extractor } from '../domain/extraction/extractor.js';
import { EmbeddedExtractor } from '../domain/extraction/embedded/embedded-extractor.js';
import { OpenAiExtractor } from '../adapters/llm/openai-extractor.js';
import { loadLlmConfig } from '../config/llm-config.js';

export type ExtractorKind = 'embedded' | 'llm';

/** The embedded extractor unless an LLM endpoint is configured (or asked for explicitly). */
export function createExtractor(kind: ExtractorKind | undefined, env: NodeJS.ProcessEnv): Extractor {
  const chosen = kind ?? (env.OPENAI_BASE_URL || env.OPENAI_API_KEY ? 'llm' : 'embedded');
  if (chosen === 'llm') return new OpenAiExtractor(loadLlmConfig(env));
  return new EmbeddedExtractor();
}
