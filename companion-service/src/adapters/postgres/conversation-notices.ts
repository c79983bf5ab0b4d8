import pg from 'pg';
import type { FastifyBaseLogger as Logger } from 'fastify';

/**
 * What the database says of conversations as it happens, heard on one connection that LISTENs (the
 * triggers of migration 004 send it): conversations were queued, so a worker looks now instead of at
 * its next poll; a conversation finished, so a request waiting for it answers now. Notices are a way
 * to be quicker, never the only way: a lost connection is opened again, and while it is down every
 * worker still polls and every wait still ends at its time. On reconnection everyone waiting is woken
 * to look for themselves, since what was sent meanwhile is not sent again.
 */

const QUEUED = 'scribe_conversations_queued';
const FINISHED = 'scribe_conversation_finished';
/** How long after a lost connection it is opened again, doubling up to the longest. */
const RECONNECT_MS = { first: 500, longest: 30_000 };

export interface FinishWait {
  /** Resolves when the conversation is said to be finished, when the connection came back, or at `ms`. */
  finished: Promise<void>;
  cancel(): void;
}

export class ConversationNotices {
  private client: pg.Client | null = null;
  private stopped = false;
  private reconnectMs = RECONNECT_MS.first;
  private retry: NodeJS.Timeout | null = null;
  private readonly queuedListeners = new Set<() => void>();
  private readonly finishWaits = new Map<string, Set<() => void>>();

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  /** Starts listening; a failure to connect is logged and tried again, as polling still works. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.wakeAll();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Calls `listener` when conversations are queued by any process; returns how to stop. */
  onQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  /** Waits at most `ms` for the conversation to finish; subscribe before reading its state, then read. */
  waitForFinish(conversationId: string, ms: number): FinishWait {
    let timer: NodeJS.Timeout | undefined;
    let wake: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    const waits = this.finishWaits.get(conversationId) ?? new Set();
    waits.add(wake);
    this.finishWaits.set(conversationId, waits);
    const cancel = () => {
      clearTimeout(timer);
      waits.delete(wake);
      if (waits.size === 0 && this.finishWaits.get(conversationId) === waits) {
        this.finishWaits.delete(conversationId);
      }
      wake();
    };
    void finished.then(cancel);
    return { finished, cancel };
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'scribe-notices',
      keepAlive: true,
    });
    client.on('notification', (notice) => this.heard(notice.channel, notice.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${QUEUED}; LISTEN ${FINISHED}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectMs = RECONNECT_MS.first;
    // Whatever was sent while nobody listened is not sent again: everyone looks for themselves.
    this.wakeAll();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client && this.client !== client) return;
    this.client = null;
    if (this.stopped || this.retry) return;
    this.logger.warn(
      { err: error ? { message: error.message } : undefined, retryInMs: this.reconnectMs },
      'not hearing from Postgres of queued and finished conversations; polling until the connection is back',
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.reconnectMs);
    this.retry.unref();
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MS.longest);
  }

  private heard(channel: string, payload: string | undefined): void {
    if (channel === QUEUED) {
      for (const listener of this.queuedListeners) listener();
    } else if (channel === FINISHED && payload) {
      for (const wake of this.finishWaits.get(payload) ?? []) wake();
    }
  }

  private wakeAll(): void {
    for (const listener of this.queuedListeners) listener();
    for (const waits of this.finishWaits.values()) for (const wake of waits) wake();
  }
}
