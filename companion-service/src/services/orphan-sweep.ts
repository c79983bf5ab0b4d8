import type PgBoss from 'pg-boss';
import type pg from 'pg';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { sweepOrphanedJobs } from '../adapters/postgres/conversation-lock.js';

/**
 * Puts the conversations of a worker that died back in the queue: every process that shares the
 * queue (web and workers alike, so recovery needs no particular process alive) runs one cheap sweep
 * every half of SCRIBE_ORPHAN_SECONDS. A killed worker's conversation is then fetched again within
 * about 1.5 × SCRIBE_ORPHAN_SECONDS plus pg-boss's first retry delay (2-4 s) and a poll.
 */
export class OrphanSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: { pool: pg.Pool; boss: PgBoss; logger: Logger; orphanSeconds: number },
  ) {}

  start(): void {
    if (this.timer) return;
    const everyMs = (this.deps.orphanSeconds * 1000) / 2;
    this.timer = setInterval(() => {
      // A sweep still running (a slow database) is not overtaken by the next one.
      this.running ??= this.sweep().finally(() => (this.running = null));
    }, everyMs);
    this.timer.unref();
  }

  /** Stops sweeping; waits for a sweep under way, so the pool is not closed beneath it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async sweep(): Promise<void> {
    const { pool, boss, logger, orphanSeconds } = this.deps;
    try {
      const taken = await sweepOrphanedJobs(pool, boss, orphanSeconds);
      if (taken.length > 0) {
        logger.warn(
          { conversationIds: taken },
          `${taken.length} conversation(s) in the hands of a worker that is gone were queued again`,
        );
      }
    } catch (error) {
      logger.error({ err: error }, 'could not look for conversations whose worker is gone; trying again');
    }
  }
}
