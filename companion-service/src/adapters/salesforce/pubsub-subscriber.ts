import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { DeadLetters, ReplayStore } from './pubsub-replay-store.js';
import { streamsOpenedBy } from './pubsub-streams.js';
import type { PackageNamespace } from './package-namespace.js';

/**
 * Platform events through the Pub/Sub API, with the real salesforce-pubsub-api-client: one stream
 * per topic, resumed right after the last replay id the service stored, or from LATEST or EARLIEST
 * on the very first start. Each event is handed on (the ingest queue takes it durably and
 * idempotently) and only then is its replay id stored: at-least-once delivery with an idempotent
 * hand-off is exactly once in effect. Flow control is the service's: the next batch is asked for
 * when the last one is handled. A failed stream reconnects with backoff and a renewed session when
 * the old one was refused; an event that can never be used is dead-lettered, never fatal.
 *
 * The client may hand events of two responses to the callback interleaved (it awaits a schema
 * lookup per event), so a replay id is stored only where every earlier event is certainly handled:
 * when a requested batch is complete, at an idle keepalive, or when a closed stream has drained.
 */

export interface PubSubSession {
  accessToken: string;
  /** Must be https: the client refuses anything else. */
  instanceUrl: string;
  organizationId: string;
}

export interface ReceivedEvent {
  topicName: string;
  replayId: bigint;
  /** The EventUuid. */
  eventId: string;
  schemaId: string;
  payload: Record<string, unknown>;
}

/** Thrown by a handler for an event that no retry can make usable: it is dead-lettered. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

/** The Pub/Sub API refused the session: a setting to fix, not weather to wait out. */
export class PubSubAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PubSubAuthError';
  }
}

export type StartPosition = 'LATEST' | 'EARLIEST';

export interface SubscriberOptions {
  /** host:port, such as api.pubsub.salesforce.com:7443. */
  endpoint: string;
  rejectUnauthorizedSsl: boolean;
  /** The org session to authenticate with; `renew` after the Pub/Sub API refused the last one. */
  session: (renew: boolean) => Promise<PubSubSession>;
  topics: string[];
  /** Where a topic without a stored replay id starts. */
  startFrom: StartPosition;
  replayStore: ReplayStore;
  deadLetters: DeadLetters;
  handle: (event: ReceivedEvent) => Promise<void>;
  logger: Logger;
  /** Events asked for at a time (the API allows 100). */
  batchSize?: number;
  retry?: { baseMs: number; maxMs: number };
  /** How long start waits for a stream's first response before taking silence as success. */
  settleMs?: number;
  /**
   * The package's namespace in the org: topics and payload fields are named locally here and in
   * the replay store, and as the org names them on the wire (`/event/pscribe__Suggestion_Decided__e`).
   */
  names?: PackageNamespace;
}

export interface TopicStatus {
  topicName: string;
  state: 'starting' | 'live' | 'reconnecting' | 'stopped';
  storedReplayId: string | null;
  lastError: string | null;
}

type Stream = ReturnType<typeof streamsOpenedBy>[number];

interface Connection {
  client: PubSubApiClient;
  streams: Stream[];
  chain: Promise<void>;
  callbacks: number;
  /** Highest replay id handled (processed or dead-lettered) on this connection. */
  handledUpTo: bigint | null;
  confirmed: boolean;
  failed: boolean;
  /** A hand-off failed: nothing more from this connection is used or stored. */
  broken: boolean;
  settle: { resolve: () => void; reject: (error: Error) => void } | null;
}

interface ClientInfo {
  lastReplayId: number | null;
}

interface ClientEvent {
  id: string;
  schemaId: string;
  replayId: number;
  payload: Record<string, unknown>;
}

interface ParseFailure extends Error {
  replayId?: number;
  latestReplayId?: number;
  cause?: unknown;
  event?: { event?: { id?: string; payload?: Buffer } };
}

