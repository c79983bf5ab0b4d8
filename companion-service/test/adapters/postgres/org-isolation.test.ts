import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type PgBoss from 'pg-boss';
import { startLocalOrgs, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import {
  PostgresIngestQueue,
  conversationIdFor,
  startBoss,
} from '../../../src/adapters/postgres/postgres-ingest-queue.js';
import {
  countByStatus,
  findByKey,
  findConversation,
  markDead,
  startAttempt,
} from '../../../src/adapters/postgres/conversation-table.js';
import { orgDatabase, type OrgDatabase } from '../../../src/adapters/postgres/org-scope.js';
import { findMeeting, recordInvitation } from '../../../src/adapters/postgres/meeting-table.js';
import {
  PostgresDecisionLog,
  PostgresReplayStore,
  PostgresRescoreRequests,
} from '../../../src/adapters/postgres/pubsub-event-stores.js';
import {
  conversationsMentioning,
  eraseConversationRows,
} from '../../../src/adapters/postgres/erasure-store.js';
import type { Invitation } from '../../../src/domain/calendar/invitation.js';
import { silentLogger, startTestDatabase, type TestDatabase } from '../../support/postgres.js';

/**
 * Issue 20, isolation: several local orgs in one database, holding the same sample records (the same
 * ids and names), write and read through the real adapters in random interleavings. Each org's reads
 * must match a model of that org's writes alone (so no read returns another org's row and no write of
 * another org shows through), and every row must stay with the org that wrote it (so no write touched
 * another org's rows).
 */

const ORGS = 3;
let db: TestDatabase;
let boss: PgBoss;
let orgs: LocalOrg[];
let names: string[];
let opportunityIds: string[];

beforeAll(async () => {
  [db, orgs] = await Promise.all([startTestDatabase(), startLocalOrgs(ORGS)]);
  boss = await startBoss(db.database.pool, db.settings(), silentLogger);
  // The samples are the same in every org: the same names under the same ids.
  const [first, ...others] = orgs.map((org) =>
    org.store
      .all('Opportunity')
      .map((o) => `${String(o.Id)}|${String(o.Name)}`)
      .sort(),
  );
  for (const other of others) expect(other).toEqual(first);
  const sample = orgs[0]!.store.all('Opportunity').slice(0, 4);
  opportunityIds = sample.map((o) => String(o.Id));
  names = sample.map((o) => String(o.Name));
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await Promise.all((orgs ?? []).map((org) => org.close()));
  await db?.stop();
});

interface OrgModel {
  /** Conversation keys (gong call ids) this org stored, with the name its payload carries. */
  conversations: Map<string, { id: string; name: string; dead: boolean }>;
  meetings: Map<string, number>;
  decisions: Set<string>;
  rescores: Map<string, string>;
  replay: Map<string, bigint>;
}

const emptyModel = (): OrgModel => ({
  conversations: new Map(),
  meetings: new Map(),
  decisions: new Set(),
  rescores: new Map(),
  replay: new Map(),
});

type Op =
  | { kind: 'enqueue'; org: number; key: number; name: number }
  | { kind: 'kill'; org: number; key: number }
  | { kind: 'meeting'; org: number; uid: number; sequence: number }
  | { kind: 'decision'; org: number; event: number }
  | { kind: 'rescore'; org: number; opportunity: number; event: number }
  | { kind: 'replay'; org: number; topic: number; replayId: number }
  | { kind: 'erase'; org: number; name: number }
  | { kind: 'read'; org: number; key: number };

const org = fc.nat({ max: ORGS - 1 });
const small = fc.nat({ max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('enqueue' as const), org, key: small, name: small }),
  fc.record({ kind: fc.constant('kill' as const), org, key: small }),
  fc.record({ kind: fc.constant('meeting' as const), org, uid: small, sequence: small }),
  fc.record({ kind: fc.constant('decision' as const), org, event: small }),
  fc.record({ kind: fc.constant('rescore' as const), org, opportunity: small, event: fc.nat({ max: 99 }) }),
  fc.record({
    kind: fc.constant('replay' as const),
    org,
    topic: fc.nat({ max: 1 }),
    replayId: fc.nat({ max: 1000 }),
  }),
  fc.record({ kind: fc.constant('erase' as const), org, name: small }),
  fc.record({ kind: fc.constant('read' as const), org, key: small }),
);

const callId = (key: number) => `gong-call-${key}`;
const topic = (n: number) => ['/event/Opportunity_Changed__e', '/event/Suggestion_Decided__e'][n]!;

const invitation = (orgId: string, uid: number, sequence: number): Invitation => ({
  uid: `meeting-${uid}@example.com`,
  sequence,
  cancelled: false,
  title: `Review with ${orgId}`,
  start: '2026-03-10T10:00:00.000Z',
  end: '2026-03-10T11:00:00.000Z',
  organizer: null,
  attendees: [],
});

