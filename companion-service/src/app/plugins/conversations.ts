import fp from 'fastify-plugin';
import type { Extractor } from '../../domain/extraction/extractor.js';
import { ConversationProcessor } from '../../services/process-conversation.js';
import {
  MemoryConversationStore,
  type ConversationStore,
} from '../../adapters/store/memory-conversation-store.js';

/** The conversation processor and the store of results, shared by the conversation routes. */

declare module 'fastify' {
  interface FastifyInstance {
    conversations: { processor: ConversationProcessor; store: ConversationStore };
  }
}

export interface ConversationsPluginOptions {
  extractor: Extractor;
  store?: ConversationStore;
}

export default fp<ConversationsPluginOptions>(
  async (app, options) => {
    const processor = new ConversationProcessor({
      api: app.salesforce.api,
      snapshots: app.salesforce.snapshots,
      extractor: options.extractor,
      logger: app.log,
    });
    app.decorate('conversations', { processor, store: options.store ?? new MemoryConversationStore() });
  },
  { name: 'conversations', dependencies: ['salesforce'], fastify: '5.x' },
);
