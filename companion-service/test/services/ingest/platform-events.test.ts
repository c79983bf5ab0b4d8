import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { eventKey, platformEventHandler, TOPICS } from '../../../src/services/ingest/platform-events.js';
import {
  MemoryDecisionLog,
  MemoryRescoreRequests,
} from '../../../src/domain/writeback/platform-events-records.js';
import {
  PermanentEventError,
  type ReceivedEvent,
} from '../../../src/adapters/salesforce/pubsub-subscriber.js';
import { MemoryIngestQueue } from '../../support/memory-ingest-queue.js';

/** What each platform event does, and what is refused, with the decoded payloads the client gives. */

const DEAL = '006000000000001AAA';
const lines: { msg: string; [k: string]: unknown }[] = [];
const logger = pino(
  { level: 'debug' },
  { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) },
) as unknown as FastifyBaseLogger;

function setup() {
  const queue = new MemoryIngestQueue();
  const decisions = new MemoryDecisionLog();
  const rescores = new MemoryRescoreRequests();
  const handle = platformEventHandler({
    queue,
    decisions,
    rescores,
    trustPolicy: async (_object, field) =>
      field === 'NextStep'
        ? { autoApplyAfterAccepted: 2, minimumAcceptanceRate: 0.6, demoteAfterRejections: 2 }
        : null,
    logger,
  });
  return { queue, decisions, rescores, handle };
}

let replay = 0n;
const event = (
  topicName: string,
  payload: Record<string, unknown>,
  eventId = `uuid-${++replay}`,
): ReceivedEvent => ({
  topicName,
  replayId: ++replay,
  eventId,
  schemaId: 'schema',
  payload: { CreatedDate: Date.parse('2026-03-02T10:00:00Z'), CreatedById: '005000000000001AAA', ...payload },
});

const decided = (decision: string, at: string) =>
  event(TOPICS.suggestionDecided, {
    Suggestion_Id__c: 'a0B000000000001AAA',
    Decision__c: decision,
    Target_Object__c: 'Opportunity',
    Target_Field__c: 'NextStep',
    Decided_At__c: Date.parse(at),
  });

describe('platform event handling', () => {
  it('queues a captured conversation once per event, keyed by its EventUuid', async () => {
    const { queue, handle } = setup();
    const captured = event(TOPICS.conversationCaptured, {
      Conversation_Id__c: 'a01000000000001AAA',
      Opportunity_Id__c: DEAL,
      Source__c: 'Voice Memo',
    });
    await handle(captured);
    await handle(captured);
    expect(queue.jobs).toHaveLength(1);
    expect(queue.jobs[0]).toMatchObject({
      source: 'platform-event',
      idempotencyKey: `platform-event:${captured.eventId}`,
      receivedAt: '2026-03-02T10:00:00.000Z',
      payload: {
        conversationId: 'a01000000000001AAA',
        opportunityId: DEAL,
        source: 'Voice Memo',
        hasRecording: false,
      },
    });
  });

  it('keys an event without a UUID by its topic and replay id', () => {
    const bare = event(TOPICS.opportunityChanged, {}, '');
    expect(eventKey(bare)).toBe(`platform-event:/event/Opportunity_Changed__e:${bare.replayId}`);
  });

  it('refuses, as permanent, a payload the package could not have sent, naming the field', async () => {
    const { handle, queue } = setup();
    await expect(
      handle(event(TOPICS.conversationCaptured, { Conversation_Id__c: 'not an id' })),
    ).rejects.toThrow(
      new PermanentEventError(
        'Conversation_Captured__e.Conversation_Id__c is not valid: expected a Salesforce id',
      ),
    );
    await expect(
      handle(
        event(TOPICS.suggestionDecided, { Suggestion_Id__c: 'a0B000000000001AAA', Decision__c: 'Maybe' }),
      ),
    ).rejects.toThrow(/Suggestion_Decided__e\.Decision__c is not valid/);
    expect(queue.jobs).toHaveLength(0);
  });

  it('records decisions once and says when a field has earned auto-apply or lost it', async () => {
    const { decisions, handle } = setup();
    const first = decided('Accepted', '2026-03-01T09:00:00Z');
    await handle(first);
    await handle(first);
    await handle(decided('Accepted', '2026-03-02T09:00:00Z'));
    expect(decisions.decisions).toHaveLength(2);
    expect(lines.at(-1)!.msg).toMatch(/earned auto-apply: 2 accepted unedited of 2/);
    await handle(decided('Rejected', '2026-03-03T09:00:00Z'));
    await handle(decided('Rejected', '2026-03-04T09:00:00Z'));
    expect(lines.at(-1)!).toMatchObject({ demoted: true });
    expect(lines.at(-1)!.msg).toMatch(/2 rejections in a row took auto-apply back/);
  });

  it('asks once for a re-score of a deal that changed several times', async () => {
    const { rescores, handle } = setup();
    await handle(
      event(TOPICS.opportunityChanged, {
        Opportunity_Id__c: DEAL,
        Changed_Fields__c: 'StageName',
        Changed_At__c: Date.parse('2026-03-02T10:00:00Z'),
      }),
    );
    await handle(
      event(TOPICS.opportunityChanged, {
        Opportunity_Id__c: DEAL,
        Changed_Fields__c: 'Amount,CloseDate',
        Changed_At__c: Date.parse('2026-03-02T11:00:00Z'),
      }),
    );
    expect(await rescores.pending(10)).toMatchObject([
      {
        opportunityId: DEAL,
        changedFields: ['StageName', 'Amount', 'CloseDate'],
        requestedAt: '2026-03-02T11:00:00.000Z',
      },
    ]);
  });
});
