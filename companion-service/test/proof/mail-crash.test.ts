import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { byExternalId, duplicates, startProofOrg, waitUntilSettled, workerEnv } from './crash-support.js';
import { email, invitation } from '../support/mail.js';

/**
 * Nothing accepted is lost: emails and invitations are posted to a `scribe serve` process that is
 * killed with SIGKILL while they arrive and started again, the sender retrying what was not
 * acknowledged (as a mail server or any HTTP client does). Afterwards, read from the local org:
 * every acknowledged email is one Conversation__c and one completed email Task, every acknowledged
 * meeting one Event, none twice.
 */

const EMAILS = Number(process.env.PROOF_EMAILS ?? 40);
const MEETINGS = Number(process.env.PROOF_MEETINGS ?? 12);
const KILLS = 3;
const API_KEY = 'proof-api-key-0123456789abcdef';
const SCRIBE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/scribe.js');

let db: TestDatabase;
let org: LocalOrg;
let env: Record<string, string>;
let serve: ChildProcess | null = null;
let kills = 0;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServe(): Promise<void> {
  const child = spawn(process.execPath, [SCRIBE, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (process.env.PROOF_VERBOSE) process.stderr.write(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Pipeline Scribe is running')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`scribe serve exited (${code ?? signal})`)));
  });
  serve = child;
}

async function kill(): Promise<void> {
  const child = serve;
  serve = null;
  if (!child || child.exitCode !== null) return;
  kills += 1;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  db = await startTestDatabase();
  org = await startProofOrg();
  env = await workerEnv(org, db, {
    SCRIBE_PORT: String(await freePort()),
    SCRIBE_HOST: '127.0.0.1',
    SCRIBE_API_KEY: API_KEY,
  });
}, 60_000);

afterAll(async () => {
  await kill();
  await org?.close();
  await db?.stop();
});

/** One item, sent until the service acknowledges it; false while the service is down. */
async function send(item: { path: string; type: string; body: string }): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${env.SCRIBE_PORT}${item.path}`, {
      method: 'POST',
      headers: { 'content-type': item.type, authorization: `Bearer ${API_KEY}` },
      body: item.body,
    });
    if (response.status >= 500) return false;
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return true;
  } catch {
    return false;
  }
}

describe('email and calendar intake under SIGKILL', () => {
  it('logs every acknowledged email and meeting exactly once', async () => {
    const items = [
      ...Array.from({ length: EMAILS }, (_, i) => ({
        path: '/v1/emails',
        type: 'message/rfc822',
        body: email({ messageId: `proof-${i}@pipeline-scribe.local`, subject: `Fabrikam follow-up ${i}` }),
      })),
      ...Array.from({ length: MEETINGS }, (_, i) => ({
        path: '/v1/calendar',
        type: 'text/calendar',
        body: invitation({ uid: `proof-meeting-${i}`, summary: `Fabrikam review ${i}` }),
      })),
    ].sort((a, b) => (a.body.length % 7) - (b.body.length % 7));
    await startServe();
    const pending = new Set(items.keys());
    const killAt = new Set(
      Array.from({ length: KILLS }, (_, k) => Math.round(((k + 1) * items.length) / (KILLS + 1))),
    );
    let acked = 0;
    while (pending.size > 0) {
      // Eight at a time, so a kill lands while requests are in flight.
      const batch = [...pending].slice(0, 8);
      const results = await Promise.all(
        batch.map(async (i) => {
          if (killAt.has(i) && serve) {
            killAt.delete(i);
            setTimeout(() => void kill(), 5);
          }
          return [i, await send(items[i]!)] as const;
        }),
      );
      for (const [i, ok] of results) {
        if (ok) {
          pending.delete(i);
          acked += 1;
        }
      }
      if (!serve) await startServe();
    }
    expect(acked).toBe(items.length);
    expect(kills, 'the service was killed while items arrived').toBe(KILLS);

    await waitUntilSettled(db, EMAILS, 600_000);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.database.pool.query<{ due: number }>(
        'SELECT count(*) FILTER (WHERE sync_due)::int AS due FROM calendar_meetings',
      );
      if (rows[0]!.due === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.due} meetings still have no Event`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await kill();

    const emailIds = [...byExternalId(org, 'Conversation__c', 'Source_Id__c')].filter(([id]) =>
      id.startsWith('email:'),
    );
    expect(emailIds).toHaveLength(EMAILS);
    expect(duplicates(new Map(emailIds))).toEqual([]);
    expect(org.store.all('Task').filter((t) => t.TaskSubtype === 'Email')).toHaveLength(EMAILS);
    const events = org.store
      .all('Event')
      .filter((e) => String(e.Subject).startsWith('Meeting: Fabrikam review'));
    expect(new Set(events.map((e) => e.Subject)).size).toBe(MEETINGS);
    expect(events).toHaveLength(MEETINGS);
  }, 900_000);
});
