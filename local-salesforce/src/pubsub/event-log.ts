import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';

/**
 * The event bus's memory: every event of every topic, in order, under a replay id that only ever
 * grows, kept for the retention window (72 hours in Salesforce) so a subscriber can resume after the
 * last event it processed. With a file it survives restarts, so replay ids a subscriber stored stay
 * meaningful; the file is append-only, one JSON line per event.
 */

export interface RetainedEvent {
  topicName: string;
  replayId: bigint;
  /** The EventUuid. */
  id: string;
  schemaId: string;
  payload: Buffer;
  publishedAt: number;
}

export interface EventLogOptions {
  file?: string;
  retentionMs?: number;
  /** Events kept per topic at most, whatever their age. */
  maxPerTopic?: number;
  now?: () => number;
}

export function encodeReplayId(replayId: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(replayId);
  return buffer;
}

/** The replay id in an 8-byte big-endian buffer, or null when the bytes are not one. */
export function decodeReplayId(bytes: Buffer | Uint8Array | null | undefined): bigint | null {
  if (!bytes || bytes.length !== 8) return null;
  return Buffer.from(bytes).readBigUInt64BE();
}

interface StoredLine {
  topicName: string;
  replayId: string;
  id: string;
  schemaId: string;
  payload: string;
  publishedAt: number;
}

export class EventLog {
  private readonly topics = new Map<string, RetainedEvent[]>();
  private readonly appended = new EventEmitter();
  private lastReplayId = 0n;
  private readonly retentionMs: number;
  private readonly maxPerTopic: number;
  private readonly now: () => number;

  constructor(private readonly options: EventLogOptions = {}) {
    this.retentionMs = options.retentionMs ?? 72 * 3600_000;
    this.maxPerTopic = options.maxPerTopic ?? 100_000;
    this.now = options.now ?? Date.now;
    this.appended.setMaxListeners(0);
    if (options.file) this.load(options.file);
  }

  append(event: Omit<RetainedEvent, 'replayId' | 'publishedAt'>): RetainedEvent {
    this.lastReplayId += 1n;
    const retained: RetainedEvent = { ...event, replayId: this.lastReplayId, publishedAt: this.now() };
    const events = this.topics.get(event.topicName) ?? [];
    events.push(retained);
    this.topics.set(event.topicName, events);
    this.trim(events);
    // Events carry what customers said; the log is its owner's alone (the mode applies on creation).
    if (this.options.file)
      appendFileSync(this.options.file, `${JSON.stringify(toLine(retained))}\n`, { mode: 0o600 });
    this.appended.emit(event.topicName, retained);
    return retained;
  }

  /** The newest replay id of the topic, or of the bus when the topic has none yet. */
  latest(topicName: string): bigint {
    return this.topics.get(topicName)?.at(-1)?.replayId ?? this.lastReplayId;
  }

  /** The replay id just before the oldest retained event: where EARLIEST starts. */
  beforeEarliest(topicName: string): bigint {
    const first = this.topics.get(topicName)?.[0];
    return first ? first.replayId - 1n : this.lastReplayId;
  }

  /** Whether a stored position can still be resumed without missing events. */
  resumable(topicName: string, replayId: bigint): boolean {
    if (replayId > this.lastReplayId) return false;
    return replayId >= this.trimmedUpTo(topicName);
  }

  /** Up to `max` events after the replay id, oldest first. */
  after(topicName: string, replayId: bigint, max: number): RetainedEvent[] {
    const events = this.topics.get(topicName) ?? [];
    const out: RetainedEvent[] = [];
    // Replay ids only grow, so the first event past the position is found by bisection.
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.replayId <= replayId) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < events.length && out.length < max; i++) out.push(events[i]!);
    return out;
  }

  onAppend(topicName: string, listener: (event: RetainedEvent) => void): () => void {
    this.appended.on(topicName, listener);
    return () => this.appended.off(topicName, listener);
  }

  private readonly trimmedTo = new Map<string, bigint>();

  private trimmedUpTo(topicName: string): bigint {
    return this.trimmedTo.get(topicName) ?? 0n;
  }

  private trim(events: RetainedEvent[]): void {
    const oldest = this.now() - this.retentionMs;
    let drop = 0;
    while (
      drop < events.length &&
      (events.length - drop > this.maxPerTopic || events[drop]!.publishedAt < oldest)
    ) {
      drop++;
    }
    if (drop === 0) return;
    const removed = events.splice(0, drop);
    this.trimmedTo.set(removed[0]!.topicName, removed.at(-1)!.replayId);
  }

  private load(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file)) return;
    // A log written before its mode was set is closed now rather than at its next rewrite.
    chmodSync(file, 0o600);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      let stored: StoredLine;
      try {
        stored = JSON.parse(line) as StoredLine;
      } catch {
        // A line cut short by a crash mid-append: the event before it is the last one kept.
        continue;
      }
      const event: RetainedEvent = {
        topicName: stored.topicName,
        replayId: BigInt(stored.replayId),
        id: stored.id,
        schemaId: stored.schemaId,
        payload: Buffer.from(stored.payload, 'base64'),
        publishedAt: stored.publishedAt,
      };
      if (event.replayId > this.lastReplayId) this.lastReplayId = event.replayId;
      const events = this.topics.get(event.topicName) ?? [];
      events.push(event);
      this.topics.set(event.topicName, events);
    }
    for (const events of this.topics.values()) this.trim(events);
    const kept = [...this.topics.values()].flat().sort((a, b) => (a.replayId < b.replayId ? -1 : 1));
    if (kept.length < lines.length) {
      writeFileSync(file, kept.map((e) => `${JSON.stringify(toLine(e))}\n`).join(''), { mode: 0o600 });
    }
  }
}

function toLine(event: RetainedEvent): StoredLine {
  return {
    topicName: event.topicName,
    replayId: event.replayId.toString(),
    id: event.id,
    schemaId: event.schemaId,
    payload: event.payload.toString('base64'),
    publishedAt: event.publishedAt,
  };
}
