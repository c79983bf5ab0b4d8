import { logit, type SparseRows } from './penalized-logistic.js';
import { shrinkRates, type GroupCounts, type ShrunkenRates } from './shrunken-rates.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample } from './training-set.js';
import { StringPool } from '../pipeline/string-pool.js';
import {
  closedTable,
  exampleTable,
  snapshotTable,
  type ClosedTable,
  type SnapshotTable,
} from './snapshot-table.js';

/**
 * Turns a deal snapshot into the numbers the regression reads, grouped into the factors a sales
 * manager recognizes. Continuous features are standardized on the training snapshots; a missing
 * value sits at the mean and raises its own indicator, so "unknown" is never read as "zero days".
 * The owner's and product's win rates enter as their shrunken log-odds against the base rate; for a
 * training row the deal's own outcome is taken out of its owner's rate, or the regression would
 * learn from the answer. Snapshots are read as a table (snapshot-table.ts), a row at a time.
 */

export type FactorName =
  'base rate' | 'stage' | 'age' | 'days in stage' | 'engagement recency' | 'amount' | 'owner' | 'product';

/** A row's own outcome for the group rates: 1 won, 0 lost, -1 none (a deal being scored). */
type Own = number;
const NO_OUTCOME = -1;

interface Column {
  name: string;
  factor: FactorName;
  read(t: SnapshotTable, r: number, own: Own): number;
}

export interface TableEncoder {
  columns: readonly { name: string; factor: FactorName }[];
  /** Row r's features into `out` (as long as the columns), with its own outcome when a training row. */
  encodeRow(t: SnapshotTable, r: number, own: boolean | null, out: Float64Array): Float64Array;
  /** The rows' features as sparse rows; `own` gives each row's outcome (training) or null. */
  encodeRows(t: SnapshotTable, rows: ArrayLike<number>, own: Uint8Array | null): SparseRows;
  ownerRates: ShrunkenRates;
  productRates: ShrunkenRates;
}

export interface FeatureEncoder {
  columns: readonly { name: string; factor: FactorName }[];
  encode(s: DealSnapshot, own?: boolean | null): number[];
  ownerRates: ShrunkenRates;
  productRates: ShrunkenRates;
}

const MIN_STAGE_EXAMPLES = 20;

/** The encoder over record snapshots, as before the tables: the same numbers, read through one. */
export function buildEncoder(
  examples: readonly TrainingExample[],
  closed: readonly { owner: string | null; product: string | null; won: boolean }[],
  baseRate: number,
): FeatureEncoder {
  const pool = new StringPool();
  const table = exampleTable(examples, pool);
  const closedRows = closedTable(
    closed.map((c) => ({ ...c, closedOn: '1970-01-01' })),
    pool,
  );
  const encoder = tableEncoder(table, identity(table.count), closedRows, closedRows.count, baseRate);
  const out = new Float64Array(encoder.columns.length);
  return {
    columns: encoder.columns,
    encode: (s, own = null) => Array.from(encoder.encodeRow(snapshotTable([s], pool), 0, own, out)),
    ownerRates: encoder.ownerRates,
    productRates: encoder.productRates,
  };
}

export const identity = (n: number) => {
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[r] = r;
  return rows;
};

/**
 * The encoder learned from the training rows `rows` of `examples` and the first `closedCount`
 * closed deals (the ones closed by the training cutoff).
 */
