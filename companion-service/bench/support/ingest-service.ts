import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The intake service as ingest.bench.ts runs it (`--service`: the app with its durable Postgres
 * enqueue, the worker off), in a process of its own so the load generator's CPU is not the service's.
 * The Zoom and email benches start it with their channel's settings in `env`.
 */
export async function startIngestService(env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(BENCH_DIR, 'ingest.bench.ts'), '--service'],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /^listening (\S+)$/m.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it listened`)));
  });
  return {
    url,
    async stop() {
      child.stdin.write('stop\n');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
