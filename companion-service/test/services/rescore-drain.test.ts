import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../src/app/app.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { sampleBody, startTestOrg, type TestOrg, settleConversation } from '../support/local-org.js';

/**
 * Incremental re-scoring end to end: a processed conversation leaves a durable re-score request for
 * its deal in the same transaction, and the drain re-scores exactly that deal in the local org.
 */

let db: TestDatabase;
let t: TestOrg;
let server: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  server = Fastify({ logger: false });
  await server.register(fp(app), {
    salesforce: t.config,
    extractor: new EmbeddedExtractor(),
    queue: db.settings(),
    database: db.database,
    // The schedule is off: only the re-score requests move the scores here.
    pipelineScan: { intervalMs: 0, firstDelayMs: 0, closedLookbackDays: 730 },
  });
  await server.ready();
});

afterEach(async () => {
  await server.close();
  await t.org.close();
});

const settle = (id: string) => settleConversation(server, id);

const openRequests = async () =>
  (
    await db.database.pool.query<{ opportunity_id: string }>(
      'SELECT opportunity_id FROM rescore_requests WHERE done_at IS NULL',
    )
  ).rows.map((r) => r.opportunity_id);

describe('incremental re-scoring', () => {
  it('re-scores the deal a conversation was written to, and only that deal', async () => {
    const accepted = await server.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: await sampleBody('02-tailspin-champion-left.txt'),
    });
    const done = await settle(accepted.json().id);
    expect(done.status).toBe('processed');
    const deal = (done.result as { match: { opportunity: { id: string } | null } }).match.opportunity;
    expect(deal).not.toBeNull();
    expect(await openRequests()).toEqual([deal!.id]);

    const scanned = async () =>
      (
        await t.admin.query<{ Opportunity__c: string }>(
          "SELECT Opportunity__c FROM Field_Provenance__c WHERE Applied_By_Policy__c = 'Pipeline scan (AI field)'",
        )
      ).records.map((r) => r.Opportunity__c);
    expect(await scanned()).toEqual([]);
    expect(await server.rescoring.drain()).toBe(1);
    const touched = await scanned();
    expect(touched.length).toBeGreaterThan(0);
    expect(new Set(touched)).toEqual(new Set([deal!.id]));
    expect(await openRequests()).toEqual([]);
    expect(await server.rescoring.drain()).toBe(0);
  });
});
