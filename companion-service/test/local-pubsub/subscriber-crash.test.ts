import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startLocalPubSub, type LocalPubSub } from '@pipeline-scribe/local-salesforce/pubsub';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

/**
 * The subscriber killed with SIGKILL at random moments while events keep coming, restarted each
 * time: afterwards every event has been handed on, from the replay id it stored in Postgres.
 */

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'subscriber-process.ts');
const EVENTS = 120;
const KILLS = 3;

let db: TestDatabase;
let org: LocalOrg;
let bus: LocalPubSub;
let child: ChildProcess | null = null;

beforeAll(async () => {
  db = await startTestDatabase();
  await db.database.pool.query(
    'CREATE TABLE crash_test_jobs (idempotency_key text PRIMARY KEY, handoffs integer NOT NULL DEFAULT 1)',
  );
  // Crash recovery is under test here: the package installed without a namespace prefix.
  org = await startLocalOrg({ dataPlan: null, namespace: '' });
  bus = await startLocalPubSub({ org, keepaliveMs: 200 });
}, 60_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await bus?.close();
  await org?.close();
  await db?.stop();
});

function startChild(): Promise<ChildProcess> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: path.resolve(path.dirname(CHILD), '../../..'),
    env: {
      ...process.env,
      DATABASE_URL: db.database.connectionString,
      PUBSUB_ENDPOINT: bus.endpoint,
      PUBSUB_TOKEN: org.issueAccessToken(),
      PUBSUB_INSTANCE_URL: bus.instanceUrl,
      PUBSUB_ORG_ID: org.orgId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let errors = '';
    process_.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    process_.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(process_);
    });
    process_.once('exit', (code) => reject(new Error(`the subscriber exited (${code}): ${errors}`)));
  });
}

async function publish(i: number): Promise<void> {
  const response = await fetch(`${org.url}/services/data/v62.0/sobjects/Conversation_Captured__e`, {
    method: 'POST',
    // Publishing the package's events takes Create on them, which the admin has (the integration
    // user only subscribes).
    headers: {
      authorization: `Bearer ${org.issueAccessToken(ADMIN_USERNAME)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ Conversation_Id__c: `a0${String(i).padStart(13, '0')}AAA` }),
  });
  if (response.status !== 201) throw new Error(`publish ${i}: ${response.status}`);
}

const handedOn = async () =>
  (
    await db.database.pool.query<{ jobs: number; handoffs: number }>(
      'SELECT count(*)::int AS jobs, coalesce(sum(handoffs), 0)::int AS handoffs FROM crash_test_jobs',
    )
  ).rows[0]!;

describe('a subscriber killed mid-stream', () => {
  it('loses no event across SIGKILLs and restarts', async () => {
    child = await startChild();
    const publishing = (async () => {
      for (let i = 0; i < EVENTS; i++) {
        await publish(i);
        await new Promise((r) => setTimeout(r, 8));
      }
    })();
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = await startChild();
    }
    await publishing;
    const started = Date.now();
    while ((await handedOn()).jobs < EVENTS && Date.now() - started < 20_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const { jobs, handoffs } = await handedOn();
    expect(jobs).toBe(EVENTS);
    // A kill between a hand-off and storing its replay id repeats that hand-off (at least once);
    // the queue's idempotency key makes it one job. Print how many, for the report.
    console.log(`crash test: ${EVENTS} events, ${KILLS} SIGKILLs, ${handoffs - jobs} repeated hand-offs`);
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = null;
  }, 90_000);
});
