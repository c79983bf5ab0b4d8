import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A start that fails must end the process: `scribe serve` that could not reach its Postgres used to
 * print the reason and stay alive, serving nothing, so a process manager never restarted it.
 */
const SERVICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a failed start', () => {
  it('exits non-zero within seconds, naming the cause', async () => {
    const port = await closedPort();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SF_ORG: 'local',
      SCRIBE_LOCAL_ORG_STORAGE: 'memory',
      SCRIBE_PORT: '0',
      DATABASE_URL: `postgres://scribe@127.0.0.1:${port}/scribe`,
    };
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/scribe.js', 'serve'], { cwd: SERVICE, env });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(killer);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot use the Postgres at 127\.0\.0\.1:\d+\/scribe .*check DATABASE_URL/);
    expect(Date.now() - started).toBeLessThan(50_000);
  }, 60_000);
});
