import { describe, expect, it } from 'vitest';
import { loadLlmConfig, LlmConfigError } from '../../src/config/llm-config.js';

describe('loadLlmConfig', () => {
  it('needs only the key and defaults the rest', () => {
    expect(loadLlmConfig({ OPENAI_API_KEY: 'sk-test' })).toEqual({
      baseURL: undefined,
      apiKey: 'sk-test',
      model: 'gpt-4o-mini',
      sendPii: false,
      chunkChars: 12_000,
      overlapChars: 1_200,
      timeoutMs: 120_000,
      maxRetries: 2,
    });
  });

  it('reads every setting', () => {
    const config = loadLlmConfig({
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      OPENAI_API_KEY: 'local',
      SCRIBE_LLM_MODEL: 'llama3.1:8b',
      SCRIBE_LLM_SEND_PII: 'true',
      SCRIBE_LLM_CHUNK_CHARS: '6000',
      SCRIBE_LLM_CHUNK_OVERLAP_CHARS: '400',
      SCRIBE_LLM_TIMEOUT_MS: '30000',
      SCRIBE_LLM_MAX_RETRIES: '0',
    });
    expect(config).toEqual({
      baseURL: 'http://127.0.0.1:8000/v1',
      apiKey: 'local',
      model: 'llama3.1:8b',
      sendPii: true,
      chunkChars: 6_000,
      overlapChars: 400,
      timeoutMs: 30_000,
      maxRetries: 0,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadLlmConfig({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: '', SCRIBE_LLM_MODEL: ' ' }).model).toBe(
      'gpt-4o-mini',
    );
  });

  it('names the missing key and the fix', () => {
    expect(() => loadLlmConfig({ OPENAI_BASE_URL: 'http://localhost:8000/v1' })).toThrow(LlmConfigError);
    expect(() => loadLlmConfig({})).toThrow(
      /^OPENAI_API_KEY is not set for the llm extractor: export OPENAI_API_KEY=/,
    );
  });

  it.each([
    ['OPENAI_BASE_URL', 'localhost:8000'],
    ['SCRIBE_LLM_SEND_PII', 'yes'],
    ['SCRIBE_LLM_CHUNK_CHARS', '12k'],
    ['SCRIBE_LLM_TIMEOUT_MS', '-5'],
  ])('rejects %s=%s with the variable, the value and the fix', (name, value) => {
    expect(() => loadLlmConfig({ OPENAI_API_KEY: 'k', [name]: value })).toThrow(
      new RegExp(`^${name} is "${value}", which is not valid for the llm extractor: (use|set) `),
    );
  });
});
