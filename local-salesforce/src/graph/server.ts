import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';

/**
 * A local Microsoft Graph and identity platform on loopback, for Teams meeting transcripts: the
 * client credentials token endpoint (`POST /{tenant}/oauth2/v2.0/token`, refusing a wrong secret
 * with `invalid_client` as Entra ID does), the transcript content endpoint (`GET
 * /v1.0/communications/onlineMeetings/{id}/transcripts/{id}/content?$format=text/vtt`, 401 without a
 * valid token, 404 with Graph's error shape), and the notifications a subscription to
 * `communications/onlineMeetings/getAllTranscripts` sends: the validationToken handshake, change
 * notifications with the subscription's clientState, and lifecycle notifications.
 * Subscriptions are created, read, renewed and deleted as Graph does (`/v1.0/subscriptions`): only
 * for the transcripts resource and `created` changes, after the notificationUrl (and the
 * lifecycleNotificationUrl) echoed a validation token, with an expirationDateTime in the future and at
 * most 4230 minutes away (the maximum for Teams transcripts), a lifecycleNotificationUrl required past
 * one hour, and 404 for a subscription that does not exist or has expired.
 * https://learn.microsoft.com/en-us/graph/api/subscription-post-subscriptions
 * https://learn.microsoft.com/en-us/graph/api/subscription-update
 * https://learn.microsoft.com/en-us/graph/api/resources/subscription (maximum length per resource)
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * https://learn.microsoft.com/en-us/graph/api/calltranscript-get
 * https://learn.microsoft.com/en-us/graph/teams-changenotifications-callrecording-and-calltranscript
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 */

export interface LocalGraphOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  clientState: string;
  /** The subscription's notificationUrl (the service's /webhooks/teams); may be set later. */
  notificationUrl?: string;
}

/** A subscription as Graph returns it. */
export interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  applicationId: string;
  creatorId: string;
  latestSupportedTlsVersion: 'v1_2';
}

/** The resource of a tenant-wide transcripts subscription, and the longest it may last. */
export const TRANSCRIPTS_RESOURCE = 'communications/onlineMeetings/getAllTranscripts';
export const TRANSCRIPTS_MAX_MINUTES = 4230;
/** Past this, Graph wants a lifecycleNotificationUrl for Teams transcripts. */
const LIFECYCLE_REQUIRED_AFTER_MS = 60 * 60_000;

export interface LocalGraph {
  /** The identity platform's base (TEAMS_LOGIN_BASE_URL). */
  url: string;
  /** Graph's v1.0 base (TEAMS_GRAPH_BASE_URL). */
  graphUrl: string;
  notificationUrl: string;
  requests: { path: string; status: number }[];
  /** Stores a transcript and returns its notification resource. */
  addTranscript(vtt: string, ids?: { meetingId?: string; transcriptId?: string }): string;
  /** Creates the subscription: Graph's validation request; true when the endpoint echoed the token. */
  subscribe(): Promise<boolean>;
  /** Sends a change notification for these resources; `clientState` overrides for forgeries. */
  notify(resources: string[], options?: { clientState?: string }): Promise<{ status: number; body: unknown }>;
  /** Sends a lifecycle notification (reauthorizationRequired, subscriptionRemoved, missed). */
  lifecycle(event: string): Promise<{ status: number; body: unknown }>;
  /** The subscriptions created through the API and not deleted or expired. */
  subscriptions(): GraphSubscription[];
  /** Removes a subscription as Graph does on its own, and tells its lifecycleNotificationUrl. */
  removeSubscription(id: string): Promise<{ status: number; body: unknown } | null>;
  /** Moves Graph's clock (expiry checks), in milliseconds ahead of the real one. */
  advance(ms: number): void;
  close(): Promise<void>;
}

const graphError = (code: string, message: string) => ({
  error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } },
});

