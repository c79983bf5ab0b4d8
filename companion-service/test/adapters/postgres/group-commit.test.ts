import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import {
  GROUP_COMMIT_CHANNEL,
  GroupCommit,
  type GroupCommitTiming,
  type GroupCommitSettings,
  type GroupCommitter,
} from '../../../src/adapters/postgres/group-commit.js';
import { IntakeBusyError } from '../../../src/domain/source/ingest-queue.js';

/**
 * The batcher on its own, with a store the test controls: who shares a transaction, when each
 * caller hears back (never before its transaction has committed), what a failed transaction tells
 * its callers, and when new callers are turned away.
 */

const SETTINGS: GroupCommitSettings = {
  maxBatch: 10,
  lingerMs: 5,
  maxInFlight: 2,
  maxPending: 100,
  retryAfterSeconds: 1,
};

interface Transaction {
  items: string[];
  commit(): void;
  fail(error: unknown): void;
}

/** A store whose transactions commit only when the test says so; it stores each item as upper case. */
class HeldStore implements GroupCommitter<string, string> {
  readonly transactions: Transaction[] = [];
  readonly stored: string[] = [];
  /** Items the store refuses (the database's 22P05 on a NUL, say). */
  refuse = new Set<string>();

  commit(items: readonly string[]): Promise<PromiseSettledResult<string>[]> {
    return new Promise((resolve, reject) => {
      this.transactions.push({
        items: [...items],
        commit: () => {
          if (items.some((item) => this.refuse.has(item))) {
            return reject(Object.assign(new Error('invalid byte sequence'), { code: '22021' }));
          }
          this.stored.push(...items);
          resolve(items.map((item) => ({ status: 'fulfilled', value: item.toUpperCase() })));
        },
        fail: reject,
      });
    });
  }

  mayBeOneItem(error: unknown): boolean {
    return (error as { code?: string }).code === '22021';
  }

  failure(error: unknown): Error {
    return new Error(`not stored: ${(error as Error).message}`);
  }
}

/** Every promise callback and timer due by now has run. */
const turn = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await turn(5);
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Each promise's state now, without waiting for it. */
function watch<T>(promises: Promise<T>[]) {
  const states: ('pending' | 'resolved' | 'rejected')[] = promises.map(() => 'pending');
  promises.forEach((p, i) =>
    p.then(
      () => (states[i] = 'resolved'),
      () => (states[i] = 'rejected'),
    ),
  );
  return states;
}

