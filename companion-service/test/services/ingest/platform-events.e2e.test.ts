import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../../src/app/app.js';
import { connectEmbeddedOrg } from '../../../src/app/embedded-org.js';
import { EmbeddedExtractor } from '../../../src/domain/extraction/embedded/embedded-extractor.js';
import { SAMPLES } from '../../../src/cli/start-command.js';
import type { LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { localRecords, namesOf } from '../../support/local-org.js';

/**
 * The whole way in from a platform event, as `npm start` runs it: the service against the local
 * org subscribes to the local Pub/Sub server; a rep saving notes in the org gets them processed and
 * written back onto the same Conversation__c, a stage change asks for a re-score, and a decision is
 * recorded, all in Postgres.
 */

let db: TestDatabase;
let server: FastifyInstance;
let org: LocalOrg;

beforeAll(async () => {
  db = await startTestDatabase();
  server = Fastify({ logger: false });
  const salesforce = {
    kind: 'local',
    apiVersion: '62.0',
    slowdownAt: 0.8,
    maxDelayMs: 0,
    rulesTtlMs: 300_000,
  } as const;
  const connection = await connectEmbeddedOrg(salesforce, server.log);
  org = connection.localOrg;
  server.addHook('onClose', async () => connection.close());
  await server.register(fp(app), {
    salesforce,
    connection,
    extractor: new EmbeddedExtractor(),
    queue: db.settings(),
    database: db.database,
    pubsub: { enabled: true, endpoint: 'unused:1', startFrom: 'LATEST', batchSize: 100, localPort: 0 },
  });
  await server.ready();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await db?.stop();
});

/** A REST call as the admin, in the package's local names (translated as the service translates them). */
async function rest(method: string, url: string, body?: unknown): Promise<Record<string, unknown> | null> {
  const names = await namesOf(org);
  body = body === undefined ? undefined : names.bodyToOrg(body);
  const response = await fetch(`${org.url}/services/data/v62.0${names.pathToOrg(url)}`, {
    method,
    headers: {
      authorization: `Bearer ${org.issueAccessToken('admin@pipeline-scribe.local')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 400)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204
    ? null
    : (names.bodyFromOrg(await response.json()) as Record<string, unknown>);
}

/** Records of an object in the org's store, by their local names. */
async function stored(object: string): Promise<Record<string, unknown>[]> {
  return localRecords(org, await namesOf(org), object);
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('platform events in the running service', () => {
  it('subscribes to the three topics of the local Pub/Sub server at start', () => {
    expect(server.platformEvents.endpoint()).toMatch(/^localhost:\d+$/);
    expect(server.platformEvents.status().map((s) => [s.topicName, s.state])).toEqual([
      ['/event/Conversation_Captured__e', 'live'],
      ['/event/Suggestion_Decided__e', 'live'],
      ['/event/Opportunity_Changed__e', 'live'],
    ]);
  });

  it('processes notes a rep saves in the org and writes back onto that same Conversation__c', async () => {
    const notes = await readFile(path.join(SAMPLES, '04-northwind-notes.md'), 'utf8');
    const deal = org.store.all('Opportunity').find((o) => String(o.Name).includes('Northwind'))!;
    const saved = await rest('POST', '/sobjects/Conversation__c', {
      Name: 'Northwind notes',
      Opportunity__c: deal.Id,
      Content__c: notes,
      Source__c: 'Notes',
    });
    const id = String(saved!.id);
    const record = await until(
      async () => (await stored('Conversation__c')).find((c) => c.Id === id)!,
      (r) => r.Processing_Status__c !== 'Queued',
      'the conversation to be processed',
    );
    expect(record.Processing_Status__c).toBe('Processed');
    expect(record.Source_Id__c).toBe(`sf:${id}`);
    expect(String(record.Summary__c ?? '')).not.toBe('');
    const same = (await stored('Conversation__c')).filter((c) => c.Content__c === notes);
    expect(same).toHaveLength(1);
    // The outcome is recorded in Postgres just after the write-back.
    const rows = await until(
      async () =>
        (
          await db.database.pool.query<{ source: string; status: string }>(
            `SELECT source, status FROM conversations WHERE source = 'platform-event'`,
          )
        ).rows,
      (r) => r[0]?.status === 'processed',
      'the job to be recorded as processed',
    );
    expect(rows).toHaveLength(1);
  });

  it('records a re-score request for a stage change and a rep’s decision', async () => {
    const deal = org.store.all('Opportunity').find((o) => !o.IsClosed)!;
    await rest('PATCH', `/sobjects/Opportunity/${deal.Id}`, { StageName: 'Proposal/Price Quote' });
    const suggestion = await rest('POST', '/sobjects/Suggestion__c', {
      External_Id__c: 'e2e-suggestion',
      Opportunity__c: deal.Id,
      Target_Object__c: 'Opportunity',
      Target_Field__c: 'NextStep',
      Proposed_Value__c: 'Send the MSA',
      Status__c: 'Pending',
    });
    // The rep rejects it in the suggestions panel: the package's Apex (served by the local org as
    // Apex REST) records the decision and publishes Suggestion_Decided__e.
    const namespace = org.schema.namespace ? `/${org.schema.namespace}` : '';
    const decided = await fetch(`${org.url}/services/apexrest${namespace}/suggestions/decisions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${org.issueAccessToken('admin@pipeline-scribe.local')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ decisions: [{ suggestionId: suggestion!.id, action: 'reject' }] }),
    });
    expect(await decided.json()).toMatchObject([{ recordId: suggestion!.id, status: 'Rejected' }]);

    const query = async (sql: string, value: unknown) => (await db.database.pool.query(sql, [value])).rows;
    const rescore = await until(
      () => query('SELECT changed_fields FROM rescore_requests WHERE opportunity_id = $1', deal.Id),
      (rows) => rows.length === 1,
      'the re-score request',
    );
    expect(rescore[0]).toEqual({ changed_fields: ['StageName'] });
    const decisions = await until(
      () =>
        query(
          'SELECT decision, target_field FROM suggestion_decisions WHERE suggestion_id = $1',
          suggestion!.id,
        ),
      (rows) => rows.length === 1,
      'the decision',
    );
    expect(decisions[0]).toEqual({ decision: 'Rejected', target_field: 'NextStep' });
  });
});
