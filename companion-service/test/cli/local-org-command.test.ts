import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';

/**
 * `scribe local-org --json`, spawned as a user runs it: the first line of stdout is one JSON object
 * naming the org and a working session per user, and the org keeps running until it is stopped.
 */

const SERVICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface LocalOrgLine {
  instanceUrl: string;
  orgId: string;
  namespace: string;
  users: { username: string; persona: string; accessToken: string }[];
}

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

function firstLine(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, SCRIBE_LOCAL_ORG_STORAGE: 'memory' };
  delete env.SCRIBE_LOCAL_ORG_PORT;
  child = spawn(process.execPath, ['bin/scribe.js', 'local-org', ...args], { cwd: SERVICE, env });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child!.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child!.once('exit', (code) => reject(new Error(`local-org exited (${code}) before printing: ${err}`)));
  });
}

describe('scribe local-org --json', () => {
  it('prints one JSON line with the org and a session per persona, and keeps serving', async () => {
    const line = JSON.parse(await firstLine(['--json'])) as LocalOrgLine;
    expect(line.instanceUrl).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
    expect(line.orgId).toMatch(/^00D[a-zA-Z0-9]{15}$/);
    expect(typeof line.namespace).toBe('string');
    expect(line.users.map((u) => u.persona).sort()).toEqual([
      'admin',
      'cro',
      'integration',
      'manager',
      'rep',
      'rep',
    ]);
    const count = async (persona: string, index = 0) => {
      const user = line.users.filter((u) => u.persona === persona)[index]!;
      const c = new Connection({
        instanceUrl: line.instanceUrl,
        accessToken: user.accessToken,
        version: '62.0',
      });
      return (await c.query('SELECT COUNT() FROM Opportunity')).totalSize;
    };
    // Each session is that user's: the admin sees every deal (5 open, 72 in the closed history), each
    // rep only their own.
    const deals = 77;
    expect(await count('admin')).toBe(deals);
    expect(await count('integration')).toBe(deals);
    expect(await count('manager')).toBe(deals);
    // The CRO's role is on top of the hierarchy: every deal is shared with them.
    expect(await count('cro')).toBe(deals);
    expect((await count('rep', 0)) + (await count('rep', 1))).toBe(deals);
    expect(await count('rep', 0)).toBeLessThan(deals);
    expect(child!.exitCode).toBeNull();
  });

  it('keeps the text form with the Salesforce CLI commands', async () => {
    const line = await firstLine([]);
    expect(line).toMatch(/^The local org is running at http/);
  });
});
