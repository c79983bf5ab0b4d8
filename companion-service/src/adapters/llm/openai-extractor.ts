import OpenAI, { APIError, APIConnectionTimeoutError, OpenAIError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ZodError } from 'zod';
import type { ExtractionContext, Extractor } from '../../domain/extraction/extractor.js';
import type { DraftInsights } from '../../domain/extraction/draft.js';
import type { Insights } from '../../domain/insights/schema.js';
import type { Conversation } from '../../domain/source/conversation.js';
import { chunkConversation, type ConversationChunk } from '../../domain/extraction/chunking.js';
import { mergeDrafts } from '../../domain/extraction/merge-drafts.js';
import { finalizeInsights } from '../../domain/extraction/finalize.js';
import { PiiMask } from '../../domain/privacy/pii-mask.js';
import type { LlmConfig } from '../../config/llm-config.js';
import {
  LlmOutputSchema,
  toPortableSchema,
  toDraft,
  type LlmOutput,
  type PriorityRule,
} from './llm-output.js';
import { prioritizeNextStep } from '../../domain/extraction/next-step-priority.js';
import { chunkMessages, systemPrompt } from './prompt.js';

/**
 * The LLM extractor: any OpenAI-compatible endpoint, asked for structured output shaped by the
 * insights contract. The model only drafts; grounding, the stage rules and the field policies in
 * finalizeInsights decide what is emitted, exactly as for the embedded extractor.
 *
 * Structured outputs come from `zodResponseFormat`, which supports zod 4 as installed (openai 6
 * converts with zod's own toJSONSchema and parses each answer with our schema).
 */

export class LlmExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmExtractionError';
  }
}

/** How many chunk requests are in flight at once: faster on long calls, gentle on rate limits. */
const CONCURRENT_CHUNKS = 3;
const EXTRACTOR_VERSION = '0.1.0';

export class OpenAiExtractor implements Extractor {
  readonly name = 'llm';
  readonly version: string;
  private readonly client: OpenAI;
  private readonly responseFormat = zodResponseFormat(LlmOutputSchema, 'insights');

  constructor(private readonly config: LlmConfig) {
    this.version = `${EXTRACTOR_VERSION} (${config.model})`;
    this.client = new OpenAI({
      // null, not undefined: the SDK would otherwise read OPENAI_BASE_URL behind the config's back.
      baseURL: config.baseURL ?? null,
      apiKey: config.apiKey,
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
    toPortableSchema(this.responseFormat.json_schema.schema as Record<string, unknown>);
  }

  /** The endpoint as a person would name it: no credentials or query string from the URL. */
  private get endpoint(): string {
    try {
      const url = new URL(this.client.baseURL);
      return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
    } catch {
      return 'the configured endpoint';
    }
  }

  async extract(conversation: Conversation, context: ExtractionContext): Promise<Insights> {
    const chunks = chunkConversation(conversation, {
      maxChars: this.config.chunkChars,
      overlapChars: this.config.overlapChars,
    });
    const mask = this.config.sendPii ? null : new PiiMask(conversation.text);
    const system = systemPrompt(context);
    const drafts = await mapConcurrently(chunks, CONCURRENT_CHUNKS, (chunk) =>
      this.extractChunk(conversation, chunk, chunks.length, context, system, mask),
    );
    return finalizeInsights(conversation, mergeDrafts(drafts), context, this);
  }

  private async extractChunk(
    conversation: Conversation,
    chunk: ConversationChunk,
    chunkCount: number,
    context: ExtractionContext,
    system: string,
    mask: PiiMask | null,
  ): Promise<DraftInsights> {
    const outbound = (text: string) => (mask ? mask.mask(text) : text);
    const messages = chunkMessages({ conversation, chunk, chunkCount, context, outbound }, system);
    const where = chunkCount > 1 ? ` (part ${chunk.index + 1} of ${chunkCount})` : '';
    const priorityOf: PriorityRule = ({ said, due }) =>
      prioritizeNextStep({
        said,
        due,
        meetingDate: context.meetingDate,
        cutoffs: context.rules.nextStepPriority,
      });
    const first = await this.request(messages);
    if (first.ok) return toDraft(mask ? mask.restore(first.output) : first.output, priorityOf, this.name);
    // One retry, told what was wrong: models usually correct a malformed answer when shown the problem.
    const retry = await this.request([
      ...messages,
      {
        role: 'user',
        content: `Your previous answer could not be used (${first.problem}). Answer again with JSON that follows the schema exactly.`,
      },
    ]);
    if (retry.ok) return toDraft(mask ? mask.restore(retry.output) : retry.output, priorityOf, this.name);
    throw this.failure(`the model's output was invalid twice${where}: ${retry.problem}`);
  }

  private async request(
    messages: ChatCompletionMessageParam[],
  ): Promise<{ ok: true; output: LlmOutput } | { ok: false; problem: string }> {
    let completion;
    try {
      completion = await this.client.chat.completions.parse({
        model: this.config.model,
        messages,
        // No temperature: reasoning models reject any but the default, and the schema does the constraining.
        response_format: this.responseFormat,
      });
    } catch (error) {
      const problem = invalidOutputProblem(error);
      if (problem) return { ok: false, problem };
      throw this.failure(this.transportProblem(error));
    }
    const message = completion.choices[0]?.message;
    if (!message) return { ok: false, problem: 'the answer had no choices' };
    if (message.refusal) return { ok: false, problem: `the model refused: ${message.refusal.slice(0, 120)}` };
    if (!message.parsed) return { ok: false, problem: 'the answer had no content' };
    return { ok: true, output: message.parsed };
  }

  private transportProblem(error: unknown): string {
    if (error instanceof APIConnectionTimeoutError)
      return `no answer within ${this.config.timeoutMs} ms (SCRIBE_LLM_TIMEOUT_MS)`;
    if (error instanceof APIError && error.status === undefined) return `cannot connect: ${rootCause(error)}`;
    if (error instanceof APIError) {
      const hint =
        error.status === 401 || error.status === 403
          ? '; check OPENAI_API_KEY'
          : error.status === 404
            ? '; check OPENAI_BASE_URL and SCRIBE_LLM_MODEL'
            : '';
      return `HTTP ${error.message}${hint}`;
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** One line, naming the endpoint and the problem; the key never appears even if an endpoint echoes it. */
  private failure(problem: string): LlmExtractionError {
    let line = problem.replace(/\s+/g, ' ').trim();
    // Short keys are placeholders for local endpoints; redacting them would mangle ordinary words.
    if (this.config.apiKey.length >= 8) line = line.split(this.config.apiKey).join('[key]');
    return new LlmExtractionError(
      `LLM extraction via ${this.endpoint} (model ${this.config.model}) failed: ${line}`,
    );
  }
}

/** Problems that are the model's answer, not the transport: worth the one retry. Null for anything else. */
function invalidOutputProblem(error: unknown): string | null {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return issue ? `${issue.path.join('.') || 'answer'}: ${issue.message}` : 'it does not match the schema';
  }
  // Not the parser's message: it quotes the answer, which may quote the conversation.
  if (error instanceof SyntaxError) return 'it is not valid JSON';
  if (error instanceof OpenAIError && !(error instanceof APIError)) {
    // The SDK's own checks of the answer: cut off at the length limit, or stopped by a content filter.
    return error.message;
  }
  return null;
}

/** The innermost reason a connection failed ("connect ECONNREFUSED 127.0.0.1:9"), not fetch's generic wrapper. */
function rootCause(error: Error): string {
  let current: unknown = error;
  let reason = error.message;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    reason = code && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return reason;
}

async function mapConcurrently<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
