import { channel } from 'node:diagnostics_channel';
import { IntakeBusyError } from '../../domain/source/ingest-queue.js';

/**
 * Group commit: callers that arrive close together share one transaction, so many webhooks pay for
 * one WAL flush instead of one each. A caller's promise settles only after the transaction holding
 * its item has committed (or failed), so whoever acks on it acks a durable row.
 *
 * When nothing is committing, the callers of this turn of the event loop commit at once: a lone
 * caller waits for no timer. While transactions are committing, newcomers wait up to `lingerMs` for
 * company (or until `maxBatch` of them are waiting), then commit beside the running ones, up to
 * `maxInFlight` at a time: Postgres flushes the WAL of commits that arrive together once, and a
 * caller never waits for a whole commit it is not part of. Beyond `maxPending` callers waiting or
 * committing, new ones are refused at once (IntakeBusyError) instead of queueing in memory.
 */

/**
 * Each transaction's size and timing, published on a diagnostics channel so a benchmark or a probe
 * can tell waiting for company from waiting for the commit without the service logging per webhook.
 * Nothing is measured when nobody subscribes.
 */
export const GROUP_COMMIT_CHANNEL = 'scribe:group-commit';
export interface GroupCommitTiming {
  items: number;
  /** How long the batch's first item waited before its transaction began, ms. */
  waitedMs: number;
  /** From the transaction's start to its outcome (the commit's flush included), ms. */
  commitMs: number;
}
const timings = channel(GROUP_COMMIT_CHANNEL);

export interface GroupCommitSettings {
  /** The most items one transaction holds. */
  maxBatch: number;
  /** How long an item may wait for others while another transaction is committing. */
  lingerMs: number;
  /** Transactions committing at once (each holds a database connection). */
  maxInFlight: number;
  /** Items waiting or committing before new ones are refused. */
  maxPending: number;
  /** What a refused caller is told to wait before sending again. */
  retryAfterSeconds: number;
}

export interface GroupCommitter<Item, Outcome> {
  /**
   * Stores the items in one transaction and answers one outcome per item, in order: fulfilled, or
   * rejected for that item alone (the others still committed). Throws when nothing was committed.
   */
  commit(items: readonly Item[]): Promise<PromiseSettledResult<Outcome>[]>;
  /** Whether a failed transaction may be one item's fault: then each item is tried alone. */
  mayBeOneItem(error: unknown): boolean;
  /** What each caller of a failed transaction hears. */
  failure(error: unknown): Error;
}

interface Waiting<Item, Outcome> {
  item: Item;
  since: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Item, Outcome> {
  private waiting: Waiting<Item, Outcome>[] = [];
  private inFlight = 0;
  private committing = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly committer: GroupCommitter<Item, Outcome>,
    private readonly settings: GroupCommitSettings,
    /** The clock the linger is measured on; tests may pass their own. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Callers waiting for a transaction or inside one. */
  get pending(): number {
    return this.waiting.length + this.committing;
  }

  submit(item: Item): Promise<Outcome> {
    if (this.pending >= this.settings.maxPending) {
      return Promise.reject(new IntakeBusyError(this.pending, this.settings.retryAfterSeconds));
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ item, since: this.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Decides when the waiting callers commit; called on each arrival and after each commit. */
  private schedule(): void {
    if (this.waiting.length === 0 || this.inFlight >= this.settings.maxInFlight) return;
    if (this.waiting.length >= this.settings.maxBatch) return this.flush();
    if (this.inFlight === 0) {
      // Not a timer: only the callers whose requests were read in this turn join in.
      this.immediate ??= setImmediate(() => this.flush());
      return;
    }
    if (this.timer) return;
    const waited = this.now() - this.waiting[0]!.since;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.settings.lingerMs - waited));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    if (this.waiting.length === 0 || this.inFlight >= this.settings.maxInFlight) return;
    const batch = this.waiting.splice(0, this.settings.maxBatch);
    this.inFlight += 1;
    this.committing += batch.length;
    void this.commitBatch(batch).finally(() => {
      this.inFlight -= 1;
      this.committing -= batch.length;
      this.schedule();
    });
    this.schedule();
  }

  private async commitBatch(batch: Waiting<Item, Outcome>[]): Promise<void> {
    try {
      const started = this.now();
      const outcomes = await this.committer.commit(batch.map((w) => w.item));
      if (timings.hasSubscribers) {
        timings.publish({
          items: batch.length,
          waitedMs: started - batch[0]!.since,
          commitMs: this.now() - started,
        } satisfies GroupCommitTiming);
      }
      this.settle(batch, outcomes);
    } catch (error) {
      if (batch.length > 1 && this.committer.mayBeOneItem(error)) {
        for (const one of batch) await this.commitBatch([one]);
        return;
      }
      const failure = this.committer.failure(error);
      for (const waiting of batch) waiting.reject(failure);
    }
  }

  private settle(batch: Waiting<Item, Outcome>[], outcomes: PromiseSettledResult<Outcome>[]): void {
    if (outcomes.length !== batch.length) {
      throw new Error(`the commit answered ${outcomes.length} outcomes for ${batch.length} items`);
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]!;
      if (outcome.status === 'fulfilled') waiting.resolve(outcome.value);
      else waiting.reject(outcome.reason);
    });
  }
}
