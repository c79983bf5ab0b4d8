import type { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadQueueConfig } from '../config/queue-config.js';
import { loadTenancyConfig } from '../config/tenancy-config.js';
import { openDatabase } from '../adapters/postgres/database.js';
import { TokenCipher } from '../adapters/secrets/token-cipher.js';
import { loggerOptions } from '../app/logging.js';
import { OrgConnections, type ConnectionView } from '../services/org-connections.js';
import { isOrgId } from '../domain/tenancy/org-connection-rules.js';
import { parseOptions, UsageError } from './options.js';

/**
 * `scribe orgs list | show ORG | disconnect ORG | rotate-key [--json]`: the orgs connected to a
 * multi-org service (SCRIBE_TENANCY=multi), for the publisher's operators. Reads and writes the same
 * Postgres the service does (DATABASE_URL); never prints a token.
 */

export const ORGS_USAGE = `scribe orgs list | show <orgId> | disconnect <orgId> | rotate-key [--json]
                                   the orgs connected to a multi-org service (SCRIBE_TENANCY=multi): their state,
                                   instance, who connected them and when; disconnect revokes the tokens at
                                   Salesforce and erases the org's data after SCRIBE_ORG_ERASURE_GRACE_DAYS;
                                   rotate-key re-encrypts every org's tokens under SCRIBE_ENCRYPTION_KEY`;

const SUBCOMMANDS = ['list', 'show', 'disconnect', 'rotate-key'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function describe(view: ConnectionView): string {
  const lines = [`${view.orgId}  ${view.state}${view.instanceUrl ? `  ${view.instanceUrl}` : ''}`];
  const add = (label: string, value: string | null) => value && lines.push(`  ${label}: ${value}`);
  add('connected by', view.connectedBy);
  add('connected at', view.connectedAt);
  add('refreshed at', view.refreshedAt);
  add('disconnected at', view.disconnectedAt);
  add('erased after', view.eraseAfter);
  add('erased at', view.erasedAt);
  add('last error', view.lastError);
  add('tokens sealed with key', view.tokensKeyId);
  return lines.join('\n');
}

export async function runOrgs(args: string[], out: Writable): Promise<number> {
  const [sub, ...rest] = args;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    throw new UsageError(
      `name what to do: scribe orgs ${SUBCOMMANDS.join(' | ')} (run "scribe orgs --help")`,
    );
  }
  const orgId = sub === 'show' || sub === 'disconnect' ? rest.shift() : undefined;
  if ((sub === 'show' || sub === 'disconnect') && (!orgId || !isOrgId(orgId))) {
    throw new UsageError(`scribe orgs ${sub} needs an 18-character org id such as 00D5g000004Xyz1EAC`);
  }
  const opts = parseOptions(rest, { json: { type: 'boolean' } });
  const tenancy = loadTenancyConfig(process.env);
  if (tenancy.mode !== 'multi') {
    throw new UsageError(
      'SCRIBE_TENANCY is single: this service serves the one org SF_* names and connects no others (set SCRIBE_TENANCY=multi)',
    );
  }
  const queue = loadQueueConfig(process.env);
  const logger = pino(loggerOptions('warn'), process.stderr) as unknown as FastifyBaseLogger;
  const database = await openDatabase(
    { databaseUrl: queue.databaseUrl, postgresDir: queue.postgresDir, poolSize: 2 },
    logger,
  );
  const connections = new OrgConnections({
    pool: database.pool,
    cipher: new TokenCipher(tenancy.keys.current, tenancy.keys.previous),
    oauth: tenancy.oauth,
    stateTtlMs: tenancy.stateTtlMs,
    erasureGraceMs: tenancy.erasureGraceMs,
    logger,
  });
  const print = (json: unknown, text: string) =>
    out.write(opts.json ? JSON.stringify(json, null, 2) + '\n' : text + '\n');
  try {
    switch (sub as Subcommand) {
      case 'list': {
        const views = await connections.list();
        print(
          { orgs: views },
          views.length === 0
            ? `no org has connected to ${database.description}`
            : views.map(describe).join('\n'),
        );
        return 0;
      }
      case 'show': {
        const view = await connections.status(orgId!);
        print(view, describe(view));
        return 0;
      }
      case 'disconnect': {
        const { view, revoked, note } = await connections.disconnect(orgId!);
        print(
          { ...view, revoked, note },
          [
            describe(view),
            revoked ? 'The tokens were revoked at Salesforce.' : (note ?? 'Nothing was left to revoke.'),
            view.eraseAfter ? `The org's data is erased after ${view.eraseAfter}.` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return 0;
      }
      case 'rotate-key': {
        const result = await connections.rotateKey();
        print(
          result,
          [
            `Re-encrypted under the current key: ${result.reencrypted.length}; already under it: ${result.current.length}; refused: ${result.failed.length}`,
            ...result.failed.map((f) => `  ${f.orgId}: ${f.reason}`),
            result.failed.length === 0
              ? 'No token is left under an old key: the old keys can leave SCRIBE_ENCRYPTION_KEYS_PREVIOUS.'
              : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return result.failed.length > 0 ? 1 : 0;
      }
    }
  } finally {
    await database.close();
  }
}
