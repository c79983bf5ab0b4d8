import type { Queryable } from './conversation-table.js';
import type { OrgDatabase } from './org-scope.js';

/**
 * Every copy of a conversation the service keeps in Postgres, found and removed together: the
 * conversation row (its text in `payload`, what came of it in `result`, Salesforce's error), its
 * dead letters, its pg-boss jobs (live, archived, and in the crash queue), and the reps' decisions
 * on its suggestions. Platform Events that could never be used are kept apart (pubsub_dead_letters)
 * and go by age, or when they hold an erased address.
 */

/** Rows removed, per table, by one erasure or one retention sweep. */
export interface StoreCounts {
  conversations: number;
  deadLetters: number;
  jobs: number;
  archivedJobs: number;
  suggestionDecisions: number;
  pubsubDeadLetters: number;
  /** Stored calendar invitations (their organizer's and attendees' addresses). */
  calendarMeetings: number;
}

export const emptyStoreCounts = (): StoreCounts => ({
  conversations: 0,
  deadLetters: 0,
  jobs: 0,
  archivedJobs: 0,
  suggestionDecisions: 0,
  pubsubDeadLetters: 0,
  calendarMeetings: 0,
});

/** What the org side needs to find a conversation's records once the rows are gone. */
export interface ErasableConversation {
  id: string;
  source: string;
  status: string;
  payload: unknown;
  /** From the processing result: the Conversation__c, its source id and its suggestions. */
  recordId: string | null;
  sourceId: string | null;
  suggestionExternalIds: string[];
  suggestionIds: string[];
}

interface Row {
  id: string;
  source: string;
  status: string;
  payload: unknown;
  result: {
    conversationRecordId?: string | null;
    sourceId?: string;
    suggestions?: { id: string | null; externalId: string }[];
  } | null;
}

const toErasable = (row: Row): ErasableConversation => ({
  id: row.id,
  source: row.source,
  status: row.status,
  payload: row.payload,
  recordId: row.result?.conversationRecordId ?? null,
  sourceId: row.result?.sourceId ?? null,
  suggestionExternalIds: (row.result?.suggestions ?? []).map((s) => s.externalId),
  suggestionIds: (row.result?.suggestions ?? []).flatMap((s) => (s.id ? [s.id] : [])),
});

const SELECT = 'SELECT id, source, status, payload, result FROM conversations';

export async function conversationsById(db: Queryable, ids: string[]): Promise<ErasableConversation[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = ANY($1)`, [ids]);
  return rows.map(toErasable);
}

/** `%`, `_` and `\` are LIKE's own characters; an address holding them must match only itself. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Conversations whose text, participants (Gong's parties, an email's headers), result or dead
 * letters name the address, in any case: the whole row is searched, since an address can sit in
 * any of them.
 */
export async function conversationsMentioning(
  db: Queryable,
  address: string,
): Promise<ErasableConversation[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} c
     WHERE c::text ILIKE $1
        OR EXISTS (SELECT 1 FROM dead_letters d WHERE d.conversation_id = c.id AND d::text ILIKE $1)`,
    [likePattern(address)],
  );
  return rows.map(toErasable);
}

/**
 * Finished conversations (processed or dead) that finished before `before`: Salesforce holds what
 * came of them, so their text has served. Queued and retrying ones are kept whatever their age:
 * nothing of them reached the org yet.
 */
