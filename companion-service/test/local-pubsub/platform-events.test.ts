import { namesOf } from '../support/local-org.js';
import type { PackageNamespace } from '../../src/adapters/salesforce/package-namespace.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startLocalPubSub, type LocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import {
  PlatformEventSubscriber,
  PubSubAuthError,
  type StartPosition,
} from '../../src/adapters/salesforce/pubsub-subscriber.js';
import {
  MemoryDeadLetters,
  MemoryReplayStore,
  type ReplayStore,
} from '../../src/adapters/salesforce/pubsub-replay-store.js';
import {
  platformEventHandler,
  PLATFORM_EVENT_TOPICS,
  TOPICS,
} from '../../src/services/ingest/platform-events.js';
import {
  MemoryDecisionLog,
  MemoryRescoreRequests,
} from '../../src/domain/writeback/platform-events-records.js';
import type { EnqueueResult, IngestJob, IngestQueue } from '../../src/domain/source/ingest-queue.js';

/**
 * The real salesforce-pubsub-api-client against the local Pub/Sub server over loopback TLS, fed by
 * the local org: what a rep does in the org arrives, is handed on once, and survives restarts.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const ADMIN = 'admin@pipeline-scribe.local';

class RecordingQueue implements IngestQueue {
  readonly jobs = new Map<string, IngestJob>();
  enqueueCalls = 0;
  delayMs = 0;

  async enqueue(job: IngestJob): Promise<EnqueueResult> {
    this.enqueueCalls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const duplicate = this.jobs.has(job.idempotencyKey);
    if (!duplicate) this.jobs.set(job.idempotencyKey, job);
    return { conversationId: job.idempotencyKey, duplicate };
  }
}

let org: LocalOrg;
let bus: LocalPubSub;
let names: PackageNamespace;
const running: PlatformEventSubscriber[] = [];

beforeAll(async () => {
  org = await startLocalOrg();
  names = await namesOf(org);
  bus = await startLocalPubSub({ org, keepaliveMs: 300 });
});

afterAll(async () => {
  await bus.close();
  await org.close();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function harness(
  options: {
    replayStore?: ReplayStore;
    queue?: RecordingQueue;
    startFrom?: StartPosition;
    accessToken?: string;
    batchSize?: number;
  } = {},
) {
  const queue = options.queue ?? new RecordingQueue();
  const decisions = new MemoryDecisionLog();
  const rescores = new MemoryRescoreRequests();
  const deadLetters = new MemoryDeadLetters();
  const replayStore = options.replayStore ?? new MemoryReplayStore();
  const subscriber = new PlatformEventSubscriber({
    endpoint: bus.endpoint,
    rejectUnauthorizedSsl: false,
    session: async () => ({
      accessToken: options.accessToken ?? org.issueAccessToken(),
      instanceUrl: bus.instanceUrl,
      organizationId: org.orgId,
    }),
    topics: PLATFORM_EVENT_TOPICS,
    names,
    startFrom: options.startFrom ?? 'LATEST',
    replayStore,
    deadLetters,
    handle: platformEventHandler({
      queue,
      decisions,
      rescores,
      trustPolicy: async (objectName, fieldName) =>
        objectName === 'Opportunity' && fieldName === 'NextStep'
          ? { autoApplyAfterAccepted: 2, minimumAcceptanceRate: 0.5, demoteAfterRejections: 3 }
          : null,
      logger,
    }),
    logger,
    batchSize: options.batchSize ?? 100,
    retry: { baseMs: 50, maxMs: 200 },
    settleMs: 2_000,
  });
  running.push(subscriber);
  return { subscriber, queue, decisions, rescores, deadLetters, replayStore };
}

/** A REST call as the admin in the package's local names, translated as the service translates them. */
async function rest(method: string, path: string, body?: unknown): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${org.url}/services/data/v62.0${names.pathToOrg(path)}`, {
    method,
    headers: { authorization: `Bearer ${org.issueAccessToken(ADMIN)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(names.bodyToOrg(body)),
  });
  if (response.status >= 400)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204
    ? null
    : (names.bodyFromOrg(await response.json()) as Record<string, unknown>);
}

