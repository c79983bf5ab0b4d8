import type { z } from 'zod';
import type { GongApiSettings } from '../../config/gong-config.js';
import { RequestPacer } from './rate-limit.js';
import {
  ExtensivePageSchema,
  GongErrorSchema,
  TranscriptPageSchema,
  type CallTranscript,
  type ExtensiveCall,
} from './gong-responses.js';

/**
 * Gong's REST API: call transcripts and extensive call data by call id, following cursors. Paced to
 * Gong's per-second limit; a 429 waits as long as Retry-After says (and so does every other request
 * of this client); 5xx answers, timeouts and dropped connections are retried with jittered backoff;
 * any other refusal is a GongApiError carrying Gong's request id and messages.
 */

export class GongApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly requestId: string | null,
    readonly errors: string[],
    /** Whether a later attempt may succeed (rate limits, Gong's own faults, the network). */
    readonly transient: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'GongApiError';
  }
}

export interface GongApi {
  transcripts(callIds: string[]): Promise<CallTranscript[]>;
  extensiveCalls(callIds: string[]): Promise<ExtensiveCall[]>;
}

export interface GongClientOptions {
  /** The first backoff after a 5xx; doubled each time, with full jitter. */
  backoffBaseMs?: number;
  /** The longest a 429's Retry-After is obeyed before giving up as transient. */
  maxRetryAfterMs?: number;
  random?: () => number;
}

const MAX_PAGES = 1000;

export class GongClient implements GongApi {
  private readonly pacer: RequestPacer;
  private readonly authorization: string;

  constructor(
    private readonly settings: GongApiSettings,
    private readonly options: GongClientOptions = {},
  ) {
    if (!settings.auth) {
      throw new GongApiError(
        null,
        null,
        [],
        false,
        'Gong API credentials are not set: set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or GONG_OAUTH_TOKEN',
      );
    }
    this.pacer = new RequestPacer(settings.requestsPerSecond);
    this.authorization =
      settings.auth.kind === 'basic'
        ? `Basic ${Buffer.from(`${settings.auth.accessKey}:${settings.auth.secret}`).toString('base64')}`
        : `Bearer ${settings.auth.token}`;
  }

  async transcripts(callIds: string[]): Promise<CallTranscript[]> {
    const pages = await this.pages('/v2/calls/transcript', { filter: { callIds } }, TranscriptPageSchema);
    return pages.flatMap((page) => page.callTranscripts);
  }

  async extensiveCalls(callIds: string[]): Promise<ExtensiveCall[]> {
    const body = {
      filter: { callIds },
      contentSelector: { context: 'Extended', exposedFields: { parties: true } },
    };
    const pages = await this.pages('/v2/calls/extensive', body, ExtensivePageSchema);
    return pages.flatMap((page) => page.calls);
  }

  private async pages<T extends z.ZodType<{ records?: { cursor?: string | null } | null }>>(
    path: string,
    body: Record<string, unknown>,
    schema: T,
  ): Promise<z.infer<T>[]> {
    const pages: z.infer<T>[] = [];
    let cursor: string | undefined;
    do {
      const json = await this.post(path, cursor ? { ...body, cursor } : body);
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new GongApiError(
          200,
          requestIdOf(json),
          [],
          false,
          `Gong's answer to POST ${path} is not in the documented shape: ${issue.path.join('.') || 'body'}: ${issue.message}`,
        );
      }
      pages.push(parsed.data);
      cursor = parsed.data.records?.cursor ?? undefined;
    } while (cursor && pages.length < MAX_PAGES);
    return pages;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const url = `${this.settings.baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      await this.pacer.take();
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: this.authorization,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        const problem = timedOut
          ? `timed out after ${this.settings.timeoutMs} ms`
          : `could not be reached (${causeOf(error)})`;
        if (attempt < this.settings.maxRetries) {
          await this.backoff(attempt);
          continue;
        }
        throw new GongApiError(
          null,
          null,
          [],
          true,
          `Gong API ${problem} on POST ${path} after ${attempt + 1} attempts`,
        );
      }
      const json = await readJson(response);
      if (response.ok) return json;
      const error = gongError(response.status, path, json);
      if (response.status === 429 && attempt < this.settings.maxRetries) {
        const waitMs = retryAfterMs(response.headers.get('retry-after'));
        if (waitMs <= (this.options.maxRetryAfterMs ?? 120_000)) {
          this.pacer.pauseUntil(Date.now() + waitMs);
          continue;
        }
      }
      if (response.status >= 500 && attempt < this.settings.maxRetries) {
        await this.backoff(attempt);
        continue;
      }
      throw error;
    }
  }

  private backoff(attempt: number): Promise<void> {
    const ceiling = (this.options.backoffBaseMs ?? 500) * 2 ** attempt;
    const ms = Math.round((this.options.random ?? Math.random)() * ceiling);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return { errors: [text.slice(0, 200)] };
  }
}

function requestIdOf(json: unknown): string | null {
  const parsed = GongErrorSchema.safeParse(json);
  return parsed.success ? (parsed.data.requestId ?? null) : null;
}

function gongError(status: number, path: string, json: unknown): GongApiError {
  const parsed = GongErrorSchema.safeParse(json);
  const requestId = parsed.success ? (parsed.data.requestId ?? null) : null;
  const errors = parsed.success ? (parsed.data.errors ?? []) : [];
  const said = errors.length > 0 ? `: ${errors.join('; ')}` : '';
  const hint =
    status === 401 || status === 403
      ? ' (check GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or GONG_OAUTH_TOKEN, and the key’s API scopes)'
      : '';
  return new GongApiError(
    status,
    requestId,
    errors,
    status === 429 || status >= 500,
    `Gong API answered ${status} to POST ${path}${said}${hint}${requestId ? ` (Gong request id ${requestId})` : ''}`,
  );
}

/** Retry-After is seconds or an HTTP date; a missing or unreadable one means a second. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
