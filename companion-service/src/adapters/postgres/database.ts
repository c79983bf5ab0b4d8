import pg from 'pg';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { startEmbeddedPostgres, type EmbeddedCluster } from './embedded-postgres.js';
import { migrate } from './migrate.js';

/**
 * The service's Postgres: the server DATABASE_URL names, or the embedded one in the data folder.
 * Opening it applies the migrations, so every process sees the schema it was built for.
 */

export interface Database {
  pool: pg.Pool;
  /** For child processes that share it; holds the password, so it is never logged. */
  connectionString: string;
  /** Where it is, for people (no password). */
  description: string;
  /** True when this process started the embedded cluster. */
  embedded: boolean;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  databaseUrl: string | null;
  postgresDir: string;
  /** Connections this process may hold at once. */
  poolSize?: number;
}

/** Postgres' own password error names no setting; this one does. */
/** SQLSTATE 57P01: the server ended the connection (shutdown, or pg_terminate_backend). */
const ADMIN_SHUTDOWN = '57P01';

function explain(error: unknown, where: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `cannot use the Postgres at ${where} (${message}): check DATABASE_URL, or unset it to run the embedded Postgres`,
  );
}

export async function openDatabase(settings: DatabaseSettings, logger: Logger): Promise<Database> {
  let cluster: EmbeddedCluster | null = null;
  let connectionString = settings.databaseUrl;
  if (!connectionString) {
    cluster = await startEmbeddedPostgres(settings.postgresDir, logger);
    connectionString = cluster.url;
  }
  const parsed = new URL(connectionString);
  const description = cluster
    ? `embedded Postgres in ${settings.postgresDir}`
    : `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  const pool = new pg.Pool({ connectionString, max: settings.poolSize ?? 10, application_name: 'scribe' });
  let closing = false;
  // An idle connection that drops (a restart of the server) must not take the process down. pg hangs
  // the whole client (connection parameters included) on the error, so only its code and message are
  // logged; and a connection the server ends because we are shutting down is no news.
  pool.on('error', (error: Error & { code?: string }) => {
    if (closing && error.code === ADMIN_SHUTDOWN) return;
    logger.warn({ err: { message: error.message, code: error.code } }, 'an idle Postgres connection failed');
  });
  const close = async () => {
    closing = true;
    await pool.end().catch(() => undefined);
    if (cluster?.startedHere) await cluster.stop();
  };
  try {
    await migrate(pool, logger);
  } catch (error) {
    await close();
    throw explain(error, description);
  }
  return { pool, connectionString, description, embedded: cluster?.startedHere ?? false, close };
}