/** The suggestions panel's decision, through the package's Apex as the local org serves it. */
async function decide(decisions: { suggestionId: string; action: string; editedValue?: string }[]) {
  const response = await fetch(`${org.url}/services/apexrest${apexPrefix()}/suggestions/decisions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.issueAccessToken(ADMIN)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decisions }),
  });
  if (response.status >= 400) throw new Error(`decide: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>[];
}

const apexPrefix = () => (org.schema.namespace ? `/${org.schema.namespace}` : '');

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const firstOpportunity = () => org.store.all('Opportunity').find((o) => !o.IsClosed)!;

describe('platform events from the local org through the Pub/Sub API', () => {
  it('delivers a stage change, a captured conversation and a decided suggestion', async () => {
    const { subscriber, queue, decisions, rescores } = harness();
    await subscriber.start();
    const opportunity = firstOpportunity();

    await rest('PATCH', `/sobjects/Opportunity/${opportunity.Id}`, { StageName: 'Negotiation/Review' });
    const created = await rest('POST', '/sobjects/Conversation__c', {
      Name: 'Call notes',
      Opportunity__c: opportunity.Id,
      Content__c: 'Jane said legal review starts Monday.',
      Source__c: 'Notes',
    });
    const suggestion = await rest('POST', '/sobjects/Suggestion__c', {
      External_Id__c: 'test-suggestion-1',
      Opportunity__c: opportunity.Id,
      Target_Object__c: 'Opportunity',
      Target_Field__c: 'NextStep',
      Proposed_Value__c: 'Legal review Monday',
      Confidence__c: 0.8,
      Status__c: 'Pending',
      Type__c: 'Field',
      Value_At_Suggestion__c: opportunity.NextStep ?? null,
    });
    // A plain REST update of a suggestion announces nothing; the rep's decision goes through the
    // package's Apex (SuggestionController.decideSuggestions), which publishes Suggestion_Decided__e.
    await rest('PATCH', `/sobjects/Suggestion__c/${String(suggestion!.id)}`, { Status_Reason__c: 'seen' });
    const outcomes = await decide([{ suggestionId: String(suggestion!.id), action: 'accept' }]);
    expect(outcomes).toEqual([
      { recordId: suggestion!.id, status: 'Accepted', message: null, appliedValue: 'Legal review Monday' },
    ]);

    await until(
      () => rescores.open.size > 0 && queue.jobs.size > 0 && decisions.decisions.length > 0,
      'all three',
    );
    const rescore = rescores.open.get(opportunity.Id)!;
    expect(rescore.changedFields).toEqual(['StageName']);
    expect(rescore.isNew).toBe(false);

    const job = [...queue.jobs.values()][0]!;
    expect(job.source).toBe('platform-event');
    expect(job.payload).toMatchObject({
      conversationId: created!.id,
      opportunityId: opportunity.Id,
      source: 'Notes',
    });

    expect(decisions.decisions).toHaveLength(1);
    expect(decisions.decisions[0]).toMatchObject({
      suggestionId: suggestion!.id,
      decision: 'Accepted',
      targetObject: 'Opportunity',
      targetField: 'NextStep',
      targetRecordId: opportunity.Id,
      proposedValue: 'Legal review Monday',
      confidence: 0.8,
    });
  });

  it('does not announce what the service itself writes as processed, nor changes to other fields', async () => {
    const { subscriber, queue, rescores } = harness();
    await subscriber.start();
    const opportunity = firstOpportunity();
    await rest('POST', '/sobjects/Conversation__c', {
      Name: 'Processed by the service',
      Opportunity__c: opportunity.Id,
      Content__c: 'notes',
      Processing_Status__c: 'Processed',
    });
    await rest('PATCH', `/sobjects/Opportunity/${opportunity.Id}`, { NextStep: 'Send the proposal' });
    // A later change that is announced proves the subscriber was listening all along.
    await rest('PATCH', `/sobjects/Opportunity/${opportunity.Id}`, { Amount: 123_456 });
    await until(() => rescores.open.size > 0, 'the amount change');
    expect(rescores.open.get(opportunity.Id)!.changedFields).toEqual(['Amount']);
    expect(queue.jobs.size).toBe(0);
  });

  it('refuses a bad token with a clear error and hands nothing on', async () => {
    const { subscriber, queue } = harness({ accessToken: `${org.orgId.slice(0, 15)}!not-a-session` });
    const failure = await subscriber.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PubSubAuthError);
    expect((failure as Error).message).toMatch(/refused the session.*not a live session of this org/);
    expect(queue.enqueueCalls).toBe(0);
  });

  it('dead-letters undecodable and invalid events and keeps going', async () => {
    const { subscriber, queue, deadLetters, replayStore } = harness();
    await subscriber.start();
    const garbage = bus.appendRaw(
      `/event/${names.toOrg('Conversation_Captured__e')}`,
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]),
    );
    await rest('POST', '/sobjects/Conversation_Captured__e', { Source__c: 'Notes' });
    const opportunity = firstOpportunity();
    const good = await rest('POST', '/sobjects/Conversation__c', {
      Opportunity__c: opportunity.Id,
      Content__c: 'Pricing approved.',
    });

    // The client may hand over events of separate responses out of order, so wait for all three.
    await until(
      () => queue.jobs.size === 1 && deadLetters.letters.length === 2,
      'the good event and the bad',
    );
    expect([...queue.jobs.values()][0]!.payload).toMatchObject({ conversationId: good!.id });
    const [undecodable, invalid] = [...deadLetters.letters].sort((a, b) =>
      a.replayId < b.replayId ? -1 : 1,
    );
    expect(undecodable!.replayId).toBe(garbage.replayId);
    expect(undecodable!.reason).toMatch(/could not be decoded/);
    expect(invalid!.reason).toMatch(/Conversation_Captured__e\.Conversation_Id__c is not valid/);
    await until(
      () => (replayStoreValue(replayStore) ?? 0n) > garbage.replayId,
      'the position to move past the bad events',
    );
  });

  it('resumes after a stop mid-stream from the stored replay id, with nothing lost or enqueued twice', async () => {
    const replayStore = new MemoryReplayStore();
    const queue = new RecordingQueue();
    queue.delayMs = 5;
    const first = harness({ replayStore, queue, batchSize: 10 });
    await first.subscriber.start();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const published = await rest('POST', '/sobjects/Conversation_Captured__e', {
        Conversation_Id__c: `a00000000000${String(i).padStart(3, '0')}AAA`,
      });
      ids.push(String(published!.id));
    }
    await until(() => queue.jobs.size >= 8, 'some events handled');
    await first.subscriber.stop();
    const handledBeforeStop = queue.jobs.size;
    expect(handledBeforeStop).toBeLessThan(40);

    for (let i = 40; i < 45; i++) {
      await rest('POST', '/sobjects/Conversation_Captured__e', {
        Conversation_Id__c: `a00000000000${String(i).padStart(3, '0')}AAA`,
      });
    }
    const second = harness({ replayStore, queue, batchSize: 10 });
    await second.subscriber.start();
    await until(() => queue.jobs.size === 45, 'every event after the restart');
    await new Promise((r) => setTimeout(r, 200));

    const conversations = [...queue.jobs.values()].map(
      (j) => (j.payload as { conversationId: string }).conversationId,
    );
    expect(new Set(conversations).size).toBe(45);
    expect(queue.enqueueCalls).toBe(45);
  });
});

function replayStoreValue(store: ReplayStore): bigint | null {
  return (store as MemoryReplayStore).positions.get(TOPICS.conversationCaptured) ?? null;
}
