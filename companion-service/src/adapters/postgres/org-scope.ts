import type pg from 'pg';
import { isOrgId } from '../../domain/org/org-id.js';
import type { Queryable } from './conversation-table.js';

/**
 * The one way the service reads and writes an org's rows: a transaction run as scribe_app (the role
 * row-level security applies to; the login that owns the tables is exempt from it) with the org set
 * for that transaction alone (set_config(..., true), gone at COMMIT or ROLLBACK), so a connection
 * given back to the pool carries no org into its next use. Migration 070 holds the policy: a row is
 * seen and written only when its org_id is the transaction's; with no org set, none is.
 * https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET
 */

export const APP_ROLE = 'scribe_app';
export const ORG_SETTING = 'scribe.org_id';

export interface OrgTransactionOptions {
  /** Wait for the WAL flush at COMMIT whatever the server's default (an ack promises a stored row). */
  synchronousCommit?: boolean;
}

function setup(orgId: string, options: OrgTransactionOptions): string {
  if (!isOrgId(orgId)) {
    throw new Error(
      `org id ${JSON.stringify(String(orgId).slice(0, 40))} is not an 18-character Salesforce org id (00D followed by 15 letters and digits)`,
    );
  }
  // Checked above to be letters and digits only, so it is written into the statement as it is: the
  // transaction starts, takes the role and the org in one round trip.
  return [
    'BEGIN',
    `SET LOCAL ROLE ${APP_ROLE}`,
    ...(options.synchronousCommit ? ['SET LOCAL synchronous_commit = on'] : []),
    `SELECT set_config('${ORG_SETTING}', '${orgId}', true)`,
  ].join('; ');
}

/**
 * `work` in one transaction for the org on a connection the caller holds (a worker keeps its
 * conversation's lock on it); committed when it returns, rolled back when it throws. A failed
 * rollback is thrown as `broken` on the error, so the caller does not give the connection back.
 */
export async function inOrgTransaction<T>(
  client: pg.PoolClient,
  orgId: string,
  work: (client: pg.PoolClient) => Promise<T>,
  options: OrgTransactionOptions = {},
): Promise<T> {
  const begin = setup(orgId, options);
  try {
    // Inside the try: should the role or the org fail to be set, the transaction begun is rolled back
    // rather than left open on a connection that goes back to the pool.
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => {
      if (error && typeof error === 'object') Object.assign(error, { broken: rollback });
    });
    throw error;
  }
}

/** `work` in one transaction for the org, on a connection of its own from the pool. */
export async function withOrg<T>(
  pool: pg.Pool,
  orgId: string,
  work: (client: pg.PoolClient) => Promise<T>,
  options: OrgTransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await inOrgTransaction(client, orgId, work, options);
  } catch (error) {
    broken = (error as { broken?: Error } | null)?.broken;
    throw error;
  } finally {
    // A connection that could not roll back is not given back to the pool.
    client.release(broken);
  }
}

/**
 * One org's view of the database: each `query` is a transaction of its own for the org, and
 * `transaction` runs several statements in one. What the use cases are given instead of the pool.
 */
export interface OrgDatabase {
  readonly orgId: string;
  /** The pool beneath (a worker holds a connection of its own for its conversation's lock). */
  readonly pool: pg.Pool;
  query: Queryable['query'];
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>, options?: OrgTransactionOptions): Promise<T>;
}

export function orgDatabase(pool: pg.Pool, orgId: string): OrgDatabase {
  // Refused here, not at the first query, so a wrong org id fails where it is handed in.
  setup(orgId, {});
  const query = ((text: string | pg.QueryConfig, values?: unknown[]) =>
    withOrg(pool, orgId, (client) => client.query(text as string, values))) as Queryable['query'];
  return {
    orgId,
    pool,
    query,
    transaction: (work, options) => withOrg(pool, orgId, work, options),
  };
}

/**
 * The single org's first start (SF_* or the local org): it becomes the org the owner's sessions write
 * for, and rows kept from before migration 070 become its own. Run as the owner; the count moved.
 */
export async function claimSingleOrg(pool: pg.Pool, orgId: string): Promise<number> {
  setup(orgId, {});
  const { rows } = await pool.query<{ moved: string }>('SELECT scribe_claim_single_org($1) AS moved', [
    orgId,
  ]);
  return Number(rows[0]!.moved);
}

/** The org a single-org database serves (for the commands that run without Salesforce). */
export async function singleOrgOf(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ org: string }>('SELECT scribe_single_org_id() AS org');
  return rows[0]!.org;
}
