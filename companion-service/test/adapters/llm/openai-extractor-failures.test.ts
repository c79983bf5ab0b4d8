import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { OrgRules } from '../../../src/domain/org-rules.js';
import { LlmExtractionError } from '../../../src/adapters/llm/openai-extractor.js';
import { emptyAnswer, startFakeOpenAi, type FakeOpenAi, type Script } from './fake-openai-server.js';
import { API_KEY, DISCOVERY, discoveryAnswer, extractor, extract as extractWith } from './fixtures.js';

let rules: OrgRules;
let server: FakeOpenAi | null = null;

beforeAll(async () => {
  rules = await loadPackageRules();
});

afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(script: Script): Promise<FakeOpenAi> {
  server = await startFakeOpenAi(script);
  return server;
}

const extract = (llm: ReturnType<typeof extractor>, transcript: string) =>
  extractWith(llm, rules, transcript);

describe('OpenAiExtractor when things go wrong', () => {
  describe('invalid output', () => {
    const invalidAnswers: [string, Script][] = [
      ['text that is not JSON', () => ({ content: 'Sure! Here are the insights: {"summary": ' })],
      [
        'JSON that breaks the schema',
        () => ({
          content: {
            ...discoveryAnswer(),
            budget: { amount: '120k', currency: 'dollars', evidence: { quote: 'x' } },
          },
        }),
      ],
      ['a refusal', () => ({ refusal: 'I cannot help with that.' })],
    ];

    it.each(invalidAnswers)('retries once after %s and then succeeds', async (_, invalid) => {
      const fake = await serve((request, index) =>
        index === 0 ? invalid(request, index) : { content: discoveryAnswer() },
      );
      const insights = await extract(extractor(fake.baseURL), DISCOVERY);

      expect(fake.requests).toHaveLength(2);
      const retryMessages = fake.requests[1]!.body.messages;
      expect(retryMessages.at(-1)!.content).toMatch(/previous answer could not be used/);
      expect(insights.budget?.amount).toBe(120_000);
    });

    it.each(invalidAnswers)('fails with a one-line error after %s twice', async (_, invalid) => {
      const fake = await serve(invalid);
      const error = await extract(extractor(fake.baseURL), DISCOVERY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LlmExtractionError);
      const message = (error as Error).message;
      expect(message).toContain(fake.baseURL);
      expect(message).toMatch(/output was invalid twice/);
      expect(message).not.toMatch(/\n/);
      expect(message).not.toContain('Dana');
      expect(fake.requests).toHaveLength(2);
    });
  });

  describe('transport failures', () => {
    it('reports an HTTP 500 in one line that names the endpoint and the status', async () => {
      const fake = await serve(() => ({
        status: 500,
        error: { error: { message: 'the model server crashed\n  at worker.js:12', type: 'server_error' } },
      }));
      const error = await extract(extractor(fake.baseURL), DISCOVERY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LlmExtractionError);
      expect((error as Error).message).toBe(
        `LLM extraction via ${fake.baseURL} (model test-model) failed: HTTP 500 the model server crashed at worker.js:12`,
      );
      expect(fake.requests).toHaveLength(1);
    });

    it('says when the endpoint cannot be reached', async () => {
      const fake = await serve(() => ({ content: emptyAnswer() }));
      const { baseURL } = fake;
      await fake.close();
      server = null;
      const error = await extract(extractor(baseURL), DISCOVERY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LlmExtractionError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^LLM extraction via ${baseURL.replace(/\./g, '\\.')} .*failed: cannot connect: .*ECONNREFUSED`,
        ),
      );
      expect((error as Error).message).not.toMatch(/\n/);
    });

    it('points at the key when the endpoint rejects it, without echoing it', async () => {
      const fake = await serve(() => ({
        status: 401,
        error: {
          error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' },
        },
      }));
      const error = await extract(extractor(fake.baseURL), DISCOVERY).catch((e: unknown) => e);

      expect((error as Error).message).toMatch(
        /HTTP 401 Incorrect API key provided: \[key\]; check OPENAI_API_KEY$/,
      );
      expect((error as Error).message).not.toContain(API_KEY);
    });
  });
});
