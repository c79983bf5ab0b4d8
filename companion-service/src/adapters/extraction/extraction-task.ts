import { customerNames, EmbeddedExtractor } from '../../domain/extraction/embedded/embedded-extractor.js';
import type { ExtractionContext } from '../../domain/extraction/extractor.js';
import type { Insights } from '../../domain/insights/schema.js';
import type { OrgRules } from '../../domain/org-rules.js';
import type { Conversation } from '../../domain/source/conversation.js';
import { parseConversation } from '../../domain/source/detect.js';

/**
 * The org's rules as a task names them: by the number the pool gave them, with the rules themselves
 * only when the thread may not hold them yet. The rules are the largest part of a task, and copying
 * them to a thread for every conversation cost more than extracting it.
 */
export interface TaskRules {
  id: number;
  rules?: OrgRules;
}

/** What one pool thread is asked to do: extract a conversation, or only name its customer's people. */
export type ExtractionTask =
  | {
      kind: 'extract';
      conversation: Conversation;
      context: Omit<ExtractionContext, 'rules'>;
      rules: TaskRules;
    }
  | { kind: 'names'; conversation: Conversation; rules: TaskRules }
  /**
   * Answers once the thread has loaded the extractor and, given rules, keeps them and runs it once
   * (its first run is slow). With `together`, it also holds its thread until as many ready tasks as
   * `together[1]` have arrived, each on a thread of its own, so one round of them warms every thread.
   */
  | { kind: 'ready'; rules?: TaskRules; together?: Int32Array };

/** A thread's answer to a task naming rules it does not hold: the pool sends it again with them. */
export const RULES_UNKNOWN = 'rules-unknown';

/** The rule sets a thread keeps: the org's current ones and the one before, while tasks still name it. */
const KEPT_RULES = 2;
const kept = new Map<number, OrgRules>();

function rulesFor(task: TaskRules): OrgRules | null {
  if (task.rules) {
    kept.set(task.id, task.rules);
    for (const id of kept.keys()) if (kept.size > KEPT_RULES) kept.delete(id);
  }
  return kept.get(task.id) ?? null;
}

/** The longest a ready task holds its thread for the others: a thread that never comes is not waited on. */
const TOGETHER_WAIT_MS = 120_000;

const extractor = new EmbeddedExtractor();
const WARM_UP =
  'Dana Lee: Our budget is $120k for this project; Clari quoted more.\nSam: I will send the proposal by Friday.';

export async function runExtractionTask(
  task: ExtractionTask,
): Promise<Insights | string[] | typeof RULES_UNKNOWN> {
  if (task.kind === 'ready') {
    const rules = task.rules ? rulesFor(task.rules) : null;
    if (rules) {
      const context = { currentStage: null, meetingDate: '2026-01-05', rules };
      await extractor.extract(parseConversation(WARM_UP), context);
    }
    if (task.together) arriveAndWait(task.together);
    return [];
  }
  const rules = rulesFor(task.rules);
  if (!rules) return RULES_UNKNOWN;
  if (task.kind === 'names') return customerNames(task.conversation, rules);
  return extractor.extract(task.conversation, { ...task.context, rules });
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