export async function startLocalGraph(options: LocalGraphOptions): Promise<LocalGraph> {
  const transcripts = new Map<string, string>();
  const tokens = new Set<string>();
  const requests: LocalGraph['requests'] = [];
  const subscriptionId = randomUUID();
  const created = new Map<string, GraphSubscription>();
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  const server = Fastify({ logger: false });
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  server.addHook('onResponse', async (request, reply) => {
    requests.push({ path: request.url, status: reply.statusCode });
  });

  server.post<{ Params: { tenant: string }; Body: Record<string, string> }>(
    '/:tenant/oauth2/v2.0/token',
    async (request, reply) => {
      const b = request.body ?? {};
      if (request.params.tenant !== options.tenantId) {
        return reply
          .code(400)
          .send({ error: 'invalid_request', error_description: 'AADSTS90002: Tenant not found.' });
      }
      if (b.grant_type !== 'client_credentials' || b.scope !== 'https://graph.microsoft.com/.default') {
        return reply.code(400).send({
          error: 'invalid_request',
          error_description: 'AADSTS900144: grant_type and scope are required.',
        });
      }
      if (b.client_id !== options.clientId || b.client_secret !== options.clientSecret) {
        return reply.code(401).send({
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        });
      }
      const token = randomBytes(32).toString('base64url');
      tokens.add(token);
      return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token };
    },
  );

  server.get<{ Params: { meetingId: string; transcriptId: string }; Querystring: Record<string, string> }>(
    '/v1.0/communications/onlineMeetings/:meetingId/transcripts/:transcriptId/content',
    async (request, reply) => {
      const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!tokens.has(bearer)) {
        return reply
          .code(401)
          .send(graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
      }
      const vtt = transcripts.get(`${request.params.meetingId}/${request.params.transcriptId}`);
      if (!vtt) return reply.code(404).send(graphError('NotFound', 'The transcript was not found.'));
      if (request.query.$format !== 'text/vtt') {
        return reply.code(400).send(graphError('BadRequest', '$format must be text/vtt.'));
      }
      return reply.type('text/vtt').send(vtt);
    },
  );

  const authorized = (authorization: string | undefined) =>
    tokens.has(authorization?.replace(/^Bearer /, '') ?? '');
  const live = (id: string) => {
    const subscription = created.get(id);
    if (subscription && Date.parse(subscription.expirationDateTime) <= now()) created.delete(id);
    return created.get(id);
  };
  /** Graph's answer to a bad expirationDateTime, or null when it is acceptable. */
  const expiryProblem = (value: unknown, lifecycleUrl: string | null): string | null => {
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) return 'expirationDateTime is required and must be an ISO 8601 date-time.';
    if (at <= now()) return 'Subscription expiration can only be in the future.';
    if (at > now() + TRANSCRIPTS_MAX_MINUTES * 60_000) {
      return `Subscription expiration can only be ${TRANSCRIPTS_MAX_MINUTES} minutes in the future.`;
    }
    if (at > now() + LIFECYCLE_REQUIRED_AFTER_MS && !lifecycleUrl) {
      return 'lifecycleNotificationUrl is required for subscription creation on this resource when the expirationDateTime value exceeds 1 hour.';
    }
    return null;
  };
  /** Graph's validation request: the endpoint must echo the token as text/plain, 200, within 10 seconds. */
  const validates = async (endpoint: string): Promise<boolean> => {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    try {
      const response = await fetch(`${endpoint}?validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(10_000),
      });
      const type = response.headers.get('content-type') ?? '';
      return response.status === 200 && type.startsWith('text/plain') && (await response.text()) === token;
    } catch {
      return false;
    }
  };

  server.post<{ Body: Record<string, unknown> }>('/v1.0/subscriptions', async (request, reply) => {
    if (!authorized(request.headers.authorization)) {
      return reply
        .code(401)
        .send(graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    }
    const b = request.body ?? {};
    const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    const notificationUrl = text(b.notificationUrl);
    const lifecycleUrl = text(b.lifecycleNotificationUrl);
    const bad = (message: string) => reply.code(400).send(graphError('InvalidRequest', message));
    if (b.resource !== TRANSCRIPTS_RESOURCE) {
      return bad(
        `Resource '${String(b.resource)}' is not supported: this emulator serves ${TRANSCRIPTS_RESOURCE}.`,
      );
    }
    if (b.changeType !== 'created') return bad("changeType must be 'created' for transcripts.");
    if (!notificationUrl) return bad('notificationUrl is required.');
    if (typeof b.clientState === 'string' && b.clientState.length > 255) {
      return bad('clientState must be at most 255 characters.');
    }
    const expiry = expiryProblem(b.expirationDateTime, lifecycleUrl);
    if (expiry) return bad(expiry);
    for (const endpoint of [notificationUrl, ...(lifecycleUrl ? [lifecycleUrl] : [])]) {
      if (!(await validates(endpoint))) {
        return bad(
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (${endpoint}).`,
        );
      }
    }
    const subscription: GraphSubscription = {
      id: randomUUID(),
      resource: TRANSCRIPTS_RESOURCE,
      changeType: 'created',
      clientState: text(b.clientState),
      notificationUrl,
      lifecycleNotificationUrl: lifecycleUrl,
      expirationDateTime: new Date(Date.parse(b.expirationDateTime as string)).toISOString(),
      applicationId: options.clientId,
      creatorId: randomUUID(),
      latestSupportedTlsVersion: 'v1_2',
    };
    created.set(subscription.id, subscription);
    return reply.code(201).send({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
      ...subscription,
    });
  });

  server.get<{ Params: { id: string } }>('/v1.0/subscriptions/:id', async (request, reply) => {
    if (!authorized(request.headers.authorization)) {
      return reply
        .code(401)
        .send(graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    }
    const subscription = live(request.params.id);
    if (!subscription)
      return reply.code(404).send(graphError('ResourceNotFound', 'The object was not found.'));
    return subscription;
  });

  server.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/v1.0/subscriptions/:id',
    async (request, reply) => {
      if (!authorized(request.headers.authorization)) {
        return reply
          .code(401)
          .send(graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
      }
      const subscription = live(request.params.id);
      if (!subscription)
        return reply.code(404).send(graphError('ResourceNotFound', 'The object was not found.'));
      const expiry = expiryProblem(request.body?.expirationDateTime, subscription.lifecycleNotificationUrl);
      if (expiry) return reply.code(400).send(graphError('InvalidRequest', expiry));
      subscription.expirationDateTime = new Date(
        Date.parse(request.body!.expirationDateTime as string),
      ).toISOString();
      return subscription;
    },
  );

  server.delete<{ Params: { id: string } }>('/v1.0/subscriptions/:id', async (request, reply) => {
    if (!authorized(request.headers.authorization)) {
      return reply
        .code(401)
        .send(graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    }
    if (!live(request.params.id)) {
      return reply.code(404).send(graphError('ResourceNotFound', 'The object was not found.'));
    }
    created.delete(request.params.id);
    return reply.code(204).send();
  });

  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const post = (body: unknown) => postTo(graph.notificationUrl, body);
  const postTo = async (to: string, body: unknown) => {
    const response = await fetch(to, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // kept as text
    }
    return { status: response.status, body: parsed };
  };
  const expires = () => new Date(now() + 55 * 60_000).toISOString();
  /** The subscription notifications come from: the one created through the API, if any. */
  const current = () => [...created.values()].at(-1);
  const lifecycleBody = (id: string, event: string) => ({
    value: [
      {
        id: randomUUID(),
        subscriptionId: id,
        subscriptionExpirationDateTime: created.get(id)?.expirationDateTime ?? expires(),
        tenantId: options.tenantId,
        clientState: created.get(id)?.clientState ?? options.clientState,
        lifecycleEvent: event,
      },
    ],
  });

  const graph: LocalGraph = {
    url,
    graphUrl: `${url}/v1.0`,
    notificationUrl: options.notificationUrl ?? '',
    requests,
    addTranscript(vtt, ids = {}) {
      const meetingId = ids.meetingId ?? `MSo${randomBytes(18).toString('base64url')}`;
      const transcriptId = ids.transcriptId ?? `MSMjMCMj${randomBytes(18).toString('base64url')}`;
      transcripts.set(`${meetingId}/${transcriptId}`, vtt);
      return `communications/onlineMeetings('${meetingId}')/transcripts('${transcriptId}')`;
    },
    async subscribe() {
      const validationToken = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      const response = await fetch(
        `${graph.notificationUrl}?validationToken=${encodeURIComponent(validationToken)}`,
        { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
      const contentType = response.headers.get('content-type') ?? '';
      return (
        response.status === 200 &&
        contentType.startsWith('text/plain') &&
        (await response.text()) === validationToken
      );
    },
    notify(resources, o = {}) {
      const subscription = current();
      return post({
        value: resources.map((resource) => ({
          id: randomUUID(),
          subscriptionId: subscription?.id ?? subscriptionId,
          changeType: 'created',
          clientState: o.clientState ?? subscription?.clientState ?? options.clientState,
          subscriptionExpirationDateTime: expires(),
          resource,
          resourceData: {
            id: /transcripts\('([^']+)'\)/.exec(resource)?.[1],
            '@odata.type': '#Microsoft.Graph.callTranscript',
            '@odata.id': resource,
          },
          tenantId: options.tenantId,
        })),
      });
    },
    lifecycle(event) {
      const subscription = current();
      if (subscription?.lifecycleNotificationUrl) {
        return postTo(subscription.lifecycleNotificationUrl, lifecycleBody(subscription.id, event));
      }
      return post(lifecycleBody(subscription?.id ?? subscriptionId, event));
    },
    subscriptions: () =>
      [...created.keys()].flatMap((id) => {
        const s = live(id);
        return s ? [{ ...s }] : [];
      }),
    async removeSubscription(id) {
      const subscription = live(id);
      if (!subscription) return null;
      created.delete(id);
      const to = subscription.lifecycleNotificationUrl ?? subscription.notificationUrl;
      return postTo(to, {
        value: [
          { ...lifecycleBody(id, 'subscriptionRemoved').value[0], clientState: subscription.clientState },
        ],
      });
    },
    advance(ms) {
      skewMs += ms;
    },
    close: () => server.close(),
  };
  return graph;
}
