import type pg from 'pg';
import type { Queryable } from './conversation-table.js';
import type { Sealed } from '../secrets/token-cipher.js';
import { ORG_SETTING } from './org-scope.js';

/**
 * The org_connections and org_connection_starts tables (migration 060): rows in and out, sealed
 * bytes as they are. Sealing and opening, and what a state change means, are the service's
 * (services/org-connections.ts).
 */

export const CONNECTION_STATES = [
  'connected',
  'refresh_failed',
  'revoked',
  'disconnected',
  'erased',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export interface OrgConnectionRow {
  orgId: string;
  instanceUrl: string | null;
  loginUrl: string;
  connectedByUserId: string | null;
  connectedByUsername: string | null;
  state: ConnectionState;
  tokens: Sealed | null;
  lastError: string | null;
  connectedAt: Date | null;
  refreshedAt: Date | null;
  disconnectedAt: Date | null;
  eraseAfter: Date | null;
  erasedAt: Date | null;
  updatedAt: Date;
}

interface Row {
  org_id: string;
  instance_url: string | null;
  login_url: string;
  connected_by_user_id: string | null;
  connected_by_username: string | null;
  state: ConnectionState;
  tokens_key_id: string | null;
  tokens_sealed: Buffer | null;
  last_error: string | null;
  connected_at: Date | null;
  refreshed_at: Date | null;
  disconnected_at: Date | null;
  erase_after: Date | null;
  erased_at: Date | null;
  updated_at: Date;
}

const toConnection = (r: Row): OrgConnectionRow => ({
  orgId: r.org_id,
  instanceUrl: r.instance_url,
  loginUrl: r.login_url,
  connectedByUserId: r.connected_by_user_id,
  connectedByUsername: r.connected_by_username,
  state: r.state,
  tokens: r.tokens_key_id && r.tokens_sealed ? { keyId: r.tokens_key_id, sealed: r.tokens_sealed } : null,
  lastError: r.last_error,
  connectedAt: r.connected_at,
  refreshedAt: r.refreshed_at,
  disconnectedAt: r.disconnected_at,
  eraseAfter: r.erase_after,
  erasedAt: r.erased_at,
  updatedAt: r.updated_at,
});

export async function listConnections(db: Queryable): Promise<OrgConnectionRow[]> {
  const { rows } = await db.query<Row>('SELECT * FROM org_connections ORDER BY org_id');
  return rows.map(toConnection);
}

/** `lock` takes the row for the transaction `db` is in (a refresh, a disconnect). */
export async function findConnection(
  db: Queryable,
  orgId: string,
  lock = false,
): Promise<OrgConnectionRow | null> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM org_connections WHERE org_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [orgId],
  );
  return rows[0] ? toConnection(rows[0]) : null;
}

export interface Connected {
  orgId: string;
  instanceUrl: string;
  loginUrl: string;
  connectedByUserId: string;
  connectedByUsername: string | null;
  tokens: Sealed;
  at: Date;
}

/** A first connection, or a reconnection: whatever the row said before, it is connected now. */
export async function saveConnected(db: Queryable, c: Connected): Promise<void> {
  await db.query(
    `INSERT INTO org_connections (org_id, instance_url, login_url, connected_by_user_id, connected_by_username,
       state, tokens_key_id, tokens_sealed, connected_at, refreshed_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'connected', $6, $7, $8, $8, $8)
     ON CONFLICT (org_id) DO UPDATE SET
       instance_url = EXCLUDED.instance_url, login_url = EXCLUDED.login_url,
       connected_by_user_id = EXCLUDED.connected_by_user_id, connected_by_username = EXCLUDED.connected_by_username,
       state = 'connected', tokens_key_id = EXCLUDED.tokens_key_id, tokens_sealed = EXCLUDED.tokens_sealed,
       last_error = NULL, connected_at = EXCLUDED.connected_at, refreshed_at = EXCLUDED.refreshed_at,
       disconnected_at = NULL, erase_after = NULL, erased_at = NULL, updated_at = EXCLUDED.updated_at`,
    [
      c.orgId,
      c.instanceUrl,
      c.loginUrl,
      c.connectedByUserId,
      c.connectedByUsername,
      c.tokens.keyId,
      c.tokens.sealed,
      c.at,
    ],
  );
}

