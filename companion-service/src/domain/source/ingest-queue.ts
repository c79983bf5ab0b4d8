/**
 * What every way in (POST /v1/conversations, Gong webhooks, voice memos, Platform Events) hands work
 * to. `enqueue` resolves only once the job is durably stored, so an endpoint may ack (202) after it;
 * the same idempotency key twice is one job, and the second call says `duplicate: true`. A key the
 * caller chose comes with its request's fingerprint, as Stripe keeps one: the same key with another
 * request is refused (`IdempotencyConflictError`) while the key is kept, for IDEMPOTENCY_KEY_HOURS;
 * after that the key is free and names a new conversation.
 */

/** How long a caller's Idempotency-Key stays bound to its first request. */
export const IDEMPOTENCY_KEY_HOURS = 24;

export const INGEST_SOURCES = [
  'api',
  'gong',
  'voice-memo',
  'platform-event',
  'zoom',
  'teams',
  'recording',
] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

export interface IngestJob {
  source: IngestSource;
  /** Stable per real-world item: the Gong call id, the event's replay id or UUID, a client key. */
  idempotencyKey: string;
  /**
   * The request's fingerprint (`requestFingerprint`) when the caller chose the key: then the same key
   * with another fingerprint is a conflict, not a duplicate. Unset for keys the service derives
   * (a Gong call id, an event id, a source id), which name the item itself.
   */
  requestHash?: string;
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

/** The caller's key was already used, within the hours it is kept, for a different request. */
export class IdempotencyConflictError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly conversationId: string,
  ) {
    super(
      `Idempotency-Key "${idempotencyKey}" was already used for a different request (conversation ${conversationId}); send a new key for a new request, or the first request unchanged to read its result`,
    );
    this.name = 'IdempotencyConflictError';
  }
}

/** The queue holds as many conversations as it may: send this one again after `retryAfterSeconds` (429). */
export class QueueFullError extends EnqueueError {
  constructor(
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the queue is full (${waiting} conversations waiting, the limit set by SCRIBE_QUEUE_MAX_WAITING); nothing was kept: send it again in ${retryAfterSeconds} seconds`,
      true,
    );
    this.name = 'QueueFullError';
  }
}

/**
 * More conversations are on their way into the database than the service holds in memory: nothing
 * of this one was kept; send it again after `retryAfterSeconds` (503).
 */
export class IntakeBusyError extends EnqueueError {
  constructor(
    readonly pending: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the service is storing ${pending} conversations already, as many as it holds at once; nothing was kept: send it again in ${retryAfterSeconds} seconds`,
      true,
    );
    this.name = 'IntakeBusyError';
  }
}

/** The largest conversation accepted and what to say beyond it (413 on a route, dead in the worker). */
export function conversationTooLarge(text: string, maxBytes: number): string | null {
  // Cheap first: no UTF-8 character takes more than four bytes.
  if (text.length * 4 <= maxBytes) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return null;
  return `the conversation is ${bytes} bytes of text, over the limit of ${maxBytes} bytes (SCRIBE_MAX_CONVERSATION_BYTES): split it, or raise the setting`;
}
