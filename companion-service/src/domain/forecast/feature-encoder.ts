import { betweenGroupVariance, type GroupCounts } from './shrunken-rates.js';
import type { SparseRows } from './penalized-logistic.js';
import type { ExampleTable, SnapshotTable } from './snapshot-table.js';
import { NO_STRING } from '../pipeline/string-pool.js';

/**
 * Turns a deal snapshot into the numbers the regression reads, grouped into the factors a sales
 * manager recognizes, in two blocks that are shrunk differently:
 *
 * - groups (stage, owner, product): one column per stage, rep or product, each group's columns held
 *   toward the base rate by a penalty its own evidence sets (empirical Bayes: how much the groups'
 *   win rates differ beyond chance, against how many deals each has). A team with 150 closed deals
 *   and four stages that really differ gets stage rates at once; reps who differ no more than coin
 *   flips get none.
 * - features (a level, age, time in stage, engagement recency, amount): standardized on the training
 *   snapshots; a missing value sits at the mean and raises its own indicator, so "unknown" is never
 *   read as "zero days". Their penalty is chosen by time-ordered cross-validation (win-model.ts).
 */

export type FactorName =
  'base rate' | 'stage' | 'age' | 'days in stage' | 'engagement recency' | 'amount' | 'owner' | 'product';

export type GroupFactor = 'stage' | 'owner' | 'product';

export interface EncodedColumn {
  name: string;
  factor: FactorName;
  block: 'group' | 'feature';
}

/** What the training snapshots say about how much one kind of group matters. */
export interface GroupPrior {
  factor: GroupFactor;
  /** Distinct stages, reps or products among the training snapshots. */
  groups: number;
  /** Variance of the groups' true effects in log-odds; 0 when they differ no more than chance. */
  variance: number;
  /** The L2 penalty on the group's columns; null when the group is left out (no real difference). */
  penalty: number | null;
  /** The same prior as pseudo-deals of a beta prior per group; Infinity when left out. */
  priorDeals: number;
  /** True when the groups differed in the training deals but not on later held-out snapshots. */
  heldOutRejected?: boolean;
}

export interface FeatureEncoder {
  columns: readonly EncodedColumn[];
  /**
   * Row `r` of a table (sharing the training table's pool) as its non-zero entries, in column
   * order: their columns into `columns`, their values into `values`; returns how many there are.
   */
  encodeRow(t: SnapshotTable, r: number, columns: Int32Array, values: Float64Array): number;
  /** The rows' features as sparse rows, what `sparseRows` makes of the dense rows. */
  encodeRows(t: SnapshotTable, rows: ArrayLike<number>): SparseRows;
  groups: readonly GroupPrior[];
}

/**
 * Each training snapshot's weight: one over its deal's number of snapshots, so every closed deal
 * counts once. A deal open for months is seen at many dates but its outcome is one piece of evidence,
 * and counting it at every date would let the few long deals outweigh the many short ones.
 */
export function dealWeights(examples: ExampleTable, rows: ArrayLike<number>): Float64Array {
  const snapshots = new Int32Array(examples.deals);
  for (let q = 0; q < rows.length; q++) snapshots[examples.deal[rows[q]!]!]!++;
  const weights = new Float64Array(rows.length);
  for (let q = 0; q < rows.length; q++) weights[q] = 1 / snapshots[examples.deal[rows[q]!]!]!;
  return weights;
}

/** Fewer known values than this and a continuous feature's mean and spread are not worth reading. */
const MIN_FEATURE_VALUES = 20;

const GROUP_KEYS: readonly [GroupFactor, (t: SnapshotTable) => Uint32Array][] = [
  ['stage', (t) => t.stage],
  ['owner', (t) => t.owner],
  ['product', (t) => t.product],
];

/** A continuous feature of row r; NaN when the snapshot does not know it. */
type Reading = (t: SnapshotTable, r: number) => number;

const CONTINUOUS: readonly [string, FactorName, Reading][] = [
  ['log age', 'age', (t, r) => Math.log1p(Math.max(0, t.ageDays[r]!))],
  ['log days in stage', 'days in stage', (t, r) => Math.log1p(Math.max(0, t.daysInStage[r]!))],
  [
    'days since activity',
    'engagement recency',
    (t, r) => Math.min(120, Math.max(0, t.daysSinceActivity[r]!)),
  ],
  ['log amount', 'amount', (t, r) => (t.amount[r]! <= 0 ? NaN : Math.log(t.amount[r]!))],
];

