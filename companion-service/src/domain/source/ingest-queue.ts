/**
 * What every way in (POST /v1/conversations, Gong webhooks, voice memos, Platform Events) hands work
 * to. `enqueue` resolves only once the job is durably stored, so an endpoint may ack (202) after it;
 * the same idempotency key twice is one job, and the second call says `duplicate: true`.
 */

export type IngestSource = 'api' | 'gong' | 'voice-memo' | 'platform-event';

export interface IngestJob {
  source: IngestSource;
  /** Stable per real-world item: the Gong call id, the event's replay id or UUID, a client key. */
  idempotencyKey: string;
  /** Carried into every log line about this conversation. */
  correlationId: string;
  /** What the worker needs to process it; validated by the route before it gets here. */
  payload: unknown;
  receivedAt: string;
}

export interface EnqueueResult {
  /** The id GET /v1/conversations/:id answers for. */
  conversationId: string;
  duplicate: boolean;
}

export interface IngestQueue {
  enqueue(job: IngestJob): Promise<EnqueueResult>;
}

/**
 * The queue could not store a conversation; nothing of it was kept. `retryable` when the database
 * failed (send it again later: 503), not when it refused this payload itself (422).
 */
export class EnqueueError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnqueueError';
  }
}
