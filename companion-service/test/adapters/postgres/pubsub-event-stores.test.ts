import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostgresDeadLetters,
  PostgresDecisionLog,
  PostgresReplayStore,
  PostgresRescoreRequests,
} from '../../../src/adapters/postgres/pubsub-event-stores.js';
import type { SuggestionDecision } from '../../../src/domain/writeback/platform-events-records.js';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/** The platform-event intake's state in a real Postgres, through migration 010. */

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);

afterAll(async () => {
  await db?.stop();
});

const decision = (over: Partial<SuggestionDecision>): SuggestionDecision => ({
  eventId: 'platform-event:e1',
  suggestionId: 'a0A000000000001AAA',
  externalId: 'ext-1',
  decision: 'Accepted',
  opportunityId: '006000000000001AAA',
  targetObject: 'Opportunity',
  targetField: 'NextStep',
  targetRecordId: '006000000000001AAA',
  proposedValue: 'Send the proposal',
  appliedValue: 'Send the proposal',
  confidence: 0.82,
  decidedById: '005000000000001AAA',
  decidedAt: '2026-03-02T10:00:00.000Z',
  message: null,
  ...over,
});

describe('Postgres stores of the platform-event intake', () => {
  it('keeps each topic’s replay id as 8 bytes and moves it on', async () => {
    const store = new PostgresReplayStore(db.database.pool);
    expect(await store.get('/event/Opportunity_Changed__e')).toBeNull();
    await store.put('/event/Opportunity_Changed__e', 41n);
    await store.put('/event/Opportunity_Changed__e', 2n ** 40n + 7n);
    await store.put('/event/Suggestion_Decided__e', 3n);
    expect(await store.get('/event/Opportunity_Changed__e')).toBe(2n ** 40n + 7n);
    expect(await new PostgresReplayStore(db.database.pool).get('/event/Suggestion_Decided__e')).toBe(3n);
  });

  it('keeps a dead letter once, with its reason and bytes', async () => {
    const letters = new PostgresDeadLetters(db.database.pool);
    const letter = {
      topicName: '/event/Conversation_Captured__e',
      replayId: 9n,
      eventId: 'uuid-9',
      reason: 'the payload could not be decoded',
      payload: Buffer.from([1, 2, 3]),
    };
    await letters.record(letter);
    await letters.record(letter);
    const { rows } = await db.database.pool.query<{ reason: string; payload: Buffer }>(
      'SELECT reason, payload FROM pubsub_dead_letters',
    );
    expect(rows).toEqual([{ reason: letter.reason, payload: Buffer.from([1, 2, 3]) }]);
  });

  it('records each decision once and reads a field’s newest decisions for earned trust', async () => {
    const log = new PostgresDecisionLog(db.database.pool);
    expect(await log.record(decision({}))).toBe(true);
    expect(await log.record(decision({}))).toBe(false);
    await log.record(
      decision({ eventId: 'platform-event:e2', decision: 'Rejected', decidedAt: '2026-03-03T10:00:00.000Z' }),
    );
    await log.record(decision({ eventId: 'platform-event:e3', decision: 'Stale' }));
    await log.record(decision({ eventId: 'platform-event:e4', targetField: 'Amount' }));
    expect(await log.recentForField('Opportunity', 'NextStep', 10)).toEqual([
      {
        objectName: 'Opportunity',
        fieldName: 'NextStep',
        outcome: 'rejected',
        at: '2026-03-03T10:00:00.000Z',
      },
      {
        objectName: 'Opportunity',
        fieldName: 'NextStep',
        outcome: 'accepted',
        at: '2026-03-02T10:00:00.000Z',
      },
    ]);
  });

  it('keeps one open re-score request per deal, gathering what changed until it is done', async () => {
    const requests = new PostgresRescoreRequests(db.database.pool);
    const deal = '006000000000002AAA';
    await requests.request({
      opportunityId: deal,
      changedFields: ['StageName'],
      isNew: false,
      eventId: 'e1',
      requestedAt: '2026-03-02T10:00:00.000Z',
    });
    await requests.request({
      opportunityId: deal,
      changedFields: ['Amount', 'StageName'],
      isNew: false,
      eventId: 'e2',
      requestedAt: '2026-03-02T11:00:00.000Z',
    });
    expect(await requests.pending(10)).toEqual([
      {
        opportunityId: deal,
        changedFields: ['Amount', 'StageName'],
        isNew: false,
        eventId: 'e2',
        requestedAt: '2026-03-02T11:00:00.000Z',
      },
    ]);
    // A score computed before the latest change leaves the request open.
    await requests.markDone([deal], '2026-03-02T10:30:00.000Z');
    expect(await requests.pending(10)).toHaveLength(1);
    await requests.markDone([deal], '2026-03-02T11:00:00.000Z');
    expect(await requests.pending(10)).toEqual([]);
    await requests.request({
      opportunityId: deal,
      changedFields: ['CloseDate'],
      isNew: false,
      eventId: 'e3',
      requestedAt: '2026-03-04T09:00:00.000Z',
    });
    expect((await requests.pending(10))[0]!.changedFields).toEqual(['CloseDate']);
  });
});