export function tableEncoder(
  examples: SnapshotTable,
  rows: ArrayLike<number>,
  closed: ClosedTable,
  closedCount: number,
  baseRate: number,
): TableEncoder {
  const names = examples.names;
  const ownerRates = shrinkRates(countBy(closed, closedCount, closed.owner, names), baseRate);
  const productRates = shrinkRates(countBy(closed, closedCount, closed.product, names), baseRate);
  const columns: Column[] = [{ name: 'intercept', factor: 'base rate', read: () => 1 }];

  const stageCounts = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) {
    const stage = examples.stage[rows[k]!]!;
    stageCounts.set(stage, (stageCounts.get(stage) ?? 0) + 1);
  }
  const stages = [...stageCounts]
    .filter(([, n]) => n >= MIN_STAGE_EXAMPLES)
    .map(([s]) => ({ id: s, name: names.value(s)! }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (stages.length > 1) {
    for (const stage of stages) {
      columns.push({
        name: `stage=${stage.name}`,
        factor: 'stage',
        read: (t, r) => (t.stage[r] === stage.id ? 1 : 0),
      });
    }
  }

  const continuous: [string, FactorName, (t: SnapshotTable, r: number) => number | null][] = [
    [
      'log age',
      'age',
      (t, r) => (Number.isNaN(t.ageDays[r]) ? null : Math.log1p(Math.max(0, t.ageDays[r]!))),
    ],
    [
      'log days in stage',
      'days in stage',
      (t, r) => (Number.isNaN(t.daysInStage[r]) ? null : Math.log1p(Math.max(0, t.daysInStage[r]!))),
    ],
    [
      'days since activity',
      'engagement recency',
      (t, r) =>
        Number.isNaN(t.daysSinceActivity[r]) ? null : Math.min(120, Math.max(0, t.daysSinceActivity[r]!)),
    ],
    [
      'log amount',
      'amount',
      (t, r) => (Number.isNaN(t.amount[r]) || t.amount[r]! <= 0 ? null : Math.log(t.amount[r]!)),
    ],
  ];
  for (const [name, factor, read] of continuous) {
    const values: number[] = [];
    for (let k = 0; k < rows.length; k++) {
      const v = read(examples, rows[k]!);
      if (v !== null) values.push(v);
    }
    if (values.length < MIN_STAGE_EXAMPLES) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    if (sd < 1e-9) continue;
    columns.push({ name, factor, read: (t, r) => ((read(t, r) ?? mean) - mean) / sd });
    if (values.length < rows.length) {
      columns.push({ name: `${name} unknown`, factor, read: (t, r) => (read(t, r) === null ? 1 : 0) });
    }
  }

  const base = logit(baseRate);
  const groupColumn = (
    name: string,
    factor: FactorName,
    rates: ShrunkenRates,
    key: (t: SnapshotTable) => Uint32Array,
  ): Column => {
    // A group's three values (scored, own win, own loss) are worked out once per group, not per row.
    const memo = new Map<number, [number, number, number]>();
    const valuesOf = (id: number) => {
      const group = names.value(id);
      const scored = logit(rates.rate(group)) - base;
      if (group === null || !Number.isFinite(rates.priorDeals)) return [scored, scored, scored] as const;
      const g = rates.raw.get(group);
      if (!g) return [scored, 0, 0] as const;
      const m = rates.priorDeals;
      const without = (own: number) => logit((g.wins - own + m * baseRate) / (g.deals - 1 + m)) - base;
      return [scored, without(1), without(0)] as const;
    };
    return {
      name,
      factor,
      read: (t, r, own) => {
        const id = key(t)[r]!;
        let v = memo.get(id);
        if (v === undefined) memo.set(id, (v = [...valuesOf(id)]));
        return own === NO_OUTCOME ? v[0] : own === 1 ? v[1] : v[2];
      },
    };
  };
  if (Number.isFinite(ownerRates.priorDeals))
    columns.push(groupColumn('owner win rate', 'owner', ownerRates, (t) => t.owner));
  if (Number.isFinite(productRates.priorDeals))
    columns.push(groupColumn('product win rate', 'product', productRates, (t) => t.product));

  const k = columns.length;
  return {
    columns: columns.map(({ name, factor }) => ({ name, factor })),
    encodeRow(t, r, own, out) {
      const o = own === null ? NO_OUTCOME : own ? 1 : 0;
      for (let j = 0; j < k; j++) out[j] = columns[j]!.read(t, r, o);
      return out;
    },
    encodeRows(t, rows, own) {
      // Zeros are left out as they are met (sparseRows' rule), so no dense row is ever held.
      const start = new Int32Array(rows.length + 1);
      let column = new Int32Array(Math.max(16, rows.length * 4));
      let value = new Float64Array(column.length);
      let at = 0;
      for (let q = 0; q < rows.length; q++) {
        const r = rows[q]!;
        const o = own === null ? NO_OUTCOME : own[r]!;
        if (at + k > column.length) {
          const size = Math.max(column.length * 2, at + k);
          const c = new Int32Array(size);
          c.set(column);
          column = c;
          const v = new Float64Array(size);
          v.set(value);
          value = v;
        }
        for (let j = 0; j < k; j++) {
          const x = columns[j]!.read(t, r, o);
          if (x === 0) continue;
          column[at] = j;
          value[at++] = x;
        }
        start[q + 1] = at;
      }
      return { rows: rows.length, columns: k, start, column: column.slice(0, at), value: value.slice(0, at) };
    },
    ownerRates,
    productRates,
  };
}

/** Wins and deals per group among the first `count` closed deals, groups in order of first close. */
function countBy(
  closed: ClosedTable,
  count: number,
  key: Uint32Array,
  names: SnapshotTable['names'],
): Map<string, GroupCounts> {
  const counts = new Map<string, GroupCounts>();
  for (let c = 0; c < count; c++) {
    const k = names.value(key[c]!);
    if (k === null) continue;
    const g = counts.get(k) ?? { wins: 0, deals: 0 };
    g.deals++;
    if (closed.won[c]) g.wins++;
    counts.set(k, g);
  }
  return counts;
}
