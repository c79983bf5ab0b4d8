import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import {
  buildTestApp,
  sampleBody,
  SAMPLE_FILES,
  startTestOrg,
  type TestOrg,
  settleConversation,
} from '../support/local-org.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { byExternalId, duplicates } from './crash-support.js';

/**
 * Proof under Salesforce's bad days: the local org answers 503s, row locks, calls slower than the
 * timeout, a used-up API limit and a validation rule, all at once. Every conversation ends processed,
 * or dead with its reason; the service never falls over, and nothing is half-written: a dead
 * conversation left no record, a processed one left each record once.
 */

const OK = 30;
const BLOCKED = 5;

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg({ dailyApiLimit: 1_000_000 });
  app = await buildTestApp(t.config, {
    db,
    queue: {
      concurrency: 3,
      retry: { limit: 20, baseMs: 10, maxMs: 150 },
      salesforceTimeoutMs: 250,
      limitPauseMs: 1_000,
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.org.close();
  await db?.stop();
});

const settle = (id: string) => settleConversation(app, id, 60_000);

describe('Salesforce faults', () => {
  it('ends every conversation processed or dead with its reason, with nothing half-written', async () => {
    t.org.validationRules.push({
      object: 'Conversation__c',
      name: 'Blocked_Source',
      message: 'Conversations from this source need a privacy review first.',
      violated: (record) => String(record.Source_Id__c ?? '').startsWith('fault:blocked'),
    });
    t.org.faults.configure({
      seed: 7,
      latencyMs: { min: 0, max: 300 },
      errorRates: { SERVER_UNAVAILABLE: 0.08, UNABLE_TO_LOCK_ROW: 0.1 },
    });
    t.org.faults.failNext('REQUEST_LIMIT_EXCEEDED', 2);

    const bodies = await Promise.all(SAMPLE_FILES.map((file) => sampleBody(file)));
    const posted: { sourceId: string; id: string }[] = [];
    for (let i = 0; i < OK + BLOCKED; i++) {
      const sourceId = i < OK ? `fault:ok:${i}` : `fault:blocked:${i}`;
      const response = await app.inject({
        method: 'POST',
        url: '/v1/conversations',
        payload: { ...bodies[i % bodies.length], sourceId },
      });
      expect(response.statusCode, sourceId).toBe(202);
      posted.push({ sourceId, id: (response.json() as ConversationStatusBody).id });
    }
    const done = await Promise.all(posted.map(async (p) => ({ ...p, body: await settle(p.id) })));
    t.org.faults.reset();

    const conversations = byExternalId(t.org, 'Conversation__c', 'Source_Id__c');
    for (const { sourceId, body } of done) {
      if (sourceId.startsWith('fault:blocked')) {
        expect(body, sourceId).toMatchObject({
          status: 'dead',
          deadLetter: { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
        });
        expect(body.deadLetter!.reason).toContain('need a privacy review first');
        expect(conversations.get(sourceId), sourceId).toBeUndefined();
      } else if (body.status === 'dead') {
        // Possible only when one conversation met a transient fault on every attempt: it says so.
        expect(body.deadLetter!.reason, sourceId).toMatch(/^retries exhausted after 21 attempts/);
      } else {
        expect(body, sourceId).toMatchObject({ status: 'processed', result: { status: 'processed' } });
        expect(conversations.get(sourceId), sourceId).toBe(1);
      }
    }
    const processed = done.filter((d) => d.body.status === 'processed');
    expect(processed.length).toBeGreaterThanOrEqual(OK - 1);
    expect(done.some((d) => d.body.attempts > 1)).toBe(true);
    expect(duplicates(conversations)).toEqual([]);
    expect(duplicates(byExternalId(t.org, 'Suggestion__c', 'External_Id__c'))).toEqual([]);
    // Every suggestion belongs to a conversation that was written whole.
    const conversationIds = new Set(t.records('Conversation__c').map((c) => c.Id));
    expect(
      t
        .records('Suggestion__c')
        .every((s) => !s.Conversation__c || conversationIds.has(s.Conversation__c as string)),
    ).toBe(true);

    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /scribe_conversation_failures_total\{code="FIELD_CUSTOM_VALIDATION_EXCEPTION",kind="dead"\} 5/,
    );
    expect(metrics).toMatch(
      /scribe_conversation_failures_total\{code="(SALESFORCE_TIMEOUT|SERVER_UNAVAILABLE|UNABLE_TO_LOCK_ROW)",kind="transient"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /scribe_conversation_failures_total\{code="REQUEST_LIMIT_EXCEEDED",kind="transient"\} [1-9]/,
    );
  }, 180_000);
});