async function resetTables(): Promise<void> {
  await db.database.pool.query(
    'TRUNCATE conversations, dead_letters, calendar_meetings, suggestion_decisions, rescore_requests, pubsub_replay_positions',
  );
  await db.database.pool.query('DELETE FROM pgboss.job');
}

async function apply(op: Op, view: OrgDatabase, queue: PostgresIngestQueue, model: OrgModel): Promise<void> {
  const me = view.orgId;
  switch (op.kind) {
    case 'enqueue': {
      const key = callId(op.key);
      const name = names[op.name]!;
      const result = await queue.enqueue({
        source: 'gong',
        idempotencyKey: key,
        correlationId: `corr-${me}-${key}`,
        payload: { org: me, opportunityName: name, content: `Call about ${name}` },
        receivedAt: '2026-03-10T10:00:00.000Z',
      });
      const known = model.conversations.get(key);
      expect(result.duplicate, `${me} ${key}: duplicate only if this org stored it`).toBe(Boolean(known));
      if (known) expect(result.conversationId).toBe(known.id);
      else model.conversations.set(key, { id: result.conversationId, name, dead: false });
      return;
    }
    case 'kill': {
      // Every org makes the same id for the same call: the one to kill may be another org's only.
      const key = callId(op.key);
      const id = conversationIdFor('gong', key);
      const known = model.conversations.get(key);
      const live = Boolean(known && !known.dead);
      expect((await startAttempt(view, id)) !== null, `${me} takes ${key}`).toBe(live);
      expect(await markDead(view, id, { reason: 'test', errorCode: 'TEST' })).toBe(live);
      if (known) known.dead = true;
      return;
    }
    case 'meeting': {
      const verdict = await recordInvitation(view, invitation(me, op.uid, op.sequence), 'api', null);
      const known = model.meetings.get(`${op.uid}`);
      const expected =
        known === undefined
          ? 'create'
          : op.sequence < known
            ? 'stale'
            : op.sequence === known
              ? 'unchanged'
              : 'update';
      expect(verdict, `${me} meeting ${op.uid}`).toBe(expected);
      if (expected === 'create' || expected === 'update') model.meetings.set(`${op.uid}`, op.sequence);
      const found = await findMeeting(view, invitation(me, op.uid, 0).uid);
      expect(found?.invitation.title).toBe(`Review with ${me}`);
      expect(found?.sequence).toBe(model.meetings.get(`${op.uid}`));
      return;
    }
    case 'decision': {
      const eventId = `platform-event:${op.event}`;
      const recorded = await new PostgresDecisionLog(view).record({
        eventId,
        suggestionId: 'a0A000000000001AAA',
        externalId: `ext-${op.event}`,
        decision: 'Accepted',
        opportunityId: opportunityIds[0]!,
        targetObject: 'Opportunity',
        targetField: 'NextStep',
        targetRecordId: opportunityIds[0]!,
        proposedValue: me,
        appliedValue: me,
        confidence: 0.8,
        decidedById: '005000000000001AAA',
        decidedAt: '2026-03-02T10:00:00.000Z',
        message: null,
      });
      expect(recorded, `${me} ${eventId}`).toBe(!model.decisions.has(eventId));
      model.decisions.add(eventId);
      const recent = await new PostgresDecisionLog(view).recentForField('Opportunity', 'NextStep', 100);
      expect(recent).toHaveLength(model.decisions.size);
      return;
    }
    case 'rescore': {
      const requests = new PostgresRescoreRequests(view);
      const opportunityId = opportunityIds[op.opportunity]!;
      const eventId = `${me}:${op.event}`;
      await requests.request({
        opportunityId,
        changedFields: ['StageName'],
        isNew: false,
        eventId,
        requestedAt: '2026-03-02T10:00:00.000Z',
      });
      model.rescores.set(opportunityId, eventId);
      const pending = await requests.pending(100);
      expect(new Map(pending.map((p) => [p.opportunityId, p.eventId]))).toEqual(model.rescores);
      return;
    }
    case 'replay': {
      const store = new PostgresReplayStore(view);
      await store.put(topic(op.topic), BigInt(op.replayId));
      model.replay.set(topic(op.topic), BigInt(op.replayId));
      for (const t of [0, 1]) expect(await store.get(topic(t))).toBe(model.replay.get(topic(t)) ?? null);
      return;
    }
    case 'erase': {
      // The same name is in every org's conversations: only this org's go.
      const name = names[op.name]!;
      const found = await conversationsMentioning(view, name);
      const mine = [...model.conversations.entries()].filter(([, c]) => c.name === name);
      expect(found.map((c) => c.id).sort()).toEqual(mine.map(([, c]) => c.id).sort());
      const { erased } = await eraseConversationRows(view, found);
      expect(erased.sort()).toEqual(mine.map(([, c]) => c.id).sort());
      for (const [key] of mine) model.conversations.delete(key);
      return;
    }
    case 'read': {
      const key = callId(op.key);
      const known = model.conversations.get(key);
      const byKey = await findByKey(view, 'gong', key);
      expect(byKey?.id ?? null, `${me} reads ${key}`).toBe(known?.id ?? null);
      if (byKey) expect((byKey.payload as { org: string }).org).toBe(me);
      const byId = await findConversation(view, conversationIdFor('gong', key));
      expect(byId?.id ?? null).toBe(known?.id ?? null);
      // A status read carries no payload; the id found is the org's own (checked above).
      return;
    }
  }
}