interface Feature {
  read: Reading;
  mean: number;
  sd: number;
  /** The value's column, and its "unknown" indicator's (-1 when every training row knew it). */
  column: number;
  unknown: number;
}

/**
 * The encoder learned from rows `rows` of a training table. Rows of any table over the same pool
 * are encoded straight from its typed arrays: the group columns by the level's id, the features
 * by arithmetic, zeros left out as they are met, so no dense row and no snapshot object is made.
 */
export function buildEncoder(
  examples: ExampleTable,
  rows: ArrayLike<number>,
  baseRate: number,
): FeatureEncoder {
  const weights = dealWeights(examples, rows);
  const columns: EncodedColumn[] = [];
  const groups: GroupPrior[] = [];
  /** Per group factor kept: the column of each level id. */
  const levelColumns: [(t: SnapshotTable) => Uint32Array, Map<number, number>][] = [];
  for (const [factor, key] of GROUP_KEYS) {
    const prior = groupPrior(examples, rows, weights, factor, key(examples), baseRate);
    groups.push(prior.summary);
    if (prior.summary.penalty === null) continue;
    const byLevel = new Map<number, number>();
    for (const level of prior.levels) {
      byLevel.set(level, columns.length);
      columns.push({ name: `${factor}=${examples.names.value(level)}`, factor, block: 'group' });
    }
    levelColumns.push([key, byLevel]);
  }

  const intercept = columns.length;
  columns.push({ name: 'intercept', factor: 'base rate', block: 'feature' });
  const features: Feature[] = [];
  for (const [name, factor, read] of CONTINUOUS) {
    let known = 0;
    let sum = 0;
    for (let q = 0; q < rows.length; q++) {
      const v = read(examples, rows[q]!);
      if (Number.isNaN(v)) continue;
      known++;
      sum += v;
    }
    if (known < MIN_FEATURE_VALUES) continue;
    const mean = sum / known;
    let squares = 0;
    for (let q = 0; q < rows.length; q++) {
      const v = read(examples, rows[q]!);
      if (!Number.isNaN(v)) squares += (v - mean) ** 2;
    }
    const sd = Math.sqrt(squares / known);
    if (sd < 1e-9) continue;
    const column = columns.length;
    columns.push({ name, factor, block: 'feature' });
    let unknown = -1;
    if (known < rows.length) {
      unknown = columns.length;
      columns.push({ name: `${name} unknown`, factor, block: 'feature' });
    }
    features.push({ read, mean, sd, column, unknown });
  }

  const encodeRow = (t: SnapshotTable, r: number, out: Int32Array, values: Float64Array) => {
    if (t.names !== examples.names)
      throw new Error("the snapshots to score must share the training snapshots' pool of names");
    let n = 0;
    for (const [key, byLevel] of levelColumns) {
      const column = byLevel.get(key(t)[r]!);
      if (column === undefined) continue;
      out[n] = column;
      values[n++] = 1;
    }
    out[n] = intercept;
    values[n++] = 1;
    for (const f of features) {
      const v = f.read(t, r);
      // A missing value sits at the mean (zero, left out) and raises its indicator.
      const x = Number.isNaN(v) ? 0 : (v - f.mean) / f.sd;
      if (x !== 0) {
        out[n] = f.column;
        values[n++] = x;
      }
      if (f.unknown >= 0 && Number.isNaN(v)) {
        out[n] = f.unknown;
        values[n++] = 1;
      }
    }
    return n;
  };

  return {
    columns,
    encodeRow,
    encodeRows(t, rows) {
      const k = columns.length;
      const start = new Int32Array(rows.length + 1);
      let column = new Int32Array(Math.max(k, rows.length * 4));
      let value = new Float64Array(column.length);
      let at = 0;
      const rowColumns = new Int32Array(k);
      const rowValues = new Float64Array(k);
      for (let q = 0; q < rows.length; q++) {
        const n = encodeRow(t, rows[q]!, rowColumns, rowValues);
        if (at + n > column.length) {
          const size = Math.max(column.length * 2, at + n);
          const c = new Int32Array(size);
          c.set(column);
          column = c;
          const v = new Float64Array(size);
          v.set(value);
          value = v;
        }
        column.set(rowColumns.subarray(0, n), at);
        value.set(rowValues.subarray(0, n), at);
        at += n;
        start[q + 1] = at;
      }
      return { rows: rows.length, columns: k, start, column: column.slice(0, at), value: value.slice(0, at) };
    },
    groups,
  };
}