interface GrpcFailure extends Error {
  code?: number;
  details?: string;
  metadata?: { get(key: string): unknown[] };
}

const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;
const CANCELLED = 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isParseFailure(error: unknown): error is ParseFailure {
  return error instanceof Error && 'latestReplayId' in error;
}

function errorCodeOf(error: GrpcFailure): string {
  return String(error.metadata?.get('error-code')?.[0] ?? '');
}

function describe(error: GrpcFailure): string {
  const code = errorCodeOf(error);
  return `${error.details ?? error.message}${code ? ` (${code})` : ''}`;
}

/** The client logs events with their fields at debug; only its warnings and errors, as text, are kept. */
function clientLogger(logger: Logger) {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => logger.warn({ client: 'pubsub' }, text(args)),
    error: (...args: unknown[]) => logger.debug({ client: 'pubsub' }, text(args)),
  };
}

class TopicStream {
  private connection: Connection | null = null;
  private committed: bigint | null = null;
  private attempt = 0;
  private renewSession = false;
  private ignoreStoredPosition = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly batchSize: number;
  private readonly log: Logger;
  private readonly orgTopic: string;
  status: TopicStatus;

  constructor(
    private readonly topicName: string,
    private readonly options: SubscriberOptions,
  ) {
    const names = options.names;
    this.orgTopic = names ? topicName.replace(/[^/]+$/, (event) => names.toOrg(event)) : topicName;
    this.batchSize = Math.min(Math.max(options.batchSize ?? 100, 1), 100);
    this.log = options.logger.child({ topic: topicName });
    this.status = { topicName, state: 'starting', storedReplayId: null, lastError: null };
  }

