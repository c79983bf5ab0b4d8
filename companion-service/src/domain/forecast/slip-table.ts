import { NO_DAY } from '../pipeline/pipeline-columns.js';
import { StringPool } from '../pipeline/string-pool.js';
import { dayOf, snapshotTable, type SnapshotTable } from './snapshot-table.js';
import type { SlipSnapshot, SlipTrainingSet } from './slip-training.js';

/**
 * The slip warning's snapshots as columns (snapshot-table.ts, plus the close date each showed):
 * the column forecast fills them straight from the pipeline's columns, the record forecast turns
 * its slip snapshots into them, so both are learned and scored by the same arithmetic.
 */
export interface SlipSnapshotTable extends SnapshotTable {
  /** The close date the deal showed then, as a day; NO_DAY for none. */
  closeDay: Int32Array;
  /** Days from the snapshot's date to that close date; NaN without one. */
  daysToClose: Float64Array;
  /** Times the close date had been moved later by then. */
  pushes: Float64Array;
}

/** Labelled slip snapshots, oldest date first: whether the deal missed the close date it showed. */
export interface SlipExampleTable extends SlipSnapshotTable {
  slipped: Uint8Array;
}

/**
 * Each commitment (a deal and a close date it showed) once, in the order first met: the base rate
 * and the owners' slip rates count these, not snapshots.
 */
export interface CommitmentTable {
  count: number;
  /** In the snapshots' pool. */
  owner: Uint32Array;
  slipped: Uint8Array;
  dueDay: Int32Array;
}

/** What the slip warning learns from, as tables. */
export interface SlipTraining {
  asOf: string;
  examples: SlipExampleTable;
  commitments: CommitmentTable;
}

/** Record slip snapshots as a table, their strings interned in `pool`. */
export function slipSnapshotTable(snapshots: readonly SlipSnapshot[], pool: StringPool): SlipSnapshotTable {
  return {
    ...snapshotTable(snapshots, pool),
    closeDay: Int32Array.from(snapshots, (s) => (s.closeDate === null ? NO_DAY : dayOf(s.closeDate))),
    daysToClose: Float64Array.from(snapshots, (s) => s.daysToClose),
    pushes: Float64Array.from(snapshots, (s) => s.pushes),
  };
}

/** A record slip training set as tables over `pool`. */
export function slipTrainingOf(training: SlipTrainingSet, pool: StringPool): SlipTraining {
  const commitments = [...training.commitments.values()];
  return {
    asOf: training.asOf,
    examples: {
      ...slipSnapshotTable(
        training.examples.map((e) => e.snapshot),
        pool,
      ),
      slipped: Uint8Array.from(training.examples, (e) => (e.slipped ? 1 : 0)),
    },
    commitments: {
      count: commitments.length,
      owner: Uint32Array.from(commitments, (c) => pool.intern(c.owner)),
      slipped: Uint8Array.from(commitments, (c) => (c.slipped ? 1 : 0)),
      dueDay: Int32Array.from(commitments, (c) => dayOf(c.dueOn)),
    },
  };
}
