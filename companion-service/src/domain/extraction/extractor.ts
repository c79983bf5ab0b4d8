import type { Conversation } from '../source/conversation.js';
import type { Insights } from '../insights/schema.js';
import type { OrgRules } from '../org-rules.js';

/** What an extractor is told besides the conversation: the org's rules and where the deal stands. */
export interface ExtractionContext {
  /** The opportunity's current StageName, when known. */
  currentStage: string | null;
  /** YYYY-MM-DD that relative dates resolve against; the caller passes today when the source has no date. */
  meetingDate: string;
  rules: OrgRules;
}

export interface Extractor {
  readonly name: string;
  readonly version: string;
  /**
   * The languages (BCP 47 primary tags) the extractor reads; absent when it reads any. A
   * conversation in another language gets a warning instead of a silent "nothing relevant".
   */
  readonly languages?: readonly string[];
  extract(conversation: Conversation, context: ExtractionContext): Promise<Insights>;
}

/**
 * Extraction did not finish within its time limit: the conversation is refused with this reason,
 * recorded for it, and nothing else is held up.
 */
export class ExtractionRefused extends Error {
  readonly errorCode = 'EXTRACTION_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'ExtractionRefused';
  }
}
