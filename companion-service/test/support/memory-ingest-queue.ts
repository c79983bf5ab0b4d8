import {
  IdempotencyConflictError,
  type EnqueueResult,
  type IngestJob,
  type IngestQueue,
} from '../../src/domain/source/ingest-queue.js';
import { conversationKey } from '../../src/domain/source/conversation-key.js';

/**
 * The ingest contract in memory, for route tests: one job per (source, idempotency key), the second
 * call says duplicate, or is a conflict when a caller's key comes with another request's fingerprint.
 * `failWith` makes enqueue reject, as a database that is down would.
 */
export class MemoryIngestQueue implements IngestQueue {
  readonly jobs: IngestJob[] = [];
  failWith: Error | null = null;
  private readonly ids = new Map<string, { id: string; requestHash?: string }>();

  async enqueue(job: IngestJob): Promise<EnqueueResult> {
    if (this.failWith) throw this.failWith;
    const key = `${job.source}:${job.idempotencyKey}`;
    const existing = this.ids.get(key);
    if (existing) {
      if (job.requestHash && existing.requestHash && job.requestHash !== existing.requestHash) {
        throw new IdempotencyConflictError(job.idempotencyKey, existing.id);
      }
      return { conversationId: existing.id, duplicate: true };
    }
    const conversationId = conversationKey(key);
    this.ids.set(key, { id: conversationId, requestHash: job.requestHash });
    this.jobs.push(structuredClone(job));
    return { conversationId, duplicate: false };
  }
}
