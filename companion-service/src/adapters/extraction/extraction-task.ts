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
  /**
   * Answers once the thread has loaded the extractor and, given rules, run it once (its first run is
   * slow). With `together`, it also holds its thread until as many ready tasks as `together[1]` have
   * arrived, each on a thread of its own, so one round of them warms every thread of the pool.
   */
  | { kind: 'ready'; rules?: OrgRules; together?: Int32Array };

/** The longest a ready task holds its thread for the others: a thread that never comes is not waited on. */
const TOGETHER_WAIT_MS = 120_000;

const extractor = new EmbeddedExtractor();
const WARM_UP =
  'Dana Lee: Our budget is $120k for this project; Clari quoted more.\nSam: I will send the proposal by Friday.';

export async function runExtractionTask(task: ExtractionTask): Promise<Insights | string[]> {
  if (task.kind === 'ready') {
    if (task.rules) {
      const context = { currentStage: null, meetingDate: '2026-01-05', rules: task.rules };
      await extractor.extract(parseConversation(WARM_UP), context);
    }
    if (task.together) arriveAndWait(task.together);
    return [];
  }
  if (task.kind === 'names') return customerNames(task.conversation, task.rules);
  return extractor.extract(task.conversation, task.context);
}

/** A barrier across threads on shared memory: [arrived, expected]. Blocking is fine: this thread waits for work anyway. */
function arriveAndWait(together: Int32Array): void {
  const deadline = Date.now() + TOGETHER_WAIT_MS;
  Atomics.add(together, 0, 1);
  Atomics.notify(together, 0);
  for (;;) {
    const arrived = Atomics.load(together, 0);
    const left = deadline - Date.now();
    if (arrived >= Atomics.load(together, 1) || left <= 0) return;
    Atomics.wait(together, 0, arrived, left);
  }
}
