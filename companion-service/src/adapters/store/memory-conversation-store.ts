import type { ConversationResult } from '../../services/conversation-result.js';

/**
 * Processing results by conversation id, kept in memory for GET /v1/conversations/:id. The ingestion
 * issue replaces it with a durable store behind the same interface.
 */
export interface ConversationStore {
  save(result: ConversationResult): Promise<void>;
  get(id: string): Promise<ConversationResult | null>;
}

/** Keeps the latest results; the oldest go first once the limit is reached. */
export class MemoryConversationStore implements ConversationStore {
  private readonly results = new Map<string, ConversationResult>();

  constructor(private readonly limit = 10_000) {}

  async save(result: ConversationResult): Promise<void> {
    this.results.delete(result.id);
    this.results.set(result.id, result);
    if (this.results.size > this.limit) this.results.delete(this.results.keys().next().value!);
  }

  async get(id: string): Promise<ConversationResult | null> {
    return this.results.get(id) ?? null;
  }
}
