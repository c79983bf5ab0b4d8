import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startLocalPubSub, type LocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import { EventLog } from '@pipeline-scribe/local-salesforce/pubsub/event-log';

/**
 * The local Pub/Sub API as the real client sees it: schemas from force-app, replay presets, flow
 * control, publishing, and the errors Salesforce gives.
 */

const TOPIC = '/event/Opportunity_Changed__e';
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let org: LocalOrg;
let bus: LocalPubSub;
const clients: PubSubApiClient[] = [];

beforeAll(async () => {
  // The protocol, not the namespace, is under test here: the package installed without a prefix.
  org = await startLocalOrg({ dataPlan: null, namespace: '' });
  bus = await startLocalPubSub({ org, keepaliveMs: 60_000 });
});

afterAll(async () => {
  // The client's close() strips its streams' listeners, so the server goes first and the failures
  // of the streams reach the callbacks before the clients close (see pubsub-streams.ts).
  await bus.close();
  await new Promise((r) => setTimeout(r, 300));
  for (const c of clients) c.close();
  await org.close();
});

async function client(): Promise<PubSubApiClient> {
  const c = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken: org.issueAccessToken(),
      instanceUrl: bus.instanceUrl,
      organizationId: org.orgId,
      pubSubEndpoint: bus.endpoint,
      rejectUnauthorizedSsl: false,
    },
    quiet,
  );
  await c.connect();
  clients.push(c);
  return c;
}

interface Received {
  events: { replayId: number; payload: Record<string, unknown> }[];
  types: string[];
  errors: Error[];
}

function collector(): Received & { callback: (info: unknown, type: string, data?: unknown) => void } {
  const received: Received = { events: [], types: [], errors: [] };
  return {
    ...received,
    callback: (_info, type, data) => {
      received.types.push(type);
      if (type === 'event') received.events.push(data as Received['events'][number]);
      if (type === 'error') received.errors.push(data as Error);
    },
    get events() {
      return received.events;
    },
    get types() {
      return received.types;
    },
    get errors() {
      return received.errors;
    },
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await wait(20);
  if (!check()) throw new Error('timed out');
}

const payload = (deal: string) => ({
  CreatedDate: Date.now(),
  CreatedById: '005000000000001AAA',
  Opportunity_Id__c: { string: deal },
  Stage_Name__c: { string: 'Qualification' },
  Amount__c: { double: 1200.5 },
  Is_New__c: true,
});

describe('the local Pub/Sub API', () => {
  it('publishes, then replays from EARLIEST, after a replay id, and from LATEST', async () => {
    const c = await client();
    const first = await c.publish(TOPIC, payload('006000000000001AAA'));
    const second = await c.publish(TOPIC, payload('006000000000002AAA'));
    expect(second.replayId).toBeGreaterThan(first.replayId);

    const earliest = collector();
    c.subscribeFromEarliestEvent(TOPIC, earliest.callback, 2);
    await until(() => earliest.events.length === 2);
    expect(earliest.events.map((e) => e.payload.Opportunity_Id__c)).toEqual([
      '006000000000001AAA',
      '006000000000002AAA',
    ]);
    expect(earliest.events[0]!.payload).toMatchObject({
      Amount__c: 1200.5,
      Is_New__c: true,
      Stage_Name__c: 'Qualification',
    });

    const c2 = await client();
    const after = collector();
    c2.subscribeFromReplayId(TOPIC, after.callback, 5, first.replayId);
    await until(() => after.events.length === 1);
    expect(after.events[0]!.replayId).toBe(second.replayId);

    const c3 = await client();
    const latest = collector();
    c3.subscribe(TOPIC, latest.callback, 5);
    await until(() => latest.types.includes('grpcKeepAlive'));
    const third = await c.publish(TOPIC, payload('006000000000003AAA'));
    await until(() => latest.events.length === 1);
    expect(latest.events[0]!.replayId).toBe(third.replayId);
  });

  it('sends no more than num_requested until more are asked for', async () => {
    const c = await client();
    for (let i = 0; i < 5; i++) await c.publish(TOPIC, payload(`00600000000001${i}AAA`.slice(0, 18)));
    const flow = collector();
    c.subscribeFromEarliestEvent(TOPIC, flow.callback, 2);
    await until(() => flow.types.includes('lastEvent'));
    await wait(200);
    expect(flow.events).toHaveLength(2);
    c.requestAdditionalEvents(TOPIC, 2);
    await until(() => flow.events.length === 4);
    await wait(200);
    expect(flow.events).toHaveLength(4);
  });

  it('answers a replay id outside the retention window and an unknown topic with the fix', async () => {
    const c = await client();
    const stale = collector();
    c.subscribeFromReplayId(TOPIC, stale.callback, 1, 9_999_999);
    await until(() => stale.errors.length > 0);
    expect(String((stale.errors[0] as { details?: string }).details)).toMatch(
      /not in \/event\/Opportunity_Changed__e's retention window: subscribe with EARLIEST or LATEST/,
    );
    const failure = await c.publish('/event/Nope__e', {}).catch((e: Error) => e);
    expect(String((failure as Error & { cause?: Error }).cause?.message)).toMatch(
      /no topic "\/event\/Nope__e": the org publishes .*Conversation_Captured__e/,
    );
  });

  it('serves each event’s Avro schema as derived from force-app', () => {
    const schema = JSON.parse(bus.schemas.get('/event/Suggestion_Decided__e')!.schemaJson) as {
      name: string;
      fields: { name: string; type: unknown }[];
    };
    expect(schema.name).toBe('Suggestion_Decided__e');
    const types = Object.fromEntries(schema.fields.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      CreatedDate: 'long',
      Confidence__c: ['null', 'double'],
      Decided_At__c: ['null', 'long'],
      Decision__c: ['null', 'string'],
    });
  });
});

describe('the event log', () => {
  it('keeps events and growing replay ids across a restart from its file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-events-'));
    const file = path.join(dir, 'events.jsonl');
    const before = new EventLog({ file });
    const one = before.append({ topicName: TOPIC, id: 'a', schemaId: 's', payload: Buffer.from([1]) });
    before.append({ topicName: '/event/Other__e', id: 'b', schemaId: 's', payload: Buffer.from([2]) });
    const after = new EventLog({ file });
    expect(after.after(TOPIC, 0n, 10).map((e) => e.id)).toEqual(['a']);
    const next = after.append({ topicName: TOPIC, id: 'c', schemaId: 's', payload: Buffer.from([3]) });
    expect(next.replayId).toBe(one.replayId + 2n);
    expect(after.resumable(TOPIC, one.replayId)).toBe(true);
    expect(after.resumable(TOPIC, next.replayId + 1n)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });

  it('drops events past the retention window, and a position before them cannot be resumed', () => {
    let now = 0;
    const log = new EventLog({ retentionMs: 1_000, now: () => now });
    const old = log.append({ topicName: TOPIC, id: 'old', schemaId: 's', payload: Buffer.alloc(0) });
    now = 5_000;
    log.append({ topicName: TOPIC, id: 'new', schemaId: 's', payload: Buffer.alloc(0) });
    expect(log.after(TOPIC, 0n, 10).map((e) => e.id)).toEqual(['new']);
    expect(log.resumable(TOPIC, old.replayId - 1n)).toBe(false);
    expect(log.resumable(TOPIC, old.replayId)).toBe(true);
  });
});
