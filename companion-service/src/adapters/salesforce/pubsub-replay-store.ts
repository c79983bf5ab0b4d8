/**
 * Where the subscriber keeps the replay id of the last event it processed on each topic, so a
 * restart resumes right after it. A position is only written once the events up to it are safely
 * handed on; the Postgres implementation is in adapters/postgres/pubsub-event-stores.ts.
 */

export interface ReplayStore {
  /** The last processed replay id of the topic, or null before the first. */
  get(topicName: string): Promise<bigint | null>;
  put(topicName: string, replayId: bigint): Promise<void>;
}

export class MemoryReplayStore implements ReplayStore {
  readonly positions = new Map<string, bigint>();

  async get(topicName: string): Promise<bigint | null> {
    return this.positions.get(topicName) ?? null;
  }

  async put(topicName: string, replayId: bigint): Promise<void> {
    this.positions.set(topicName, replayId);
  }
}

/** An event the subscriber could not use: kept with the reason, so nothing is silently lost. */
export interface DeadLetter {
  topicName: string;
  replayId: bigint;
  eventId: string | null;
  reason: string;
  /** The event as received: Avro bytes when they could not be decoded, else its fields as JSON. */
  payload: Buffer;
}

export interface DeadLetters {
  record(letter: DeadLetter): Promise<void>;
}

export class MemoryDeadLetters implements DeadLetters {
  readonly letters: DeadLetter[] = [];

  async record(letter: DeadLetter): Promise<void> {
    const seen = this.letters.some((l) => l.topicName === letter.topicName && l.replayId === letter.replayId);
    if (!seen) this.letters.push(letter);
  }
}
