import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startLocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startLocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import { encodeEvent } from '@pipeline-scribe/local-salesforce/pubsub/event-schemas';
import { PlatformEventSubscriber } from '../src/adapters/salesforce/pubsub-subscriber.js';
import { MemoryDeadLetters, MemoryReplayStore } from '../src/adapters/salesforce/pubsub-replay-store.js';
import { PackageNamespace, readPackageNames } from '../src/adapters/salesforce/package-namespace.js';
import { DEFAULT_PACKAGE_DIR } from '../src/adapters/metadata/package-metadata.js';

/**
 * Platform events through the Pub/Sub API on loopback, with the real client: how many events per
 * second a subscriber takes from a backlog (gRPC over TLS, Avro, batches of 100, a replay id stored
 * per batch), and how long an event takes from a rep's save in the local org to the hand-off.
 */

const BACKLOG = Number(process.env.BENCH_EVENTS ?? 5_000);
const LIVE = Number(process.env.BENCH_LIVE_EVENTS ?? 300);
const TOPIC = '/event/Opportunity_Changed__e';
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

const org = await startLocalOrg();
const bus = await startLocalPubSub({ org });
// The subscriber speaks local names; the bus, like a subscriber org's, the namespaced ones.
const names = new PackageNamespace(org.schema.namespace, await readPackageNames(DEFAULT_PACKAGE_DIR));
const schema = bus.schemas.get(`/event/${names.toOrg('Opportunity_Changed__e')}`)!;
const deals = org.store.all('Opportunity').filter((o) => !o.IsClosed);

for (let i = 0; i < BACKLOG; i++) {
  bus.log.append({
    topicName: `/event/${names.toOrg('Opportunity_Changed__e')}`,
    id: `backlog-${i}`,
    schemaId: schema.schemaId,
    payload: encodeEvent(
      schema,
      names.bodyToOrg({
        Opportunity_Id__c: deals[i % deals.length]!.Id,
        Changed_Fields__c: 'StageName',
        Stage_Name__c: 'Qualification',
      }) as Record<string, string>,
      new Date().toISOString(),
      null,
    ),
  });
}

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let received = 0;
let backlogDone: () => void = () => undefined;
const backlogIn = new Promise<void>((resolve) => (backlogDone = resolve));
const replayStore = new MemoryReplayStore();
const subscriber = new PlatformEventSubscriber({
  endpoint: bus.endpoint,
  rejectUnauthorizedSsl: false,
  session: async () => ({
    accessToken: org.issueAccessToken(),
    instanceUrl: bus.instanceUrl,
    organizationId: org.orgId,
  }),
  topics: [TOPIC],
  names,
  startFrom: 'EARLIEST',
  replayStore,
  deadLetters: new MemoryDeadLetters(),
  handle: async (event) => {
    received++;
    if (received === BACKLOG) backlogDone();
    const deal = String(event.payload.Opportunity_Id__c);
    const sent = sentAt.get(`${deal}:${String(event.payload.Amount__c)}`);
    if (sent !== undefined) latencies.push(performance.now() - sent);
  },
  logger,
});

const started = performance.now();
await subscriber.start();
await backlogIn;
const backlogSeconds = (performance.now() - started) / 1000;

const token = org.issueAccessToken('admin@pipeline-scribe.local');
for (let i = 0; i < LIVE; i++) {
  const deal = deals[i % deals.length]!;
  const amount = 100_000 + i;
  sentAt.set(`${deal.Id}:${amount}`, performance.now());
  const response = await fetch(`${org.url}/services/data/v62.0/sobjects/Opportunity/${deal.Id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Amount: amount }),
  });
  if (response.status !== 204) throw new Error(`update ${i}: ${response.status}`);
  await new Promise((r) => setTimeout(r, 5));
}
while (latencies.length < LIVE) await new Promise((r) => setTimeout(r, 10));
await subscriber.stop();
await bus.close();
await org.close();

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
console.log(`platform events through the local Pub/Sub API (TLS, Avro, salesforce-pubsub-api-client 5.5.2)`);
console.log(
  `backlog of ${BACKLOG} events from EARLIEST      ${(BACKLOG / backlogSeconds).toFixed(0).padStart(6)} events/s`,
);
console.log(
  `${LIVE} live stage/amount changes, save to hand-off   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   (stored replay id ${String(await replayStore.get(TOPIC))})`,
);
