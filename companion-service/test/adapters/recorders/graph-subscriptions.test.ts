import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalGraph, type LocalGraph } from '@pipeline-scribe/local-salesforce/graph';
import { GraphTranscripts } from '../../../src/adapters/recorders/transcript-download.js';
import {
  GraphSubscriptionError,
  GraphSubscriptions,
} from '../../../src/adapters/recorders/graph-subscriptions.js';
import {
  MAX_SUBSCRIPTION_MINUTES,
  requestedExpiry,
  TRANSCRIPTS_RESOURCE,
} from '../../../src/domain/source/graph-subscription.js';

/**
 * The subscriptions client against the local Graph, which holds it to Graph's documented rules: the
 * notification URLs validated before a subscription exists, at most 4230 minutes for transcripts, a
 * lifecycle URL past an hour, 404 for a subscription it does not have.
 */

const TEAMS = { tenantId: 'contoso-tenant', clientId: 'scribe-app', clientSecret: 'graph-secret' };
const CLIENT_STATE = 'teams-client-state-0123456789';

let graph: LocalGraph;
let endpoint: Server;
let endpointUrl: string;
let echoes = true;
let subscriptions: GraphSubscriptions;

beforeAll(async () => {
  // The service's /webhooks/teams in miniature: echoes Graph's validation token, or not.
  endpoint = createServer((request, response) => {
    const token = new URL(request.url ?? '/', 'http://x').searchParams.get('validationToken');
    if (token && echoes) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(token);
    } else response.writeHead(400).end();
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const address = endpoint.address() as { port: number };
  endpointUrl = `http://127.0.0.1:${address.port}/webhooks/teams`;
});
afterAll(async () => new Promise((resolve) => endpoint.close(resolve)));

beforeEach(async () => {
  echoes = true;
  graph = await startLocalGraph({ ...TEAMS, clientState: CLIENT_STATE });
  const client = new GraphTranscripts(
    { credentials: TEAMS, graphBaseUrl: graph.graphUrl, loginBaseUrl: graph.url },
    { timeoutMs: 5000, maxBytes: 65536 },
  );
  subscriptions = new GraphSubscriptions(client, graph.graphUrl, 5000);
});
afterEach(async () => graph.close());

const request = (over: Partial<Parameters<GraphSubscriptions['create']>[0]> = {}) => ({
  resource: TRANSCRIPTS_RESOURCE,
  notificationUrl: endpointUrl,
  lifecycleNotificationUrl: endpointUrl,
  clientState: CLIENT_STATE,
  expirationDateTime: requestedExpiry(new Date()),
  ...over,
});

describe("Graph's subscriptions, as the local Graph enforces them", () => {
  it('creates a transcripts subscription once its URLs echo the validation token, and renews it', async () => {
    const created = await subscriptions.create(request());
    expect(graph.subscriptions()).toEqual([
      expect.objectContaining({
        id: created.subscriptionId,
        resource: TRANSCRIPTS_RESOURCE,
        changeType: 'created',
        clientState: CLIENT_STATE,
      }),
    ]);
    expect(created.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000);

    graph.advance(50 * 3_600_000);
    const later = requestedExpiry(new Date(Date.now() + 50 * 3_600_000));
    const renewed = await subscriptions.renew(created.subscriptionId, later);
    expect(renewed).toEqual({ subscriptionId: created.subscriptionId, expiresAt: later });
  });

  it('refuses what Graph refuses, with its reason', async () => {
    const refusal = async (over: Parameters<typeof request>[0]) => {
      const error = await subscriptions.create(request(over)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphSubscriptionError);
      return (error as GraphSubscriptionError).message;
    };
    expect(
      await refusal({ expirationDateTime: new Date(Date.now() + (MAX_SUBSCRIPTION_MINUTES + 5) * 60_000) }),
    ).toContain('4230 minutes');
    expect(await refusal({ expirationDateTime: new Date(Date.now() - 1000) })).toContain('future');
    expect(await refusal({ lifecycleNotificationUrl: '' })).toContain('lifecycleNotificationUrl is required');
    expect(await refusal({ resource: 'communications/callRecords' })).toContain('not supported');
    echoes = false;
    expect(await refusal({})).toContain('Subscription validation request failed');
    expect(graph.subscriptions()).toEqual([]);
  });

  it('answers 404 for a subscription it does not have, or no longer has', async () => {
    expect(
      await subscriptions.renew('5f1c1d8e-0000-4000-8000-000000000000', requestedExpiry(new Date())),
    ).toBeNull();
    const created = await subscriptions.create(request());
    graph.advance((MAX_SUBSCRIPTION_MINUTES + 1) * 60_000);
    expect(await subscriptions.renew(created.subscriptionId, requestedExpiry(new Date()))).toBeNull();
    expect(graph.subscriptions()).toEqual([]);
  });
});
