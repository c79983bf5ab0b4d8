import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/**
 * Every table the service keeps an org's data in is isolated by org (migration 070): an org_id column,
 * row-level security enabled and forced, and exactly the one policy that compares org_id with the
 * transaction's org. Read from the catalog after all migrations, so a table added later without
 * `SELECT scribe_isolate('its_name')` fails here, in CI, before it can hold two orgs' rows.
 */

/**
 * Tables that are not an org's data, and why. Add one only with the reason: the service's own
 * bookkeeping, read by the owner's sessions, never by scribe_app.
 */
const NOT_AN_ORGS_DATA: Record<string, string> = {
  schema_migrations: 'which migrations ran',
  scribe_single_org: 'which org a single-org service serves',
  org_connections: 'the list of connected orgs, read across orgs to refresh, list and erase them',
  org_connection_starts: 'pending connections, found by their state before any org is known',
  seen_deliveries: 'hashes of webhook signatures, checked before a delivery is routed to any org',
  graph_subscriptions: "the publisher's one Graph subscription for the Teams app, shared by every org",
};

const POLICY = "(org_id = current_setting('scribe.org_id'::text, true))";

interface TableIsolation {
  table: string;
  problems: string[];
}

async function isolationOf(pool: pg.Pool): Promise<TableIsolation[]> {
  const { rows } = await pool.query<{
    table: string;
    enabled: boolean;
    forced: boolean;
    org_column: boolean;
    policies: { name: string; permissive: boolean; using: string | null; check: string | null }[];
  }>(
    `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id'
                      AND NOT a.attisdropped AND a.attnotnull) AS org_column,
            COALESCE((SELECT json_agg(json_build_object(
                        'name', p.polname, 'permissive', p.polpermissive,
                        'using', pg_get_expr(p.polqual, p.polrelid),
                        'check', pg_get_expr(p.polwithcheck, p.polrelid)))
                      FROM pg_policy p WHERE p.polrelid = c.oid), '[]') AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
  );
  return rows
    .filter((r) => !(r.table in NOT_AN_ORGS_DATA))
    .map((r) => {
      const problems: string[] = [];
      if (!r.org_column) problems.push('no NOT NULL org_id column');
      if (!r.enabled) problems.push('row-level security is not enabled');
      if (!r.forced) problems.push('row-level security is not forced (the owner would bypass it)');
      const ours = r.policies.filter((p) => p.name === 'scribe_org_isolation');
      if (ours.length !== 1 || ours[0]!.using !== POLICY || ours[0]!.check !== POLICY) {
        problems.push(`no policy scribe_org_isolation USING and WITH CHECK ${POLICY}`);
      }
      // Permissive policies are OR-ed: another one would widen what an org sees.
      const others = r.policies.filter((p) => p.name !== 'scribe_org_isolation');
      if (others.length > 0) problems.push(`other policies: ${others.map((p) => p.name).join(', ')}`);
      return { table: r.table, problems };
    });
}

const unisolated = async (pool: pg.Pool) =>
  (await isolationOf(pool))
    .filter((t) => t.problems.length > 0)
    .map(
      (t) =>
        `${t.table}: ${t.problems.join('; ')} — call SELECT scribe_isolate('${t.table}') in its migration`,
    );

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);
afterAll(async () => db?.stop());

describe('every table of an org’s data is isolated by org', () => {
  it('after all migrations, no table is without the policy', async () => {
    expect(await unisolated(db.database.pool)).toEqual([]);
    const tables = (await isolationOf(db.database.pool)).map((t) => t.table);
    expect(tables).toEqual(expect.arrayContaining(['conversations', 'dead_letters', 'calendar_meetings']));
  });

  it('names a new table without it, and passes it once scribe_isolate has run', async () => {
    const pool = db.database.pool;
    try {
      await pool.query('CREATE TABLE lint_probe (id text PRIMARY KEY)');
      expect(await unisolated(pool)).toEqual([
        expect.stringMatching(/^lint_probe: no NOT NULL org_id column; row-level security is not enabled/),
      ]);
      await pool.query("SELECT scribe_isolate('lint_probe')");
      expect(await unisolated(pool)).toEqual([]);
      await pool.query('ALTER TABLE lint_probe NO FORCE ROW LEVEL SECURITY');
      expect(await unisolated(pool)).toEqual([expect.stringContaining('not forced')]);
      await pool.query('ALTER TABLE lint_probe FORCE ROW LEVEL SECURITY');
      await pool.query('CREATE POLICY everyone ON lint_probe USING (true)');
      expect(await unisolated(pool)).toEqual([expect.stringContaining('other policies: everyone')]);
    } finally {
      await pool.query('DROP TABLE IF EXISTS lint_probe');
    }
  });

  it('the role the service queries as is subject to it and cannot truncate', async () => {
    const { rows } = await db.database.pool.query<{ super: boolean; bypass: boolean; truncate: boolean }>(
      `SELECT rolsuper AS super, rolbypassrls AS bypass,
              has_table_privilege('scribe_app', 'conversations', 'TRUNCATE') AS truncate
         FROM pg_roles WHERE rolname = 'scribe_app'`,
    );
    expect(rows).toEqual([{ super: false, bypass: false, truncate: false }]);
  });
});
