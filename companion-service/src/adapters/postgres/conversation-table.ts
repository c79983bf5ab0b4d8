import type pg from 'pg';
import type { ConversationResult } from '../../domain/conversation-result.js';
import type { OrgDatabase } from './org-scope.js';

/**
 * The conversations table and its dead letters: every change of a conversation's state is one
 * statement here, guarded by the state it leaves, so a stale worker cannot move a conversation back.
 */

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export const CONVERSATION_STATUSES = ['queued', 'processing', 'retrying', 'processed', 'dead'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export interface ConversationRecord {
  id: string;
  source: string;
  idempotencyKey: string;
  correlationId: string;
  status: ConversationStatus;
  attempts: number;
  payload: unknown;
  result: ConversationResult | null;
  error: { code: string; message: string } | null;
  receivedAt: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
  deadLetter: { reason: string; errorCode: string; deadAt: string } | null;
}

interface Row {
  id: string;
  source: string;
  idempotency_key: string;
  correlation_id: string;
  status: ConversationStatus;
  attempts: number;
  payload: unknown;
  result: ConversationResult | null;
  error_code: string | null;
  error_message: string | null;
  received_at: Date;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  next_attempt_at: Date | null;
  updated_at: Date;
  dead_reason: string | null;
  dead_code: string | null;
  dead_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A conversation as its status is told: everything but the stored input, which only the worker reads. */
export type ConversationStatusRecord = Omit<ConversationRecord, 'payload'>;

function toRecord(row: Row): ConversationRecord {
  return { ...toStatusRecord(row), payload: row.payload };
}

function toStatusRecord(row: Omit<Row, 'payload'>): ConversationStatusRecord {
  return {
    id: row.id,
    source: row.source,
    idempotencyKey: row.idempotency_key,
    correlationId: row.correlation_id,
    status: row.status,
    attempts: row.attempts,
    result: row.result,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    receivedAt: row.received_at.toISOString(),
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    nextAttemptAt: iso(row.next_attempt_at),
    updatedAt: row.updated_at.toISOString(),
    deadLetter:
      row.status === 'dead' && row.dead_reason
        ? { reason: row.dead_reason, errorCode: row.dead_code ?? '', deadAt: row.dead_at!.toISOString() }
        : null,
  };
}

/** The columns of a status: not the payload, which can be megabytes of text a status never shows. */
const STATUS_COLUMNS = `c.id, c.source, c.idempotency_key, c.correlation_id, c.status, c.attempts, c.result,
  c.error_code, c.error_message, c.received_at, c.queued_at, c.started_at, c.finished_at, c.next_attempt_at,
  c.updated_at`;

const DEAD_LETTER = `
  LEFT JOIN LATERAL (
    SELECT reason, error_code, dead_at FROM dead_letters
    WHERE conversation_id = c.id AND redriven_at IS NULL
    ORDER BY id DESC LIMIT 1
  ) d ON true`;

const SELECT = `
  SELECT c.*, d.reason AS dead_reason, d.error_code AS dead_code, d.dead_at
  FROM conversations c ${DEAD_LETTER}`;

export interface NewConversation {
  id: string;
  source: string;
  idempotencyKey: string;
  /** The fingerprint of the request a caller's own key came with; unset for keys the service derives. */
  requestHash?: string;
  correlationId: string;
  payload: unknown;
  receivedAt: string;
}

/** The row made now, or null when the source already sent this key (the row it made is kept). */
export async function insertConversation(db: Queryable, c: NewConversation): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO conversations (id, source, idempotency_key, correlation_id, payload, received_at, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [
      c.id,
      c.source,
      c.idempotencyKey,
      c.correlationId,
      JSON.stringify(c.payload),
      c.receivedAt,
      c.requestHash ?? null,
    ],
  );
  return rowCount === 1;
}

/**
 * Many new conversations in one statement; the ids it stored. A row whose id (or source and key) is
 * already there, or that repeats an earlier row of the same call, is not stored and not returned.
 */
export async function insertConversations(
  db: Queryable,
  conversations: readonly NewConversation[],
): Promise<Set<string>> {
  if (conversations.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>({
    // Prepared once per connection: intake runs it for every group, and planning it each time costs
    // the database more than the insert.
    name: 'scribe-insert-conversations',
    text: `INSERT INTO conversations (id, source, idempotency_key, correlation_id, payload, received_at, request_hash)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::text[])
     ON CONFLICT DO NOTHING
     RETURNING id`,
    values: [
      conversations.map((c) => c.id),
      conversations.map((c) => c.source),
      conversations.map((c) => c.idempotencyKey),
      conversations.map((c) => c.correlationId),
      conversations.map((c) => JSON.stringify(c.payload)),
      conversations.map((c) => c.receivedAt),
      conversations.map((c) => c.requestHash ?? null),
    ],
  });
  return new Set(rows.map((row) => row.id));
}

/** Which conversation holds a live key, and the fingerprint of the request that bound it. */
export interface KeyHolder {
  id: string;
  requestHash: string | null;
}

export const keyOf = (source: string, idempotencyKey: string) => `${source}\u0000${idempotencyKey}`;

/** The conversations holding these (source, key) pairs now, by `keyOf`. */
export async function keyHolders(
  db: Queryable,
  keys: readonly { source: string; idempotencyKey: string }[],
): Promise<Map<string, KeyHolder>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{
    id: string;
    source: string;
    idempotency_key: string;
    request_hash: string | null;
  }>(
    `SELECT c.id, c.source, c.idempotency_key, c.request_hash
     FROM conversations c
     JOIN unnest($1::text[], $2::text[]) AS k (source, idempotency_key)
       ON c.source = k.source AND c.idempotency_key = k.idempotency_key
     WHERE c.key_expired_at IS NULL`,
    [keys.map((k) => k.source), keys.map((k) => k.idempotencyKey)],
  );
  return new Map(
    rows.map((row) => [
      keyOf(row.source, row.idempotency_key),
      { id: row.id, requestHash: row.request_hash },
    ]),
  );
}

/**
 * Releases callers' keys bound for more than `hours` (all of them, or only these): the fingerprint is
 * dropped and the key may name a new conversation; the conversation itself is kept. The count released.
 */
export async function releaseIdempotencyKeys(
  db: Queryable,
  hours: number,
  only?: readonly { source: string; idempotencyKey: string }[],
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE conversations
     SET key_expired_at = now(), request_hash = NULL, updated_at = now()
     WHERE request_hash IS NOT NULL AND key_expired_at IS NULL
       AND received_at < now() - make_interval(hours => $1)
       AND ($2::text[] IS NULL OR (source, idempotency_key) IN (SELECT * FROM unnest($2::text[], $3::text[])))`,
    [hours, only ? only.map((k) => k.source) : null, only ? only.map((k) => k.idempotencyKey) : null],
  );
  return rowCount ?? 0;
}

export async function findConversation(db: Queryable, id: string): Promise<ConversationStatusRecord | null> {
  const { rows } = await db.query<Omit<Row, 'payload'>>({
    // Prepared once per connection: every status read, and every wait for one, runs it.
    name: 'scribe-find-conversation',
    text: `SELECT ${STATUS_COLUMNS}, d.reason AS dead_reason, d.error_code AS dead_code, d.dead_at
      FROM conversations c ${DEAD_LETTER} WHERE c.id = $1`,
    values: [id],
  });
  return rows[0] ? toStatusRecord(rows[0]) : null;
}

export async function findByKey(
  db: Queryable,
  source: string,
  idempotencyKey: string,
): Promise<ConversationRecord | null> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE c.source = $1 AND c.idempotency_key = $2 AND c.key_expired_at IS NULL`,
    [source, idempotencyKey],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * Takes the conversation in hand, read in the same statement; null when it is already finished (a
 * late or repeated job). A conversation in hand has no dead letter to show.
 */
export async function startAttempt(db: Queryable, id: string): Promise<ConversationRecord | null> {
  const { rows } = await db.query<Row>(
    `UPDATE conversations
     SET status = 'processing', attempts = attempts + 1, started_at = now(), next_attempt_at = NULL,
         updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'retrying', 'processing')
     RETURNING *, NULL AS dead_reason, NULL AS dead_code, NULL AS dead_at`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function markProcessed(db: Queryable, id: string, result: ConversationResult): Promise<void> {
  await markManyProcessed(db, [{ id, result }]);
}

/**
 * Many conversations processed in one statement (the worker's completions share a transaction). In
 * id order, so two transactions marking some of the same rows lock them in the same order.
 */
export async function markManyProcessed(
  db: Queryable,
  processed: readonly { id: string; result: ConversationResult }[],
): Promise<void> {
  if (processed.length === 0) return;
  const inOrder = [...processed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await db.query({
    // Prepared once per connection: every completion runs it.
    name: 'scribe-mark-processed',
    text: `UPDATE conversations c
     SET status = 'processed', result = p.result, error_code = NULL, error_message = NULL,
         finished_at = now(), updated_at = now()
     FROM unnest($1::text[], $2::jsonb[]) AS p (id, result)
     WHERE c.id = p.id AND c.status = 'processing'`,
    values: [inOrder.map((p) => p.id), inOrder.map((p) => JSON.stringify(p.result))],
  });
}

/** Back in the queue for `at`; `countsAsAttempt` false for a pause that was no failure (the API limit). */
export async function markRetrying(
  db: Queryable,
  id: string,
  error: { code: string; message: string },
  at: Date,
  countsAsAttempt = true,
): Promise<void> {
  await db.query(
    `UPDATE conversations
     SET status = 'retrying', error_code = $2, error_message = $3, next_attempt_at = $4,
         attempts = attempts - CASE WHEN $5 THEN 0 ELSE 1 END, updated_at = now()
     WHERE id = $1 AND status = 'processing'`,
    [id, error.code, error.message, at, countsAsAttempt],
  );
}

/** Dead with the reason, kept as a dead letter; the result, if processing produced one, stays readable. */
export async function markDead(
  db: Queryable,
  id: string,
  dead: { reason: string; errorCode: string; result?: ConversationResult | null },
): Promise<boolean> {
  const { rows } = await db.query<{ attempts: number; payload: unknown }>(
    `UPDATE conversations
     SET status = 'dead', error_code = $2, error_message = $3, result = COALESCE($4, result),
         finished_at = now(), next_attempt_at = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'retrying', 'processing')
     RETURNING attempts, payload`,
    [id, dead.errorCode, dead.reason, dead.result ? JSON.stringify(dead.result) : null],
  );
  if (!rows[0]) return false;
  await db.query(
    `INSERT INTO dead_letters (conversation_id, reason, error_code, attempts, payload)
     VALUES ($1, $2, $3, $4, $5)`,
    [id, dead.reason, dead.errorCode, rows[0].attempts, JSON.stringify(rows[0].payload)],
  );
  return true;
}

/** Dead conversations back to queued with their attempts reset; returns the ids re-queued. */
export async function requeueDead(db: Queryable, ids: string[] | 'all'): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE conversations
     SET status = 'queued', attempts = 0, error_code = NULL, error_message = NULL, finished_at = NULL,
         queued_at = now(), updated_at = now()
     WHERE status = 'dead' AND ($1::text[] IS NULL OR id = ANY($1))
     RETURNING id`,
    [ids === 'all' ? null : ids],
  );
  const requeued = rows.map((r) => r.id);
  if (requeued.length > 0) {
    await db.query(
      'UPDATE dead_letters SET redriven_at = now() WHERE conversation_id = ANY($1) AND redriven_at IS NULL',
      [requeued],
    );
  }
  return requeued;
}

export async function countByStatus(db: Queryable): Promise<Record<ConversationStatus, number>> {
  const { rows } = await db.query<{ status: ConversationStatus; n: string }>(
    'SELECT status, count(*) AS n FROM conversations GROUP BY status',
  );
  const counts = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<
    ConversationStatus,
    number
  >;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/**
 * Every conversation of the org and their jobs: for a local org that was reset, whose records they
 * described. In the org's transaction, so no other org's go.
 */
export async function forgetConversations(org: OrgDatabase): Promise<void> {
  await org.transaction(async (client) => {
    await client.query('DELETE FROM conversations');
    // A job queued before migration 070 carries no org: the single org's.
    await client.query(
      `DELETE FROM pgboss.job WHERE name LIKE 'conversation%' AND COALESCE(data->>'orgId', scribe_single_org_id()) = $1`,
      [org.orgId],
    );
  });
}
