import { z } from 'zod';
import type { GraphTranscripts } from './transcript-download.js';

/**
 * Microsoft Graph's subscriptions API for the Teams transcripts subscription: create
 * (`POST /subscriptions`, after which Graph validates the notification URLs), renew
 * (`PATCH /subscriptions/{id}` with a new expirationDateTime; renewing also reauthorizes it) and
 * delete, with the app's client-credentials token.
 * https://learn.microsoft.com/en-us/graph/api/subscription-post-subscriptions
 * https://learn.microsoft.com/en-us/graph/api/subscription-update
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */

export class GraphSubscriptionError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GraphSubscriptionError';
  }
}

const SubscriptionSchema = z
  .object({ id: z.string().min(1).max(200), expirationDateTime: z.iso.datetime({ offset: true }) })
  .loose();

export interface SubscriptionRequest {
  resource: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  expirationDateTime: Date;
}

export interface CreatedSubscription {
  subscriptionId: string;
  expiresAt: Date;
}

/** Graph's error code and message, never the request (it carries the clientState). */
async function graphFailure(response: Response, what: string): Promise<GraphSubscriptionError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown };
  } | null;
  const code = typeof body?.error?.code === 'string' ? body.error.code : 'no error code';
  const message = typeof body?.error?.message === 'string' ? body.error.message.slice(0, 300) : '';
  return new GraphSubscriptionError(
    `Graph refused to ${what}: HTTP ${response.status} ${code}${message ? ` (${message})` : ''}`,
    response.status,
  );
}

export class GraphSubscriptions {
  constructor(
    private readonly graph: Pick<GraphTranscripts, 'accessToken' | 'forgetToken'>,
    private readonly graphBaseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const token = await this.graph.accessToken();
    let response: Response;
    try {
      response = await fetch(`${this.graphBaseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Graph answers a create only after validating the notification URLs (up to 10 seconds).
        signal: AbortSignal.timeout(Math.max(this.timeoutMs, 15_000)),
      });
    } catch (error) {
      throw new GraphSubscriptionError(`Graph could not be reached: ${(error as Error).message}`, null);
    }
    if (response.status === 401) this.graph.forgetToken();
    return response;
  }

  private async read(response: Response, what: string): Promise<CreatedSubscription> {
    const parsed = SubscriptionSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      throw new GraphSubscriptionError(`Graph's answer to ${what} has no subscription id and expiry`, null);
    }
    return { subscriptionId: parsed.data.id, expiresAt: new Date(parsed.data.expirationDateTime) };
  }

  async create(request: SubscriptionRequest): Promise<CreatedSubscription> {
    const response = await this.send('POST', '/subscriptions', {
      changeType: 'created',
      resource: request.resource,
      notificationUrl: request.notificationUrl,
      lifecycleNotificationUrl: request.lifecycleNotificationUrl,
      clientState: request.clientState,
      expirationDateTime: request.expirationDateTime.toISOString(),
    });
    if (response.status !== 201 && response.status !== 200) {
      throw await graphFailure(response, 'create the transcripts subscription');
    }
    return this.read(response, 'the subscription request');
  }

  /** The renewed subscription, or null when Graph no longer has it (404). */
  async renew(subscriptionId: string, expirationDateTime: Date): Promise<CreatedSubscription | null> {
    const response = await this.send('PATCH', `/subscriptions/${encodeURIComponent(subscriptionId)}`, {
      expirationDateTime: expirationDateTime.toISOString(),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) throw await graphFailure(response, 'renew the transcripts subscription');
    return this.read(response, 'the renewal');
  }
}