export async function saveRefreshed(
  db: Queryable,
  orgId: string,
  tokens: Sealed,
  instanceUrl: string,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE org_connections SET state = 'connected', tokens_key_id = $2, tokens_sealed = $3, instance_url = $4,
       last_error = NULL, refreshed_at = $5, updated_at = $5
     WHERE org_id = $1 AND state IN ('connected', 'refresh_failed')`,
    [orgId, tokens.keyId, tokens.sealed, instanceUrl, at],
  );
}

/** Re-encrypted under another key; the tokens themselves are unchanged. */
export async function saveResealed(db: Queryable, orgId: string, tokens: Sealed): Promise<void> {
  await db.query('UPDATE org_connections SET tokens_key_id = $2, tokens_sealed = $3 WHERE org_id = $1', [
    orgId,
    tokens.keyId,
    tokens.sealed,
  ]);
}

/** refresh_failed (try again) or revoked (an admin must reconnect); the tokens stay for a retry or a revoke. */
export async function saveRefreshFailure(
  db: Queryable,
  orgId: string,
  state: 'refresh_failed' | 'revoked',
  error: string,
  at: Date,
): Promise<void> {
  await db.query(
    'UPDATE org_connections SET state = $2, last_error = $3, updated_at = $4 WHERE org_id = $1',
    [orgId, state, error, at],
  );
}

/** Disconnected: the tokens are dropped now, the org's data goes at `eraseAfter`. */
export async function saveDisconnected(
  db: Queryable,
  orgId: string,
  at: Date,
  eraseAfter: Date,
  note: string | null,
): Promise<void> {
  await db.query(
    `UPDATE org_connections SET state = 'disconnected', tokens_key_id = NULL, tokens_sealed = NULL,
       last_error = $4, disconnected_at = $2, erase_after = $3, updated_at = $2
     WHERE org_id = $1`,
    [orgId, at, eraseAfter, note],
  );
}

export async function connectionsDueForErasure(db: Queryable, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ org_id: string }>(
    `SELECT org_id FROM org_connections WHERE state = 'disconnected' AND erase_after <= $1 ORDER BY erase_after`,
    [now],
  );
  return rows.map((r) => r.org_id);
}

/**
 * Tables whose rows carry the org they belong to (an `org_id` column), other than the connection's
 * own two and the single-org marker (which names the org a single-org database serves, not its data).
 */
async function orgScopedTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'org_id'
       AND table_name NOT IN ('org_connections', 'org_connection_starts', 'scribe_single_org')
     ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/**
 * The org's data, in one transaction: every row of every table that carries an org_id naming it,
 * its unfinished connection starts, and the connection's identity (instance URL, the admin who
 * connected it). The row stays as `erased` with its dates, so `scribe orgs show` can say when.
 * Returns the rows removed per table.
 */
export async function eraseOrgRows(pool: pg.Pool, orgId: string, at: Date): Promise<Record<string, number>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Row-level security is forced on the org's tables, so even their owner sees only the org set
    // for the transaction (a superuser bypasses it; a managed Postgres login is no superuser).
    await client.query(`SELECT set_config('${ORG_SETTING}', $1, true)`, [orgId]);
    const removed: Record<string, number> = {};
    for (const table of await orgScopedTables(client)) {
      const { rowCount } = await client.query(
        `DELETE FROM ${client.escapeIdentifier(table)} WHERE org_id = $1`,
        [orgId],
      );
      removed[table] = rowCount ?? 0;
    }
    const starts = await client.query('DELETE FROM org_connection_starts WHERE org_id = $1', [orgId]);
    removed.org_connection_starts = starts.rowCount ?? 0;
    await client.query(
      `UPDATE org_connections SET state = 'erased', instance_url = NULL, connected_by_user_id = NULL,
         connected_by_username = NULL, tokens_key_id = NULL, tokens_sealed = NULL, last_error = NULL,
         erase_after = NULL, erased_at = $2, updated_at = $2
       WHERE org_id = $1`,
      [orgId, at],
    );
    await client.query('COMMIT');
    return removed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface ConnectionStart {
  stateHash: string;
  orgId: string;
  loginUrl: string;
  verifier: Sealed;
  expiresAt: Date;
}

export async function insertStart(db: Queryable, start: ConnectionStart, now: Date): Promise<void> {
  // Expired starts are never usable; each new one clears them, so the table stays small.
  await db.query('DELETE FROM org_connection_starts WHERE expires_at < $1', [now]);
  await db.query(
    `INSERT INTO org_connection_starts (state_hash, org_id, login_url, verifier_key_id, verifier_sealed, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      start.stateHash,
      start.orgId,
      start.loginUrl,
      start.verifier.keyId,
      start.verifier.sealed,
      now,
      start.expiresAt,
    ],
  );
}

/** Takes the start (deleted in the same statement, so a state is used once however often it is sent). */
export async function takeStart(db: Queryable, stateHash: string): Promise<ConnectionStart | null> {
  const { rows } = await db.query<{
    state_hash: string;
    org_id: string;
    login_url: string;
    verifier_key_id: string;
    verifier_sealed: Buffer;
    expires_at: Date;
  }>('DELETE FROM org_connection_starts WHERE state_hash = $1 RETURNING *', [stateHash]);
  const r = rows[0];
  return r
    ? {
        stateHash: r.state_hash,
        orgId: r.org_id,
        loginUrl: r.login_url,
        verifier: { keyId: r.verifier_key_id, sealed: r.verifier_sealed },
        expiresAt: r.expires_at,
      }
    : null;
}
