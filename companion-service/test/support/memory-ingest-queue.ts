import type { EnqueueResult, IngestJob, IngestQueue } from '../../src/domain/source/ingest-queue.js';
import { conversationKey } from '../../src/domain/source/conversation-key.js';

/**
 * The ingest contract in memory, for route tests: one job per (source, idempotency key), the second
 * call says duplicate. `failWith` makes enqueue reject, as a database that is down would.
 */
export class MemoryIngestQueue implements IngestQueue {
  readonly jobs: IngestJob[] = [];
  failWith: Error | null = null;
  private readonly ids = new Map<string, string>();

  async enqueue(job: IngestJob): Promise<EnqueueResult> {
    if (this.failWith) throw this.failWith;
    const key = `${job.source}:${job.idempotencyKey}`;
    const existing = this.ids.get(key);
    if (existing) return { conversationId: existing, duplicate: true };
    const conversationId = conversationKey(key);
    this.ids.set(key, conversationId);
    this.jobs.push(structuredClone(job));
    return { conversationId, duplicate: false };
  }
}