  async start(): Promise<void> {
    this.committed = await this.options.replayStore.get(this.topicName);
    this.status.storedReplayId = this.committed?.toString() ?? null;
    try {
      await this.open();
    } catch (error) {
      if (error instanceof PubSubAuthError) throw error;
      this.retryLater(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      connection.failed = true;
      await this.close(connection);
    }
    this.status.state = 'stopped';
  }

  private async open(): Promise<void> {
    const session = await this.options.session(this.renewSession);
    this.renewSession = false;
    const client = new PubSubApiClient(
      {
        authType: 'user-supplied',
        accessToken: session.accessToken,
        instanceUrl: session.instanceUrl,
        organizationId: session.organizationId,
        pubSubEndpoint: this.options.endpoint,
        rejectUnauthorizedSsl: this.options.rejectUnauthorizedSsl,
      },
      clientLogger(this.log),
    );
    await client.connect();
    const connection: Connection = {
      client,
      streams: [],
      chain: Promise.resolve(),
      callbacks: 0,
      handledUpTo: null,
      confirmed: false,
      failed: false,
      broken: false,
      settle: null,
    };
    this.connection = connection;
    const settled = new Promise<void>((resolve, reject) => {
      connection.settle = { resolve, reject };
    });
    const timer = setTimeout(() => this.confirm(connection), this.options.settleMs ?? 5_000);
    const from = this.ignoreStoredPosition ? null : this.committed;
    const callback = (info: ClientInfo, type: string, data?: unknown) =>
      this.onCallback(connection, info, type, data);
    connection.streams = streamsOpenedBy(() => {
      if (from !== null) client.subscribeFromReplayId(this.orgTopic, callback, this.batchSize, Number(from));
      else if (this.options.startFrom === 'EARLIEST')
        client.subscribeFromEarliestEvent(this.orgTopic, callback, this.batchSize);
      else client.subscribe(this.orgTopic, callback, this.batchSize);
    });
    this.log.info(
      { from: from === null ? this.options.startFrom : from.toString() },
      'subscribing to platform events',
    );
    try {
      await settled;
    } finally {
      clearTimeout(timer);
    }
  }

  private confirm(connection: Connection): void {
    if (connection.confirmed || connection.failed) return;
    connection.confirmed = true;
    connection.settle?.resolve();
    this.status.state = 'live';
    this.status.lastError = null;
    this.ignoreStoredPosition = false;
  }

  private onCallback(connection: Connection, info: ClientInfo, type: string, data: unknown): void {
    switch (type) {
      case 'event':
        connection.callbacks++;
        this.confirm(connection);
        this.attempt = 0;
        connection.chain = connection.chain.then(() => this.process(connection, data as ClientEvent));
        return;
      case 'lastEvent':
        connection.chain = connection.chain.then(() => this.batchDone(connection));
        return;
      case 'grpcKeepAlive':
        this.confirm(connection);
        connection.chain = connection.chain.then(() =>
          info.lastReplayId === null ? undefined : this.commit(connection, BigInt(info.lastReplayId)),
        );
        return;
      case 'error':
        if (isParseFailure(data)) {
          connection.callbacks++;
          connection.chain = connection.chain.then(() => this.undecodable(connection, data));
        } else {
          this.failed(connection, data as GrpcFailure);
        }
        return;
      case 'end':
        this.failed(connection, Object.assign(new Error('the Pub/Sub API ended the stream'), { code: -1 }));
        return;
      default:
    }
  }

  private async process(connection: Connection, raw: ClientEvent): Promise<void> {
    if (connection.broken) return;
    const event: ReceivedEvent = {
      topicName: this.topicName,
      replayId: BigInt(raw.replayId),
      eventId: raw.id,
      schemaId: raw.schemaId,
      payload: this.options.names
        ? (this.options.names.bodyFromOrg(raw.payload) as Record<string, unknown>)
        : raw.payload,
    };
    try {
      await this.options.handle(event);
    } catch (error) {
      if (!(error instanceof PermanentEventError)) {
        this.breakOff(connection, error as Error);
        return;
      }
      this.log.warn(
        { replayId: event.replayId.toString(), reason: error.message },
        'platform event dead-lettered',
      );
      const json = JSON.stringify(event.payload, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
      const recorded = await this.deadLetter(connection, {
        replayId: event.replayId,
        eventId: event.eventId,
        reason: error.message,
        payload: Buffer.from(json),
      });
      if (!recorded) return;
    }
    this.handled(connection, event.replayId);
  }

  private async undecodable(connection: Connection, failure: ParseFailure): Promise<void> {
    if (connection.broken) return;
    const replayId = BigInt(failure.replayId ?? failure.latestReplayId ?? 0);
    const cause = failure.cause instanceof Error ? failure.cause.message : String(failure.cause ?? '');
    const reason = `the payload could not be decoded with the topic's schema: ${cause || failure.message}`;
    this.log.warn({ replayId: replayId.toString(), reason }, 'platform event dead-lettered');
    const recorded = await this.deadLetter(connection, {
      replayId,
      eventId: failure.event?.event?.id ?? null,
      reason,
      payload: Buffer.from(failure.event?.event?.payload ?? []),
    });
    if (recorded) this.handled(connection, replayId);
  }

  private async deadLetter(
    connection: Connection,
    letter: { replayId: bigint; eventId: string | null; reason: string; payload: Buffer },
  ): Promise<boolean> {
    try {
      await this.options.deadLetters.record({ topicName: this.topicName, ...letter });
      return true;
    } catch (error) {
      this.breakOff(connection, error as Error);
      return false;
    }
  }

  private handled(connection: Connection, replayId: bigint): void {
    if (connection.handledUpTo === null || replayId > connection.handledUpTo)
      connection.handledUpTo = replayId;
  }

  private async batchDone(connection: Connection): Promise<void> {
    if (connection.broken || connection.failed) return;
    if (connection.handledUpTo !== null) await this.commit(connection, connection.handledUpTo);
    if (connection.broken || connection.failed) return;
    connection.client.requestAdditionalEvents(this.orgTopic, this.batchSize);
  }

  private async commit(connection: Connection, replayId: bigint): Promise<void> {
    if (connection.broken) return;
    if (this.committed !== null && replayId <= this.committed) return;
    try {
      await this.options.replayStore.put(this.topicName, replayId);
      this.committed = replayId;
      this.status.storedReplayId = replayId.toString();
    } catch (error) {
      this.breakOff(connection, error as Error);
    }
  }

  /** A hand-off failed (the queue or store is down): resubscribe later from the stored position. */
  private breakOff(connection: Connection, error: Error): void {
    if (connection.broken) return;
    connection.broken = true;
    this.log.error(
      { err: error },
      'could not hand a platform event on; resubscribing from the stored replay id',
    );
    this.failed(connection, Object.assign(new Error(error.message), { code: -1 }));
  }

  private failed(connection: Connection, error: GrpcFailure): void {
    if (connection.failed) return;
    connection.failed = true;
    if (this.stopping || this.connection !== connection) return;
    this.connection = null;
    const code = error.code ?? -1;
    const reason = describe(error);
    const refused = code === UNAUTHENTICATED || code === PERMISSION_DENIED;
    if (refused) this.renewSession = true;
    if (/replay.?id/i.test(`${reason} ${errorCodeOf(error)}`)) {
      this.ignoreStoredPosition = true;
      this.log.error(
        { storedReplayId: this.committed?.toString() ?? null },
        `the stored replay id is outside the retention window; resubscribing from ${this.options.startFrom === 'EARLIEST' ? 'EARLIEST' : 'EARLIEST so no retained event is skipped'}`,
      );
    }
    this.status.lastError = reason;
    const settle = connection.settle;
    void this.close(connection).then(() => {
      if (!connection.confirmed && settle) {
        settle.reject(
          refused
            ? new PubSubAuthError(
                `the Pub/Sub API at ${this.options.endpoint} refused the session for ${this.topicName}: ${reason}. Check that the org's access token is live and that its user may read the event`,
              )
            : new Error(
                `the Pub/Sub API at ${this.options.endpoint} failed for ${this.topicName}: ${reason}`,
              ),
        );
        return;
      }
      if (code !== CANCELLED) this.log.warn({ reason }, 'platform event stream failed; reconnecting');
      this.retryLater(error);
    });
  }

  /** Cancels the streams, lets what they already delivered be handled, stores the position, closes. */
  private async close(connection: Connection): Promise<void> {
    for (const stream of connection.streams) stream.cancel();
    let seen = -1;
    while (seen !== connection.callbacks) {
      seen = connection.callbacks;
      await sleep(25);
      await connection.chain;
    }
    // The stream is closed and every event it delivered is handled, so none before this is missing.
    if (!connection.broken && connection.handledUpTo !== null) {
      await this.commit(connection, connection.handledUpTo);
    }
    connection.client.close();
  }

  private retryLater(error: Error): void {
    if (this.stopping) return;
    this.status.state = 'reconnecting';
    this.status.lastError ??= error.message;
    this.attempt++;
    const { baseMs, maxMs } = this.options.retry ?? { baseMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(this.attempt - 1, 20));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open().catch((failure: Error) => {
        this.status.lastError = failure.message;
        this.log.warn(
          { reason: failure.message, attempt: this.attempt },
          'could not resubscribe; trying again',
        );
        this.retryLater(failure);
      });
    }, delay);
  }
}

export class PlatformEventSubscriber {
  private readonly streams: TopicStream[];

  constructor(options: SubscriberOptions) {
    this.streams = options.topics.map((topic) => new TopicStream(topic, options));
  }

  /** Subscribes to every topic; rejects with a PubSubAuthError when the session is refused. */
  async start(): Promise<void> {
    try {
      await Promise.all(this.streams.map((s) => s.start()));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops taking events, finishes the ones in hand, stores where each topic got to. */
  async stop(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.stop()));
  }

  status(): TopicStatus[] {
    return this.streams.map((s) => ({ ...s.status }));
  }
}
