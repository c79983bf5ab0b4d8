import fp from 'fastify-plugin';
import { runHourly } from './hourly-sweep.js';
import { purgeExpired } from '../../services/erasure.js';

/**
 * The retention sweep in a service that works conversations: a minute after start, then hourly,
 * finished conversations older than SCRIBE_RETENTION_DAYS are purged with their dead letters and
 * jobs, and so are calendar invitations whose meeting ended before then and whose Event is written
 * (`scribe erase --expired` runs the same sweep on demand). Hourly keeps a conversation at
 * most an hour past its retention; sweeps never overlap, and closing waits for the one under way.
 */

export interface RetentionOptions {
  retentionDays: number;
  /** The clock; tests move it. */
  now?: () => Date;
}

export default fp<RetentionOptions>(
  async (app, options) => {
    const now = options.now ?? (() => new Date());
    const log = app.log.child({ job: 'retention' });
    const sweep = async () => {
      try {
        const run = await purgeExpired(app.conversations.org, options.retentionDays, now());
        log.info({ cutoff: run.cutoff, purged: run.purged }, 'retention sweep done');
      } catch (error) {
        log.error({ err: error }, 'the retention sweep failed; it runs again within the hour');
      }
    };
    runHourly(app, sweep);
  },
  { name: 'retention', fastify: '5.x', dependencies: ['conversations'] },
);
