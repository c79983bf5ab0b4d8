import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startServer } from '../../src/app/server.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { startTestOrg, type TestOrg } from '../support/local-org.js';

/**
 * A real org served without a key only on purpose: SCRIBE_API_OPEN=true starts the service, and
 * every start says in the log that anyone who reaches it can write to the org.
 */

let db: TestDatabase;
let t: TestOrg;

beforeAll(async () => {
  db = await startTestDatabase();
  t = await startTestOrg();
}, 60_000);

afterAll(async () => {
  await t?.org.close();
  await db?.stop();
});

const options = () => ({
  host: '127.0.0.1',
  port: 0,
  logLevel: 'warn',
  salesforce: t.config,
  extractor: new EmbeddedExtractor(),
  apiKey: null,
  queue: db.settings(),
  database: db.database,
  worker: false,
  pubsub: null,
  voiceMemos: { transcriber: null, maxBytes: 1024 },
});

it('serves a real org without a key only with SCRIBE_API_OPEN=true, warning at every start', async () => {
  await expect(startServer(options())).rejects.toThrow(/^SCRIBE_API_KEY is not set/);

  let logged = '';
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((logged += String(chunk)), true));
  try {
    for (let start = 0; start < 2; start++) {
      const { server, url } = await startServer({ ...options(), apiOpen: true });
      try {
        // Reached without a key: the route answers (an id it does not know), not 401.
        const response = await fetch(`${url}/v1/conversations/unknown`);
        expect(response.status).not.toBe(401);
        expect(response.status).toBeLessThan(500);
      } finally {
        await server.close();
      }
    }
  } finally {
    stderr.mockRestore();
  }
  const warnings = logged
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.msg.startsWith('SCRIBE_API_OPEN=true'));
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toMatchObject({ level: 40 });
  expect(warnings[0]!.msg).toContain('anyone who reaches it can write to the org');
}, 60_000);
