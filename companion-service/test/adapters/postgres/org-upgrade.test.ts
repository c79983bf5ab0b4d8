import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, migrate } from '../../../src/adapters/postgres/migrate.js';
import { claimSingleOrg, orgDatabase } from '../../../src/adapters/postgres/org-scope.js';
import { findConversation } from '../../../src/adapters/postgres/conversation-table.js';
import { UNCLAIMED_ORG_ID } from '../../../src/domain/org/org-id.js';
import { silentLogger, startTestDatabase, TEST_ORG_ID, type TestDatabase } from '../../support/postgres.js';

/**
 * A database from before migration 070 (one org, no org ids): the migration keeps every row, under
 * the placeholder org, and the single org's first start makes them its own, dead letters with them.
 */

let t: TestDatabase;
let pool: pg.Pool;
let dir: string;

beforeAll(async () => {
  t = await startTestDatabase();
  await t.database.pool.query('CREATE DATABASE scribe_upgrade');
  const url = new URL(t.database.connectionString);
  url.pathname = '/scribe_upgrade';
  pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-before-070-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true, filter: (f) => !/\/0[7-9]\d_[^/]*\.sql$/.test(f) });
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await rm(dir, { recursive: true, force: true });
  await t?.stop();
});

describe('upgrading a single-org database to migration 070', () => {
  it('keeps the rows, then gives them to the org that first starts', async () => {
    await migrate(pool, silentLogger, dir);
    await pool.query(
      `INSERT INTO conversations (id, source, idempotency_key, correlation_id, payload, received_at, status)
       VALUES ('cv_before', 'gong', 'call-1', 'c', '{"content":"kept"}', now(), 'dead')`,
    );
    await pool.query(
      `INSERT INTO dead_letters (conversation_id, reason, error_code, attempts, payload)
       VALUES ('cv_before', 'why', 'CODE', 1, '{}')`,
    );
    expect(await migrate(pool, silentLogger)).toContain(70);
    const { rows } = await pool.query<{ org_id: string }>(
      'SELECT org_id FROM conversations UNION ALL SELECT org_id FROM dead_letters',
    );
    expect(rows).toEqual([{ org_id: UNCLAIMED_ORG_ID }, { org_id: UNCLAIMED_ORG_ID }]);
    // Before the claim, the org sees none of them.
    expect(await findConversation(orgDatabase(pool, TEST_ORG_ID), 'cv_before')).toBeNull();

    expect(await claimSingleOrg(pool, TEST_ORG_ID)).toBe(1);
    const mine = await findConversation(orgDatabase(pool, TEST_ORG_ID), 'cv_before');
    expect(mine).toMatchObject({ status: 'dead', deadLetter: { reason: 'why', errorCode: 'CODE' } });
    // A second start claims nothing more, and another org still sees nothing.
    expect(await claimSingleOrg(pool, TEST_ORG_ID)).toBe(0);
    expect(await findConversation(orgDatabase(pool, '00D5L0000000002UAA'), 'cv_before')).toBeNull();
  });
});
