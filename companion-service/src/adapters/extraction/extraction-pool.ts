import { Piscina } from 'piscina';
import { EmbeddedExtractor } from '../../domain/extraction/embedded/embedded-extractor.js';
import {
  ExtractionRefused,
  type ExtractionContext,
  type Extractor,
} from '../../domain/extraction/extractor.js';
import type { Insights } from '../../domain/insights/schema.js';
import type { OrgRules } from '../../domain/org-rules.js';
import type { Conversation } from '../../domain/source/conversation.js';
import { RULES_UNKNOWN, type ExtractionTask, type TaskRules } from './extraction-task.js';

/**
 * The embedded extractor on worker threads (piscina): the event loop keeps answering (/healthz, the
 * webhooks) while conversations are extracted, and a conversation that takes longer than its limit
 * has its thread stopped and is refused with ExtractionRefused, naming the limit and its setting.
 */

export interface ExtractionPoolSettings {
  threads: number;
  timeoutMs: number;
}

const WORKER = new URL('./extraction-worker.mjs', import.meta.url).href;
const reference = new EmbeddedExtractor();

export class ExtractionPool implements Extractor {
  readonly name = reference.name;
  readonly version = reference.version;
  private readonly pool: Piscina<ExtractionTask, Insights | string[] | typeof RULES_UNKNOWN>;
  /** The number each set of rules goes by in tasks; the threads keep the rules they were warmed with. */
  private readonly rulesIds = new WeakMap<OrgRules, number>();
  private lastRulesId = 0;
  /**
   * A new thread loads the extractor first (seconds under tsx, tens of seconds on a busy machine): that
   * is not a conversation's time, so each timed task waits until every thread has answered since the
   * pool started or a thread was stopped. All threads are kept: one started later, for a second
   * conversation at once, would load cold inside that conversation's limit, and a worker just
   * restarted by its process manager sent conversations dead with EXTRACTION_TIMEOUT that way.
   */
  private warm: Promise<unknown>;
  /** The rules every thread has run once (the org's, cached and reused until they are read again). */
  private warmedWith: OrgRules | undefined;

  constructor(private readonly settings: ExtractionPoolSettings) {
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: settings.threads,
      maxThreads: settings.threads,
    });
    this.warm = this.warmUp();
  }

  /**
   * One ready task per thread: each holds its thread until all have arrived (a shared counter), so no
   * thread answers twice while another is still loading.
   */
  private warmUp(rules?: OrgRules): Promise<unknown> {
    const { threads } = this.settings;
    const together = new Int32Array(new SharedArrayBuffer(8));
    together[1] = threads;
    return Promise.all(
      Array.from({ length: threads }, () =>
        this.pool
          .run({ kind: 'ready', rules: rules && { id: this.rulesId(rules), rules }, together })
          .catch(() => undefined),
      ),
    );
  }

  async extract(conversation: Conversation, { rules, ...context }: ExtractionContext): Promise<Insights> {
    return (await this.run(
      { kind: 'extract', conversation, context, rules: { id: this.rulesId(rules) } },
      rules,
    )) as Insights;
  }

  /** The customer's people the conversation names, to find its deal by (see customerNames). */
  async customerNames(conversation: Conversation, rules: OrgRules): Promise<string[]> {
    return (await this.run(
      { kind: 'names', conversation, rules: { id: this.rulesId(rules) } },
      rules,
    )) as string[];
  }

  private rulesId(rules: OrgRules): number {
    let id = this.rulesIds.get(rules);
    if (id === undefined) {
      id = ++this.lastRulesId;
      this.rulesIds.set(rules, id);
    }
    return id;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async run(
    task: Exclude<ExtractionTask, { kind: 'ready' }>,
    rules: OrgRules,
  ): Promise<Insights | string[]> {
    // A thread's first run with the org's rules is slow too: every thread runs them once, untimed,
    // and keeps them, so a task names them by number.
    if (rules !== this.warmedWith) {
      this.warmedWith = rules;
      this.warm = this.warm.then(() => this.warmUp(rules));
    }
    await this.warm;
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const answer = await this.pool.run(task, { signal });
      if (answer !== RULES_UNKNOWN) return answer;
      // A thread that was not warmed with them (one started again since): the rules go along.
      const withRules: TaskRules = { ...task.rules, rules };
      return (await this.pool.run({ ...task, rules: withRules }, { signal })) as Insights | string[];
    } catch (error) {
      if (!signal.aborted) throw error;
      this.warm = this.warmUp(rules);
      throw new ExtractionRefused(
        `extracting the conversation (${conversation(task)}) took longer than ${this.settings.timeoutMs} ms and was stopped; shorten it or raise SCRIBE_EXTRACT_TIMEOUT_MS`,
      );
    }
  }
}

function conversation(task: Exclude<ExtractionTask, { kind: 'ready' }>): string {
  return `${task.conversation.text.length} characters`;
}
