import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { buildTestApp, sampleBody, startTestOrg, type TestOrg } from '../support/local-org.js';
import { releaseIdempotencyKeys } from '../../src/adapters/postgres/conversation-table.js';

/**
 * The keys and ids a caller chooses, through the whole service and its Postgres queue. Idempotency-Key
 * as Stripe keeps it: the same key and body is the first conversation again; the same key with another
 * body is refused with 409 naming the key and stores nothing; after 24 hours the key is released and
 * may name a new conversation. A source id, which becomes a Salesforce external id in REST paths, is
 * refused with 400 naming the field when it could be read as a path.
 */

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  app = await buildTestApp(t.config, { db, worker: false });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.org.close();
  await db?.stop();
});

beforeEach(async () => {
  await db.reset();
});

const post = (payload: unknown, key?: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/conversations',
    headers: key ? { 'idempotency-key': key } : {},
    payload: payload as Record<string, unknown>,
  });

const rows = async () =>
  (
    await db.database.pool.query(
      'SELECT id, idempotency_key, request_hash, key_expired_at FROM conversations ORDER BY received_at',
    )
  ).rows;

describe('POST /v1/conversations with an Idempotency-Key', () => {
  it('answers the same key and body with the first conversation, whatever the order of its fields', async () => {
    const body = await sampleBody('04-northwind-notes.md', { title: 'Northwind weekly' });
    const first = await post(body, 'order-7781');
    expect(first.statusCode).toBe(202);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await post(reordered, 'order-7781');
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await rows()).toHaveLength(1);
  });

  it('refuses the same key with another body: 409 naming the key, and nothing stored', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    const first = await post(body, 'order-7782');
    const changed = await post(
      { ...body, content: `${String(body.content)}\nAlso: budget doubled.` },
      'order-7782',
    );
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error).toContain('Idempotency-Key "order-7782"');
    expect(changed.json().error).toContain(first.json().id);
    expect(changed.headers.location).toBeUndefined();
    const retitled = await post({ ...body, title: 'another title' }, 'order-7782');
    expect(retitled.statusCode).toBe(409);
    expect(await rows()).toHaveLength(1);
    // Another key for the changed body is a new conversation.
    expect((await post({ ...body, title: 'another title' }, 'order-7783')).statusCode).toBe(202);
  });

  it('settles a burst of the same key: one conversation, the same body joins it, another body is refused', async () => {
    const body = await sampleBody('02-tailspin-champion-left.txt');
    const other = { ...body, title: 'a different request' };
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(i % 3 === 2 ? other : body, 'burst-1')),
    );
    const stored = await rows();
    expect(stored).toHaveLength(1);
    const codes = answers.map((a) => a.statusCode);
    // The first body to commit owns the key; the others are the same request or a 409.
    const winnerIsOther = answers.some((a, i) => i % 3 === 2 && a.statusCode === 202);
    answers.forEach((answer, i) => {
      const same = (i % 3 === 2) === winnerIsOther;
      if (same) expect(answer.json().id, codes.join()).toBe(stored[0].id);
      else expect(answer.statusCode, codes.join()).toBe(409);
    });
  });

  it('keeps the key 24 hours, then lets it name a new conversation', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    const first = await post(body, 'order-7790');
    await db.database.pool.query(
      "UPDATE conversations SET received_at = now() - interval '23 hours 59 minutes'",
    );
    expect((await post({ ...body, title: 'changed' }, 'order-7790')).statusCode).toBe(409);

    await db.database.pool.query(
      "UPDATE conversations SET received_at = now() - interval '24 hours 1 minute'",
    );
    const later = await post({ ...body, title: 'changed' }, 'order-7790');
    expect(later.statusCode).toBe(202);
    expect(later.json().id).not.toBe(first.json().id);
    const [old, fresh] = await rows();
    expect(old).toMatchObject({ id: first.json().id, request_hash: null });
    expect(old.key_expired_at).toBeInstanceOf(Date);
    expect(fresh).toMatchObject({ id: later.json().id, key_expired_at: null });
    expect(fresh.request_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The first conversation is still there to read; the key now belongs to the new one.
    expect(
      (await app.inject({ method: 'GET', url: `/v1/conversations/${first.json().id}` })).statusCode,
    ).toBe(200);
    expect((await post(body, 'order-7790')).statusCode).toBe(409);
  });

  it('releases every key older than 24 hours in bulk, and no other', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    await post(body, 'bulk-old');
    await db.database.pool.query("UPDATE conversations SET received_at = now() - interval '2 days'");
    await post(body, 'bulk-new');
    await post(await sampleBody('02-tailspin-champion-left.txt'));
    await db.database.pool.query(
      "UPDATE conversations SET received_at = now() - interval '2 days' WHERE request_hash IS NULL",
    );
    expect(await releaseIdempotencyKeys(db.database.pool, 24)).toBe(1);
    const byKey = Object.fromEntries((await rows()).map((r) => [r.idempotency_key, r]));
    expect(byKey['bulk-old']!.key_expired_at).toBeInstanceOf(Date);
    expect(byKey['bulk-new']!.key_expired_at).toBeNull();
    // A key the service derived (the source id, without an Idempotency-Key) is never released.
    expect((await rows()).filter((r) => r.key_expired_at === null)).toHaveLength(2);
  });

  it('keeps a conversation sent without a key as it was: the same source id is the same conversation', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    const first = await post(body);
    const again = await post({ ...body, title: 'renamed' });
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
  });
});

describe('POST /v1/conversations with a sourceId', () => {
  it('refuses ids a path could resolve, with control characters, or too long, naming the field', async () => {
    const body = await sampleBody('04-northwind-notes.md');
    for (const sourceId of [
      '..',
      'a/../b',
      'gong:..',
      '../etc',
      'a/b',
      'line\nbreak',
      'tab\there',
      'nul\u0000',
      '%2e%2e',
      'x'.repeat(201),
      '',
    ]) {
      const response = await post({ ...body, sourceId });
      expect(response.statusCode, JSON.stringify(sourceId)).toBe(400);
      expect(response.json().error, JSON.stringify(sourceId)).toMatch(/^sourceId: /);
    }
    expect(await rows()).toHaveLength(0);
    expect((await post({ ...body, sourceId: 'email:2026.03.12@example' })).statusCode).toBe(202);
  });
});