describe('group commit', () => {
  it('puts the callers of one moment in one transaction and answers none of them before it commits', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, SETTINGS);
    const calls = ['a', 'b', 'c', 'd'].map((item) => group.submit(item));
    const states = watch(calls);

    await until(() => store.transactions.length === 1, 'the transaction starts');
    expect(store.transactions[0]!.items).toEqual(['a', 'b', 'c', 'd']);
    await turn(20);
    expect(states).toEqual(['pending', 'pending', 'pending', 'pending']);

    store.transactions[0]!.commit();
    expect(await Promise.all(calls)).toEqual(['A', 'B', 'C', 'D']);
    expect(store.transactions).toHaveLength(1);
  });

  it('commits a lone caller at once, without waiting for company', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, { ...SETTINGS, lingerMs: 10_000 });
    const call = group.submit('solo');
    await until(() => store.transactions.length === 1, 'the transaction starts');
    store.transactions[0]!.commit();
    expect(await call).toBe('SOLO');
  });

  it('starts a second transaction beside a committing one after the linger, not after that commit', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, SETTINGS);
    const first = group.submit('first');
    await until(() => store.transactions.length === 1, 'the first transaction starts');
    const later = ['x', 'y', 'z'].map((item) => group.submit(item));

    await until(() => store.transactions.length === 2, 'the second transaction starts');
    expect(store.transactions[1]!.items).toEqual(['x', 'y', 'z']);
    store.transactions[1]!.commit();
    expect(await Promise.all(later)).toEqual(['X', 'Y', 'Z']);
    // The first caller is still waiting for its own commit.
    expect(watch([first])).toEqual(['pending']);
    store.transactions[0]!.commit();
    expect(await first).toBe('FIRST');
  });

  it('keeps at most maxInFlight transactions committing, and at most maxBatch items in each', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, SETTINGS);
    const items = Array.from({ length: 35 }, (_, i) => `item-${i}`);
    const calls = items.map((item) => group.submit(item));

    await until(() => store.transactions.length === 2, 'two transactions start');
    await turn(30);
    expect(store.transactions).toHaveLength(2);
    expect(group.pending).toBe(35);
    while (store.stored.length < items.length) {
      const open = store.transactions.find((t) => !store.stored.includes(t.items[0]!));
      if (open) open.commit();
      await turn(1);
    }
    expect(await Promise.all(calls)).toEqual(items.map((i) => i.toUpperCase()));
    expect(store.transactions.map((t) => t.items.length)).toEqual([10, 10, 10, 5]);
    expect(group.pending).toBe(0);
  });

  it('turns every caller of a failed transaction away, and answers none of them as stored', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, SETTINGS);
    const calls = ['a', 'b', 'c'].map((item) => group.submit(item));
    await until(() => store.transactions.length === 1, 'the transaction starts');
    store.transactions[0]!.fail(new Error('could not write to file "pg_wal/000000010000000000000001"'));

    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason.message).toBe(
        'not stored: could not write to file "pg_wal/000000010000000000000001"',
      );
    }
    // Nothing was tried again alone: a failed disk is no one caller's fault.
    expect(store.transactions).toHaveLength(1);
  });

  it('tries each caller alone when a transaction may have failed for one item, and turns away only that one', async () => {
    const store = new HeldStore();
    store.refuse.add('bad');
    const group = new GroupCommit(store, SETTINGS);
    const settled = Promise.allSettled(['a', 'bad', 'c'].map((item) => group.submit(item)));
    await until(() => store.transactions.length === 1, 'the transaction starts');
    store.transactions[0]!.commit();
    for (let n = 2; n <= 4; n++) {
      await until(() => store.transactions.length === n, `transaction ${n} starts`);
      store.transactions[n - 1]!.commit();
    }
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('not stored: invalid byte sequence');
    expect(store.transactions.map((t) => t.items)).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect(store.stored).toEqual(['a', 'c']);
  });

  it('hands each caller the outcome the store gave its own item', async () => {
    const store: GroupCommitter<string, string> = {
      commit: async (items) =>
        items.map((item, i) =>
          i > 0 && items.indexOf(item) < i
            ? { status: 'fulfilled', value: `${item} (duplicate)` }
            : { status: 'fulfilled', value: item },
        ),
      mayBeOneItem: () => false,
      failure: (error) => error as Error,
    };
    const group = new GroupCommit(store, SETTINGS);
    const answers = await Promise.all(['k1', 'k2', 'k1'].map((item) => group.submit(item)));
    expect(answers).toEqual(['k1', 'k2', 'k1 (duplicate)']);
  });

  it('refuses callers beyond maxPending at once, with when to come back, and takes them again after', async () => {
    const store = new HeldStore();
    const group = new GroupCommit(store, { ...SETTINGS, maxPending: 3 });
    const held = ['a', 'b', 'c'].map((item) => group.submit(item));
    await until(() => store.transactions.length === 1, 'the transaction starts');

    const refused = await group.submit('d').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IntakeBusyError);
    expect((refused as IntakeBusyError).retryAfterSeconds).toBe(1);
    expect((refused as IntakeBusyError).retryable).toBe(true);
    expect(store.transactions.flatMap((t) => t.items)).not.toContain('d');

    store.transactions[0]!.commit();
    await Promise.all(held);
    const again = group.submit('d');
    await until(() => store.transactions.length === 2, 'the next transaction starts');
    store.transactions[1]!.commit();
    expect(await again).toBe('D');
  });

  it("publishes each committed transaction's size, its wait for company and its commit time to subscribers", async () => {
    let clock = 0;
    const store = new HeldStore();
    const group = new GroupCommit(store, SETTINGS, () => clock);
    const seen: GroupCommitTiming[] = [];
    const listener = (timing: unknown) => seen.push(timing as GroupCommitTiming);
    subscribe(GROUP_COMMIT_CHANNEL, listener);
    try {
      const calls = ['a', 'b'].map((item) => group.submit(item));
      clock = 3;
      await until(() => store.transactions.length === 1, 'the transaction starts');
      clock = 10;
      store.transactions[0]!.commit();
      await Promise.all(calls);
      expect(seen).toEqual([{ items: 2, waitedMs: 3, commitMs: 7 }]);
    } finally {
      unsubscribe(GROUP_COMMIT_CHANNEL, listener);
    }
  });
});
