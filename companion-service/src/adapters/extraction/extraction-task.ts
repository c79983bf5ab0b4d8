import { customerNames, EmbeddedExtractor } from '../../domain/extraction/embedded/embedded-extractor.js';
import type { ExtractionContext } from '../../domain/extraction/extractor.js';
import type { Insights } from '../../domain/insights/schema.js';
import type { OrgRules } from '../../domain/org-rules.js';
import type { Conversation } from '../../domain/source/conversation.js';
import { parseConversation } from '../../domain/source/detect.js';

/** What one pool thread is asked to do: extract a conversation, or only name its customer's people. */
export type ExtractionTask =
  | { kind: 'extract'; conversation: Conversation; context: ExtractionContext }
  | { kind: 'names'; conversation: Conversation; rules: OrgRules }
  /** Answers once the thread has loaded the extractor and, given rules, run it once (its first run is slow). */
  | { kind: 'ready'; rules?: OrgRules };

const extractor = new EmbeddedExtractor();
const WARM_UP =
  'Dana Lee: Our budget is $120k for this project; Clari quoted more.\nSam: I will send the proposal by Friday.';

export async function runExtractionTask(task: ExtractionTask): Promise<Insights | string[]> {
  if (task.kind === 'ready') {
    if (task.rules) {
      const context = { currentStage: null, meetingDate: '2026-01-05', rules: task.rules };
      await extractor.extract(parseConversation(WARM_UP), context);
    }
    return [];
  }
  if (task.kind === 'names') return customerNames(task.conversation, task.rules);
  return extractor.extract(task.conversation, task.context);
}
