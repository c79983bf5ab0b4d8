import type { Conversation } from '../../source/conversation.js';
import type { Insights } from '../../insights/schema.js';
import type { ExtractionContext, Extractor } from '../extractor.js';
import { emptyDraft } from '../draft.js';
import { finalizeInsights } from '../finalize.js';

/** The default extractor: rules and chrono-node, no network, no model download. */
export class EmbeddedExtractor implements Extractor {
  readonly name = 'embedded';
  readonly version = '0.1.0';

  async extract(conversation: Conversation, context: ExtractionContext): Promise<Insights> {
    return finalizeInsights(conversation, emptyDraft(), context, this);
  }
}
