import type { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadQueueConfig } from '../config/queue-config.js';
import { loadServiceConfig } from '../config/service-config.js';
import { loadSalesforceConfig } from '../config/salesforce-config.js';
import { openDatabase } from '../adapters/postgres/database.js';
import { orgDatabase, singleOrgOf } from '../adapters/postgres/org-scope.js';
import type { StoreCounts } from '../adapters/postgres/erasure-store.js';
import { connectConfiguredOrg, localDataFile } from '../app/embedded-org.js';
import { loggerOptions } from '../app/logging.js';
import type { OrgConnection } from '../services/org-connection.js';
import { erase, purgeExpired, type ErasureSummary, type ErasureTarget } from '../services/erasure.js';
import { parseOptions, UsageError } from './options.js';

/**
 * `scribe erase --conversation ID | --email ADDRESS [--in-org] [--json]`: every copy the service
 * holds of one conversation, or of every conversation that names a person's address, and with
 * --in-org their records in Salesforce. `scribe erase --expired` runs the retention sweep now.
 */

const USAGE =
  'name what to erase: --conversation cv_..., --email someone@example.com, or --expired (the retention sweep)';

const STORE_LABELS: Record<keyof StoreCounts, string> = {
  conversations: 'conversations',
  deadLetters: 'dead letters',
  jobs: 'queue jobs',
  archivedJobs: 'archived queue jobs',
  suggestionDecisions: "reps' decisions",
  pubsubDeadLetters: 'unusable Platform Events',
  calendarMeetings: 'calendar invitations',
};

const describeCounts = (counts: StoreCounts) =>
  (Object.keys(STORE_LABELS) as (keyof StoreCounts)[])
    .map((key) => `${STORE_LABELS[key]} ${counts[key]}`)
    .join(', ');

function describeErasure(summary: ErasureSummary, where: string, org: string | null): string {
  const n = summary.conversations.length;
  const lines = [
    `Erased ${n} conversation${n === 1 ? '' : 's'} from ${where}: ${describeCounts(summary.service)}`,
  ];
  for (const id of summary.conversations) lines.push(`  ${id}`);
  for (const id of summary.busy)
    lines.push(`${id} is being processed right now and was left: run the same command again in a minute`);
  if (summary.org && org) {
    const d = summary.org.deleted;
    lines.push(
      `Deleted in ${org}: ${d.conversations} Conversation__c, ${d.suggestions} Suggestion__c, ${d.provenance} Field_Provenance__c, ${d.activities} Task/Event`,
    );
    for (const r of summary.org.refused)
      lines.push(`  refused: ${r.object} ${r.id}: ${r.code}: ${r.message} (an admin deletes it)`);
  }
  return lines.join('\n') + '\n';
}

export async function runErase(args: string[], out: Writable): Promise<number> {
  const opts = parseOptions(args, {
    conversation: { type: 'string' },
    email: { type: 'string' },
    expired: { type: 'boolean' },
    'in-org': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const chosen = [opts.conversation !== undefined, opts.email !== undefined, opts.expired === true];
  if (chosen.filter(Boolean).length !== 1) throw new UsageError(USAGE);
  if (opts.conversation !== undefined && !/^cv_[A-Za-z0-9_-]{22}$/.test(opts.conversation))
    throw new UsageError(
      `--conversation "${opts.conversation}" is not a conversation id; they look like cv_4sQ0...`,
    );
  if (opts.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opts.email.trim()))
    throw new UsageError('--email needs an address such as someone@example.com');
  if (opts.expired && opts['in-org'])
    throw new UsageError(
      '--in-org goes with --conversation or --email; the retention sweep keeps what Salesforce holds',
    );

  const queue = loadQueueConfig(process.env);
  const logger = pino(loggerOptions('warn'), process.stderr) as unknown as FastifyBaseLogger;
  const database = await openDatabase(
    { databaseUrl: queue.databaseUrl, postgresDir: queue.postgresDir, poolSize: 2 },
    logger,
  );
  let connection: OrgConnection | null = null;
  try {
    // The org the database serves in single-org mode (the one the service last started for).
    const org = orgDatabase(database.pool, await singleOrgOf(database.pool));
    if (opts.expired) {
      const run = await purgeExpired(org, queue.retentionDays, new Date());
      out.write(
        opts.json
          ? JSON.stringify({ retentionDays: queue.retentionDays, ...run }, null, 2) + '\n'
          : `Purged what finished before ${run.cutoff} (SCRIBE_RETENTION_DAYS=${queue.retentionDays}) from ${database.description}: ${describeCounts(run.purged)}\n`,
      );
      return 0;
    }
    if (opts['in-org']) {
      const service = loadServiceConfig(process.env);
      connection = await connectConfiguredOrg(loadSalesforceConfig(process.env), logger, {
        dataFile: service.localOrgStorage === 'file' ? localDataFile(service.dataDir) : undefined,
        port: service.localOrgPort,
        faults: service.localOrgFaults,
      });
    }
    const target: ErasureTarget =
      opts.email !== undefined ? { email: opts.email } : { conversationId: opts.conversation! };
    const summary = await erase({ db: org, org: connection?.api ?? null }, target);
    out.write(
      opts.json
        ? JSON.stringify(summary, null, 2) + '\n'
        : describeErasure(summary, database.description, connection?.description ?? null),
    );
    const missing =
      'conversationId' in target && summary.conversations.length === 0 && summary.busy.length === 0;
    if (missing && !opts.json)
      out.write(`no conversation ${target.conversationId} in ${database.description}\n`);
    return summary.busy.length > 0 || (summary.org?.refused.length ?? 0) > 0 || missing ? 1 : 0;
  } finally {
    await connection?.close();
    await database.close();
  }
}
