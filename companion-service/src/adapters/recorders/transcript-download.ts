import { z } from 'zod';
import type { TeamsCredentials } from '../../config/recorders-config.js';

/**
 * Fetching a meeting's WebVTT transcript over HTTPS: Zoom's download URL with the webhook's
 * download_token, and Microsoft Graph's transcript content with an app token from the client
 * credentials flow. Bounded in time and size; 429 and 5xx are worth retrying, other refusals are not.
 * Zoom: https://developers.zoom.us/docs/api/meetings/events/#tag/recording/POSTrecording.transcript_completed
 * Graph: https://learn.microsoft.com/en-us/graph/api/calltranscript-get (GET .../transcripts/{id}/content?$format=text/vtt)
 * Token: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */

export class TranscriptDownloadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'TranscriptDownloadError';
  }
}

export interface DownloadLimits {
  timeoutMs: number;
  maxBytes: number;
}

async function boundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new TranscriptDownloadError(
      `${what} is ${declared} bytes, over the limit of ${maxBytes}`,
      null,
      false,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    size += chunk.value.length;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new TranscriptDownloadError(`${what} is over the limit of ${maxBytes} bytes`, null, false);
    }
    chunks.push(Buffer.from(chunk.value));
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function get(url: string, init: RequestInit, limits: DownloadLimits, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    throw new TranscriptDownloadError(
      `${what} could not be reached: ${(error as Error).message}`,
      null,
      true,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    const transient = response.status === 429 || response.status >= 500;
    throw new TranscriptDownloadError(`${what} answered HTTP ${response.status}`, response.status, transient);
  }
  return response;
}

/**
 * Zoom's transcript file. The URL comes from the webhook, so it is fetched only from Zoom's own hosts
 * (or the configured origin, for the local emulator): a forged-but-signed payload cannot point the
 * service, and its token, anywhere else.
 */
export async function downloadZoomTranscript(
  downloadUrl: string,
  downloadToken: string,
  allowedOrigin: string,
  limits: DownloadLimits,
): Promise<string> {
  const url = new URL(downloadUrl);
  const allowed = new URL(allowedOrigin);
  const zoomHost =
    url.protocol === 'https:' && (url.hostname === 'zoom.us' || url.hostname.endsWith('.zoom.us'));
  if (!zoomHost && url.origin !== allowed.origin) {
    throw new TranscriptDownloadError(
      `the transcript's download_url is on ${url.host}, not a Zoom host (zoom.us)`,
      null,
      false,
    );
  }
  const response = await get(
    url.href,
    { headers: { authorization: `Bearer ${downloadToken}` } },
    limits,
    "Zoom's transcript download",
  );
  return boundedText(response, limits.maxBytes, "Zoom's transcript");
}

const TokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

/** A Graph client for one app registration: a token per tenant, reused until a minute before it expires. */
export class GraphTranscripts {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly settings: {
      credentials: TeamsCredentials;
      graphBaseUrl: string;
      loginBaseUrl: string;
    },
    private readonly limits: DownloadLimits,
  ) {}

  /** A client-credentials token for Graph (the subscriptions client uses it too). */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const { tenantId, clientId, clientSecret } = this.settings.credentials;
    const response = await get(
      `${this.settings.loginBaseUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: clientId,
          client_secret: clientSecret,
          scope: 'https://graph.microsoft.com/.default',
          grant_type: 'client_credentials',
        }).toString(),
      },
      this.limits,
      'the Microsoft identity platform',
    );
    const parsed = TokenSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      throw new TranscriptDownloadError('the Microsoft identity platform sent no access_token', null, true);
    }
    this.token = {
      value: parsed.data.access_token,
      expiresAt: Date.now() + Math.max(0, parsed.data.expires_in - 60) * 1000,
    };
    return this.token.value;
  }

  /** After a 401: the next call asks for a new token. */
  forgetToken(): void {
    this.token = null;
  }

  /** The transcript at `transcriptPath` (as the notification named it) in WebVTT. */
  async transcript(transcriptPath: string): Promise<string> {
    const token = await this.accessToken();
    let response: Response;
    try {
      response = await get(
        `${this.settings.graphBaseUrl}/${transcriptPath}/content?$format=text/vtt`,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/vtt' } },
        this.limits,
        "Graph's transcript content",
      );
    } catch (error) {
      // A token revoked or expired early: the next attempt asks for a new one.
      if (error instanceof TranscriptDownloadError && error.status === 401) {
        this.token = null;
        throw new TranscriptDownloadError(error.message, 401, true);
      }
      throw error;
    }
    return boundedText(response, this.limits.maxBytes, 'the Teams transcript');
  }
}
