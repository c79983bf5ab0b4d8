import { namesOf } from '../support/local-org.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startLocalPubSub, type LocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import {
  PlatformEventSubscriber,
  type ReceivedEvent,
} from '../../src/adapters/salesforce/pubsub-subscriber.js';
import { MemoryDeadLetters, MemoryReplayStore } from '../../src/adapters/salesforce/pubsub-replay-store.js';

/**
 * The event bus goes away under a live subscription and comes back (its events and replay ids kept
 * in its file), and meanwhile the session expired: the subscriber keeps trying with backoff, renews
 * the session the bus refuses, and takes up where it stopped, missing nothing.
 */

const TOPIC = '/event/Opportunity_Changed__e';
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

let dir: string;
let org: LocalOrg;
let bus: LocalPubSub;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-bus-'));
  org = await startLocalOrg();
  bus = await startLocalPubSub({ org, eventFile: path.join(dir, 'events.jsonl'), keepaliveMs: 200 });
});

afterAll(async () => {
  await bus.close();
  await org.close();
  await rm(dir, { recursive: true, force: true });
});

async function changeStage(opportunityId: string, stage: string): Promise<void> {
  const response = await fetch(`${org.url}/services/data/v62.0/sobjects/Opportunity/${opportunityId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${org.issueAccessToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ StageName: stage }),
  });
  expect(response.status).toBe(204);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a subscriber whose stream fails', () => {
  it('reconnects with a renewed session after the bus comes back, and misses nothing', async () => {
    const received: ReceivedEvent[] = [];
    const renewals: boolean[] = [];
    let token = org.issueAccessToken();
    const subscriber = new PlatformEventSubscriber({
      endpoint: bus.endpoint,
      rejectUnauthorizedSsl: false,
      session: async (renew) => {
        renewals.push(renew);
        if (renew) token = org.issueAccessToken();
        return { accessToken: token, instanceUrl: bus.instanceUrl, organizationId: org.orgId };
      },
      topics: [TOPIC],
      names: await namesOf(org),
      startFrom: 'LATEST',
      replayStore: new MemoryReplayStore(),
      deadLetters: new MemoryDeadLetters(),
      handle: async (event) => {
        received.push(event);
      },
      logger,
      retry: { baseMs: 50, maxMs: 300 },
    });
    await subscriber.start();
    const [first, second, third] = org.store.all('Opportunity').filter((o) => !o.IsClosed);
    await changeStage(first!.Id, 'Needs Analysis');
    await until(() => received.length === 1, 'the first event');

    const port = Number(bus.endpoint.split(':')[1]);
    await bus.close();
    org.expireSessions();
    await until(() => subscriber.status()[0]!.state === 'reconnecting', 'the subscriber to notice');
    await new Promise((r) => setTimeout(r, 400));
    bus = await startLocalPubSub({ org, port, eventFile: path.join(dir, 'events.jsonl'), keepaliveMs: 200 });
    await changeStage(second!.Id, 'Needs Analysis');
    await changeStage(third!.Id, 'Needs Analysis');

    await until(() => received.length === 3, 'the events of the outage and after');
    expect(received.map((e) => e.payload.Opportunity_Id__c)).toEqual([first!.Id, second!.Id, third!.Id]);
    expect(renewals).toContain(true);
    expect(subscriber.status()[0]).toMatchObject({ state: 'live', lastError: null });
    await subscriber.stop();
  });
});
