import type { FastifyBaseLogger as Logger } from 'fastify';
import type { RescoreRequest, RescoreRequests } from '../domain/writeback/platform-events-records.js';
import type { ConversationResult } from '../domain/conversation-result.js';
import type { PipelineRescorer } from './pipeline-scan-schedule.js';

/**
 * Incremental re-scoring: deals whose stage, amount or close date changed (Opportunity_Changed__e)
 * and deals a conversation was just written to are kept as durable requests, and drained here in
 * batches into the pipeline scanner. A request is closed only after its re-score ran, so a crash
 * between the two re-scores the deal again rather than forgetting it.
 */

const BATCH = 200;

/** The request a processed conversation leaves for its deal; none when no deal was matched. */
export function rescoreAfterConversation(result: ConversationResult, now: Date): RescoreRequest | null {
  const deal = result.match.opportunity;
  if (result.status !== 'processed' || !deal) return null;
  return {
    opportunityId: deal.id,
    changedFields: ['Conversation'],
    isNew: false,
    eventId: `conversation:${result.id}`,
    requestedAt: now.toISOString(),
  };
}

export class RescoreDrain {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly requests: RescoreRequests,
    private readonly rescorer: PipelineRescorer,
    private readonly logger: Logger,
    private readonly intervalMs = 15_000,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.drain().finally(() => {
          if (!this.stopped) tick();
        });
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Re-scores what is waiting, a batch at a time; returns how many deals were re-scored. */
  drain(): Promise<number> {
    this.running ??= this.drainAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drainAll(): Promise<number> {
    let done = 0;
    try {
      for (;;) {
        const pending = await this.requests.pending(BATCH);
        if (pending.length === 0 || this.stopped) return done;
        const ids = pending.map((r) => r.opportunityId);
        const upTo = pending.reduce((max, r) => (r.requestedAt > max ? r.requestedAt : max), '');
        const report = await this.rescorer.rescoreOpportunities(ids);
        await this.requests.markDone(ids, upTo);
        done += ids.length;
        this.logger.info(
          { deals: ids.length, changed: report.changed.opportunities, apiCalls: report.apiCalls.total },
          're-scored deals that changed',
        );
        if (pending.length < BATCH) return done;
      }
    } catch (error) {
      // The requests stay open; the next tick tries again.
      this.logger.warn({ err: error }, 're-scoring failed; the requests stay open');
      return done;
    }
  }
}