describe('one database, several orgs with the same records', () => {
  it('the local orgs are told apart by their 18-character org ids', () => {
    const ids = orgs.map((o) => o.orgId);
    expect(new Set(ids).size).toBe(ORGS);
    for (const id of ids) expect(id).toMatch(/^00D[A-Za-z0-9]{15}$/);
  });

  it('no read returns, and no write touches, another org’s rows, in any interleaving', async () => {
    const views = orgs.map((o) => orgDatabase(db.database.pool, o.orgId));
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        await resetTables();
        const models = views.map(emptyModel);
        const queues = views.map((view) => new PostgresIngestQueue(view, boss));
        for (const op of ops) {
          await apply(op, views[op.org]!, queues[op.org]!, models[op.org]!);
        }
        for (const [i, view] of views.entries()) {
          const counts = await countByStatus(view);
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          expect(total, `${view.orgId} counts only its own conversations`).toBe(
            models[i]!.conversations.size,
          );
          expect(counts.dead).toBe([...models[i]!.conversations.values()].filter((c) => c.dead).length);
        }
        // As the owner, who sees every row: each row is still with the org whose payload it carries,
        // and each job names the org of its conversation.
        const { rows } = await db.database.pool.query<{ org_id: string; written_by: string }>(
          "SELECT org_id, payload->>'org' AS written_by FROM conversations",
        );
        for (const row of rows) expect(row.org_id).toBe(row.written_by);
        const { rows: meetings } = await db.database.pool.query<{ org_id: string; title: string }>(
          "SELECT org_id, invitation->>'title' AS title FROM calendar_meetings",
        );
        for (const m of meetings) expect(m.title).toBe(`Review with ${m.org_id}`);
        const { rows: jobs } = await db.database.pool.query<{ org_id: string; found: number }>(
          `SELECT j.data->>'orgId' AS org_id,
                  (SELECT count(*)::int FROM conversations c
                    WHERE c.id = j.data->>'conversationId' AND c.org_id = j.data->>'orgId') AS found
             FROM pgboss.job j WHERE j.name = 'conversation'`,
        );
        for (const job of jobs) expect(job.found, `a job of ${job.org_id}`).toBe(1);
        // Each conversation an org stored has its one job, whatever the other orgs erased.
        for (const [i, view] of views.entries()) {
          expect(jobs.filter((j) => j.org_id === view.orgId)).toHaveLength(models[i]!.conversations.size);
        }
      }),
      { numRuns: Number(process.env.ISOLATION_RUNS ?? 25) },
    );
  }, 240_000);
});

describe('row-level security', () => {
  it('a query without the org set returns nothing and may write nothing', async () => {
    await resetTables();
    const queue = new PostgresIngestQueue(orgDatabase(db.database.pool, orgs[0]!.orgId), boss);
    await queue.enqueue({
      source: 'gong',
      idempotencyKey: 'gong-call-raw',
      correlationId: 'corr-raw',
      payload: { content: 'seen by its org only' },
      receivedAt: '2026-03-10T10:00:00.000Z',
    });
    await recordInvitation(
      orgDatabase(db.database.pool, orgs[0]!.orgId),
      invitation(orgs[0]!.orgId, 1, 0),
      'api',
      null,
    );
    const client = await db.database.pool.connect();
    try {
      await client.query('BEGIN; SET LOCAL ROLE scribe_app');
      for (const table of ['conversations', 'calendar_meetings']) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        expect(rows[0]!.n, table).toBe(0);
      }
      const { rowCount } = await client.query("UPDATE conversations SET status = 'dead'");
      expect(rowCount).toBe(0);
      await expect(
        client.query(
          `INSERT INTO conversations (id, source, idempotency_key, correlation_id, payload, received_at)
           VALUES ('cv_x', 'api', 'k', 'c', '{}', now())`,
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK');
      // Another org's transaction sees none of it either.
      await client.query('BEGIN; SET LOCAL ROLE scribe_app');
      await client.query("SELECT set_config('scribe.org_id', $1, true)", [orgs[1]!.orgId]);
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations');
      expect(rows[0]!.n).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    // The row is there, for its org.
    expect(await countByStatus(orgDatabase(db.database.pool, orgs[0]!.orgId))).toMatchObject({ queued: 1 });
  });

  it('refuses an org id that is not one, before any query', () => {
    expect(() => orgDatabase(db.database.pool, "00D'; DROP TABLE conversations; --")).toThrow(
      /not an 18-character Salesforce org id/,
    );
    expect(() => orgDatabase(db.database.pool, '00D5L0000000001')).toThrow(/18-character/);
  });
});
