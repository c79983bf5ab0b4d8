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
   * A new thread loads the extractor first (seconds under tsx): that is not a conversation's time,
   * so each timed task waits until a thread has answered since the pool started or a thread was stopped.
   */
  private warm: Promise<unknown>;

  constructor(private readonly settings: ExtractionPoolSettings) {
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: 1,
      maxThreads: settings.threads,
      // A stopped thread is replaced on the next task; an idle one is kept a minute, not forever.
      idleTimeout: 60_000,
    });
    this.warm = this.warmUp();
  }

  private warmUp(rules?: OrgRules): Promise<unknown> {
    return this.pool.run({ kind: 'ready', rules }).catch(() => undefined);
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
    await this.warm;
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      return await this.pool.run(task, { signal });
    } catch (error) {
      if (!signal.aborted) throw error;
      this.warm = this.warmUp(task.kind === 'extract' ? task.context.rules : task.rules);
      throw new ExtractionRefused(
        `extracting the conversation (${conversation(task)}) took longer than ${this.settings.timeoutMs} ms and was stopped; shorten it or raise SCRIBE_EXTRACT_TIMEOUT_MS`,
      );
    }
  }
}

function conversation(task: Exclude<ExtractionTask, { kind: 'ready' }>): string {
  return `${task.conversation.text.length} characters`;
}
