import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalOrg } from '@pipeline-scribe/local-salesforce/org';
import { EventLog } from '@pipeline-scribe/local-salesforce/pubsub/event-log';

/**
 * The local org's files hold what customers said (conversations, contacts' emails, platform event
 * payloads): only their owner may read them, whatever the umask, and a file left readable by an
 * older version is closed too.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-modes-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('files with customers’ data', () => {
  it('writes local-org.json 0600, and narrows one that was world-readable', async () => {
    const dataFile = path.join(dir, 'local-org.json');
    const org = await startLocalOrg({ dataFile });
    await org.close();
    expect(await modeOf(dataFile)).toBe(0o600);

    await chmod(dataFile, 0o644);
    const again = await startLocalOrg({ dataFile });
    expect(await modeOf(dataFile)).toBe(0o600);
    await again.close();
  });

  it('keeps the platform event log 0600, and narrows one that was world-readable', async () => {
    const eventFile = path.join(dir, 'events.jsonl');
    const log = new EventLog({ file: eventFile });
    log.append({ topicName: '/event/Test__e', id: 'e1', schemaId: 's1', payload: Buffer.from('x') });
    expect(await modeOf(eventFile)).toBe(0o600);

    const older = path.join(dir, 'older.jsonl');
    await writeFile(older, '');
    await chmod(older, 0o644);
    expect(new EventLog({ file: older }).latest('/event/Test__e')).toBe(0n);
    expect(await modeOf(older)).toBe(0o600);
  });
});
