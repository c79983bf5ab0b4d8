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
import type { ExtractionTask } from './extraction-task.js';

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
  private readonly pool: Piscina<ExtractionTask, Insights | string[]>;
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
        this.pool.run({ kind: 'ready', rules, together }).catch(() => undefined),
      ),
    );
  }

  async extract(conversation: Conversation, context: ExtractionContext): Promise<Insights> {
    return (await this.run({ kind: 'extract', conversation, context })) as Insights;
  }

  /** The customer's people the conversation names, to find its deal by (see customerNames). */
  async customerNames(conversation: Conversation, rules: OrgRules): Promise<string[]> {
    return (await this.run({ kind: 'names', conversation, rules })) as string[];
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async run(task: Exclude<ExtractionTask, { kind: 'ready' }>): Promise<Insights | string[]> {
    const rules = task.kind === 'extract' ? task.context.rules : task.rules;
    // A thread's first run with the org's rules is slow too: every thread runs them once, untimed.
    if (rules !== this.warmedWith) {
      this.warmedWith = rules;
      this.warm = this.warm.then(() => this.warmUp(rules));
    }
    await this.warm;
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      return await this.pool.run(task, { signal });
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
