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

  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const post = async (body: unknown) => {
    const response = await fetch(graph.notificationUrl, {
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
  const expires = () => new Date(Date.now() + 55 * 60_000).toISOString();

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
      return post({
        value: resources.map((resource) => ({
          subscriptionId,
          changeType: 'created',
          clientState: o.clientState ?? options.clientState,
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
      return post({
        value: [
          {
            subscriptionId,
            subscriptionExpirationDateTime: expires(),
            tenantId: options.tenantId,
            clientState: options.clientState,
            lifecycleEvent: event,
          },
        ],
      });
    },
    close: () => server.close(),
  };
  return graph;
}