export async function expiredConversations(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<ErasableConversation[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE status IN ('processed', 'dead') AND finished_at < $1 ORDER BY finished_at LIMIT $2`,
    [before, limit],
  );
  return rows.map(toErasable);
}

/**
 * Removes the conversations and every copy tied to them, in one transaction, so an erasure is
 * never half done. A conversation a worker holds right now is left (its id returned in `busy`): the
 * worker would write it to Salesforce after the erasure; erase it again once it is finished.
 */
export async function eraseConversationRows(
  org: OrgDatabase,
  conversations: readonly ErasableConversation[],
  /** For the retention sweep: only those still finished before this (a re-drive may have queued one since). */
  finishedBefore?: Date,
): Promise<{ counts: StoreCounts; erased: string[]; busy: string[] }> {
  const counts = emptyStoreCounts();
  if (conversations.length === 0) return { counts, erased: [], busy: [] };
  return org.transaction(async (client) => {
    // Locked first, so a worker cannot take one of them between this check and the delete.
    const { rows: locked } = await client.query<{ id: string; status: string }>(
      `SELECT id, status FROM conversations
       WHERE id = ANY($1) AND ($2::timestamptz IS NULL OR (status IN ('processed', 'dead') AND finished_at < $2))
       FOR UPDATE`,
      [conversations.map((c) => c.id), finishedBefore ?? null],
    );
    const busy = locked.filter((r) => r.status === 'processing').map((r) => r.id);
    const ids = locked.filter((r) => r.status !== 'processing').map((r) => r.id);
    const chosen = conversations.filter((c) => ids.includes(c.id));
    const removed = async (sql: string, values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0;
    counts.suggestionDecisions = await removed(
      'DELETE FROM suggestion_decisions WHERE external_id = ANY($1) OR suggestion_id = ANY($2)',
      [chosen.flatMap((c) => c.suggestionExternalIds), chosen.flatMap((c) => c.suggestionIds)],
    );
    // pg-boss makes its schema when a service first starts; a database only migrated has none yet.
    const { rows: boss } = await client.query<{ job: string | null; archive: string | null }>(
      `SELECT to_regclass('pgboss.job')::text AS job, to_regclass('pgboss.archive')::text AS archive`,
    );
    // The queue's tables are not isolated by row (migration 070): its jobs are this org's by their
    // data. A job queued before the org was known carries none, and is the single org's.
    const ofThisOrg = `data->>'conversationId' = ANY($1) AND COALESCE(data->>'orgId', scribe_single_org_id()) = $2`;
    const orgs = [ids, org.orgId];
    if (boss[0]?.job) {
      counts.jobs = await removed(`DELETE FROM pgboss.job WHERE ${ofThisOrg}`, orgs);
    }
    if (boss[0]?.archive) {
      counts.archivedJobs = await removed(`DELETE FROM pgboss.archive WHERE ${ofThisOrg}`, orgs);
    }
    counts.deadLetters = await removed('DELETE FROM dead_letters WHERE conversation_id = ANY($1)', [ids]);
    counts.conversations = await removed('DELETE FROM conversations WHERE id = ANY($1)', [ids]);
    return { counts, erased: ids, busy };
  });
}

/**
 * The address out of what is kept beside conversations: reps' decisions whose values hold it, and
 * Platform Events kept as undecodable (their bytes searched as UTF-8, which Avro strings are).
 */
export async function eraseAddressElsewhere(
  db: Queryable,
  address: string,
): Promise<Pick<StoreCounts, 'suggestionDecisions' | 'pubsubDeadLetters'>> {
  const decisions = await db.query(
    'DELETE FROM suggestion_decisions WHERE suggestion_decisions::text ILIKE $1',
    [likePattern(address)],
  );
  const letters = await db.query(
    `DELETE FROM pubsub_dead_letters
     WHERE position(convert_to(lower($1), 'UTF8') IN payload) > 0
        OR position(convert_to($1, 'UTF8') IN payload) > 0
        OR pubsub_dead_letters::text ILIKE $2`,
    [address, likePattern(address)],
  );
  return { suggestionDecisions: decisions.rowCount ?? 0, pubsubDeadLetters: letters.rowCount ?? 0 };
}

/** Platform Events kept as unusable, older than `before`: their bytes may hold a conversation's text. */
export async function purgeEventLetters(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM pubsub_dead_letters WHERE received_at < $1', [before]);
  return rowCount ?? 0;
}
