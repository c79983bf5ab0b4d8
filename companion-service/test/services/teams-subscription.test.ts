import { createServer, type Server } from 'node:http';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalGraph, type LocalGraph } from '@pipeline-scribe/local-salesforce/graph';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { GraphTranscripts } from '../../src/adapters/recorders/transcript-download.js';
import { GraphSubscriptions } from '../../src/adapters/recorders/graph-subscriptions.js';
import { underSubscriptionLock } from '../../src/adapters/postgres/graph-subscription-store.js';
import { TRANSCRIPTS_RESOURCE } from '../../src/domain/source/graph-subscription.js';
import { TeamsSubscriptionKeeper } from '../../src/services/teams-subscription.js';

/** The subscription keeper against the local Graph and a real Postgres, with both clocks moved. */

const TEAMS = { tenantId: 'contoso-tenant', clientId: 'scribe-app', clientSecret: 'graph-secret' };
const CLIENT_STATE = 'teams-client-state-0123456789';
const HOUR = 3_600_000;
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

let db: TestDatabase;
let graph: LocalGraph;
let endpoint: Server;
let endpointUrl: string;
let skew = 0;

beforeAll(async () => {
  db = await startTestDatabase();
  endpoint = createServer((request, response) => {
    const token = new URL(request.url ?? '/', 'http://x').searchParams.get('validationToken');
    response.writeHead(token ? 200 : 202, { 'content-type': 'text/plain; charset=utf-8' }).end(token ?? '');
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/webhooks/teams`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => endpoint.close(resolve));
  await db?.stop();
});

beforeEach(async () => {
  skew = 0;
  await db.database.pool.query('TRUNCATE graph_subscriptions');
  graph = await startLocalGraph({ ...TEAMS, clientState: CLIENT_STATE });
});
afterEach(async () => graph.close());

function keeper(): TeamsSubscriptionKeeper {
  const client = new GraphTranscripts(
    { credentials: TEAMS, graphBaseUrl: graph.graphUrl, loginBaseUrl: graph.url },
    { timeoutMs: 5000, maxBytes: 65536 },
  );
  return new TeamsSubscriptionKeeper({
    graph: new GraphSubscriptions(client, graph.graphUrl, 5000),
    underLock: (step) => underSubscriptionLock(db.database.pool, TRANSCRIPTS_RESOURCE, step),
    notificationUrl: endpointUrl,
    clientState: CLIENT_STATE,
    logger,
    now: () => new Date(Date.now() + skew),
  });
}

const advance = (ms: number) => {
  skew += ms;
  graph.advance(ms);
};

describe('the Teams transcripts subscription', () => {
  it('is created once, kept while it has time, renewed within a day of expiry, and created anew when Graph lost it', async () => {
    const k = keeper();
    expect(await k.keep('check')).toBe('created');
    const [first] = graph.subscriptions();
    expect(first).toMatchObject({ notificationUrl: endpointUrl, lifecycleNotificationUrl: endpointUrl });
    expect(await k.keep('check')).toBe('kept');

    advance(50 * HOUR);
    expect(await k.keep('check')).toBe('renewed');
    expect(graph.subscriptions()).toEqual([
      expect.objectContaining({ id: first!.id, expirationDateTime: expect.any(String) }),
    ]);
    expect(Date.parse(graph.subscriptions()[0]!.expirationDateTime)).toBeGreaterThan(
      Date.parse(first!.expirationDateTime),
    );

    // Removed by Graph (its lifecycle notification says so): renewing finds nothing, so it is re-created.
    await graph.removeSubscription(first!.id);
    expect(await k.keep('subscriptionRemoved')).toBe('created');
    const [second] = graph.subscriptions();
    expect(second!.id).not.toBe(first!.id);
    const stored = await db.database.pool.query('SELECT subscription_id FROM graph_subscriptions');
    expect(stored.rows).toEqual([{ subscription_id: second!.id }]);

    // Reauthorization asked for: the live subscription is renewed, not duplicated.
    expect(await k.keep('reauthorizationRequired')).toBe('renewed');
    expect(graph.subscriptions().map((s) => s.id)).toEqual([second!.id]);
  });

  it('is kept by one process when several start at once', async () => {
    const outcomes = await Promise.all([keeper(), keeper(), keeper()].map((k) => k.keep('check')));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(graph.subscriptions()).toHaveLength(1);
  });
});
