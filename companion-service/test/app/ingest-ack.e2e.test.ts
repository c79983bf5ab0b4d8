import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { buildIngestApp } from '../support/ingest-app.js';
import type { GongConfig } from '../../src/config/gong-config.js';

/**
 * The ack means stored: a webhook's 202 comes only once its row is committed and another connection
 * can read it. The commit is held open from a second connection (a deferred trigger that waits for
 * an advisory lock the test holds), so an ack sent any earlier, after the INSERT but before COMMIT
 * has returned, is caught while the row is still invisible.
 */

const URL_KEY = 'ack-test-url-key-0123456789abcdef';
const GATE = 4217;
const CALL_ID = '7700000000000000001';

const gongConfig: GongConfig = {
  webhook: { publicKey: null, webhookUrl: null, urlKey: URL_KEY },
  api: { baseUrl: 'http://127.0.0.1:9', auth: null, requestsPerSecond: 3, timeoutMs: 5000, maxRetries: 0 },
};

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;
/** The second connection: holds the gate, and reads what the service's connections wrote. */
let reader: pg.Client;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
  app = await buildIngestApp(t.config, { db, gong: gongConfig, worker: false });
  reader = new pg.Client({ connectionString: db.database.connectionString });
  await reader.connect();
}, 60_000);

afterAll(async () => {
  await reader?.end();
  await app?.close();
  await t?.org.close();
  await db?.stop();
});

const rowsOf = async (callId: string) =>
  Number(
    (
      await reader.query<{ n: string }>(
        `SELECT count(*) AS n FROM conversations WHERE source = 'gong' AND idempotency_key = $1`,
        [`gong:${callId}`],
      )
    ).rows[0]!.n,
  );

async function waitingAtTheGate(): Promise<boolean> {
  const { rows } = await reader.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
    [GATE],
  );
  return Number(rows[0]!.n) > 0;
}

describe('a Gong webhook ack', () => {
  it('is sent only after the row is committed and readable from another connection', async () => {
    const pool = db.database.pool;
    // Deferred: it runs inside COMMIT, after the INSERT and the job have been written.
    await pool.query(`CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${GATE}); RETURN NULL; END $$`);
    await pool.query(`CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON conversations
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit()`);
    try {
      await reader.query('SELECT pg_advisory_lock($1)', [GATE]);
      let acked = false;
      const response = app
        .inject({
          method: 'POST',
          url: `/webhooks/gong?key=${URL_KEY}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ callData: { metaData: { id: CALL_ID } }, isTest: false }),
        })
        .then((answer) => {
          acked = true;
          return answer;
        });

      for (let i = 0; i < 200 && !(await waitingAtTheGate()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await waitingAtTheGate(), 'the ingest transaction reached its commit').toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(acked, 'no ack while the commit is held').toBe(false);
      expect(await rowsOf(CALL_ID)).toBe(0);

      await reader.query('SELECT pg_advisory_unlock($1)', [GATE]);
      const answer = await response;
      // Read the moment the ack arrives, on the other connection.
      expect(await rowsOf(CALL_ID)).toBe(1);
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toMatchObject({ status: 'queued', callId: CALL_ID });
    } finally {
      await pool.query('DROP TRIGGER wait_at_commit ON conversations');
      await pool.query('DROP FUNCTION wait_at_commit()');
    }
  });
});