/**
 * The groups' spread counts only beyond what chance reaches 19 times in 20 (the chi-square test of
 * homogeneity on effective counts, its critical value by Wilson-Hilferty, within a few percent for
 * any number of groups). The method-of-moments spread alone comes out positive in half of all
 * pipelines where the groups do not differ at all, and, where they differ a little, it overstates
 * them just when the sample is small; with a dozen reps of ten deals each that noise makes the
 * forecast worse than the base rate. Discounting chance's 95th percentile instead of its average
 * leaves the groups out unless the test rejects, and shrinks them harder the nearer it came to not.
 */
const GROUP_TEST_Z = 1.645;

function spreadBeyondChance(counts: readonly GroupCounts[], p: number): number {
  const present = counts.filter((g) => g.deals > 0);
  const k = present.length - 1;
  if (k < 1 || p <= 0 || p >= 1) return 0;
  const critical = k * (1 - 2 / (9 * k) + GROUP_TEST_Z * Math.sqrt(2 / (9 * k))) ** 3;
  // Sampling's share of the deal-weighted spread is (k + 1) p(1 - p) / deals, the statistic's mean
  // k + 1 in its units; scaling it to the critical value makes the spread zero exactly at the test's edge.
  return betweenGroupVariance(present, p, critical / (k + 1));
}

/**
 * One kind of group's prior from the training snapshots, each deal counted once (its snapshots'
 * weights sum to one; a deal seen in two stages counts partly in each). A group's evidence is its
 * effective number of deals, (sum of weights)^2 / sum of squared weights. The spread of the groups'
 * true win rates (method of moments, shrunken-rates.ts) becomes a log-odds variance tau^2 through
 * the logistic slope p(1 - p), and the penalty on the group's columns is 1 / tau^2.
 */
function groupPrior(
  examples: ExampleTable,
  rows: ArrayLike<number>,
  weights: Float64Array,
  factor: GroupFactor,
  key: Uint32Array,
  baseRate: number,
): { summary: GroupPrior; levels: number[] } {
  // Each (level, deal) pair gets a slot the first time it is met, so a level's deals are summed in
  // the order they were met and the levels in theirs. A deal's slots are chained from it: a deal
  // sits in one owner and product and a few stages, so finding its pair is a step or two.
  const levelOf = new Map<number, number>();
  const levels: number[] = [];
  const firstSlot = new Int32Array(examples.deals).fill(-1);
  const nextSlot: number[] = [];
  const slotLevel: number[] = [];
  const slotWeight: number[] = [];
  const slotWon: boolean[] = [];
  let lastLevel = -1;
  let lastIndex = -1;
  for (let q = 0; q < rows.length; q++) {
    const r = rows[q]!;
    const level = key[r]!;
    if (level === NO_STRING) continue;
    let l = level === lastLevel ? lastIndex : levelOf.get(level);
    if (l === undefined) {
      levelOf.set(level, (l = levels.length));
      levels.push(level);
    }
    lastLevel = level;
    lastIndex = l;
    const deal = examples.deal[r]!;
    let slot = firstSlot[deal]!;
    while (slot >= 0 && slotLevel[slot] !== l) slot = nextSlot[slot]!;
    if (slot < 0) {
      slot = slotLevel.length;
      nextSlot.push(firstSlot[deal]!);
      firstSlot[deal] = slot;
      slotLevel.push(l);
      slotWeight.push(0);
      slotWon.push(examples.won[r] === 1);
    }
    slotWeight[slot]! += weights[q]!;
  }
  const total = new Float64Array(levels.length);
  const squares = new Float64Array(levels.length);
  const won = new Float64Array(levels.length);
  for (let slot = 0; slot < slotLevel.length; slot++) {
    const l = slotLevel[slot]!;
    const weight = slotWeight[slot]!;
    total[l]! += weight;
    squares[l]! += weight * weight;
    if (slotWon[slot]) won[l]! += weight;
  }
  const counts: GroupCounts[] = levels.map((_, l) => {
    const effective = (total[l]! * total[l]!) / squares[l]!;
    return { wins: (won[l]! / total[l]!) * effective, deals: effective };
  });
  const between = spreadBeyondChance(counts, baseRate);
  const slope = baseRate * (1 - baseRate);
  const variance = between <= 1e-6 ? 0 : between / (slope * slope);
  const name = (level: number) => examples.names.value(level)!;
  const sorted = levels.toSorted((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return {
    summary: {
      factor,
      groups: sorted.length,
      variance,
      penalty: variance === 0 ? null : 1 / variance,
      priorDeals: variance === 0 ? Infinity : Math.max(1, slope / between - 1),
    },
    levels: sorted,
  };
}
