import { logit, type SparseRows } from './penalized-logistic.js';
import { shrinkRates, type GroupCounts, type ShrunkenRates } from './shrunken-rates.js';
import type { CommitmentTable, SlipExampleTable, SlipSnapshotTable } from './slip-table.js';

/**
 * Turns a deal's slip snapshot into the numbers the slip regression reads, grouped into factors a
 * sales manager recognizes. As in the win model's encoder, continuous features are standardized on
 * the training rows and a missing value sits at the mean with its own indicator. The owner's slip
 * rate counts commitments (a deal and the close date it showed), not snapshots, since one deal is
 * seen at many dates; a training row's own commitment is taken out of its owner's rate.
 */

export type SlipFactorName =
  | 'base rate'
  | 'stage'
  | 'days to close date'
  | 'earlier pushes'
  | 'age'
  | 'days in stage'
  | 'engagement recency'
  | 'amount'
  | 'owner';

/** A training row's own outcome (1 slipped, 0 kept), or NONE for a deal being scored. */
const NONE = -1;

interface Column {
  name: string;
  factor: SlipFactorName;
  read(t: SlipSnapshotTable, r: number, own: number): number;
}

export interface SlipEncoder {
  columns: readonly { name: string; factor: SlipFactorName }[];
  /** Row r's features into `out` (as long as the columns), with its own outcome when a training row. */
  encodeRow(t: SlipSnapshotTable, r: number, own: boolean | null, out: Float64Array): Float64Array;
  /** The rows' features as sparse rows; `own` gives each row's outcome (training) or null. */
  encodeRows(t: SlipSnapshotTable, rows: ArrayLike<number>, own: Uint8Array | null): SparseRows;
  ownerRates: ShrunkenRates;
}

const MIN_EXAMPLES = 20;
const MAX_PUSHES = 5;

/** A continuous feature of row r; NaN when the snapshot does not know it. */
type Reading = (t: SlipSnapshotTable, r: number) => number;
const log1p = (v: number) => (Number.isFinite(v) ? Math.log1p(Math.max(0, v)) : NaN);
const CONTINUOUS: readonly [string, SlipFactorName, Reading][] = [
  ['log days to close', 'days to close date', (t, r) => log1p(t.daysToClose[r]!)],
  ['pushes', 'earlier pushes', (t, r) => Math.min(MAX_PUSHES, t.pushes[r]!)],
  ['log age', 'age', (t, r) => log1p(t.ageDays[r]!)],
  ['log days in stage', 'days in stage', (t, r) => log1p(t.daysInStage[r]!)],
  [
    'days since activity',
    'engagement recency',
    (t, r) => Math.min(120, Math.max(0, t.daysSinceActivity[r]!)),
  ],
  ['log amount', 'amount', (t, r) => (t.amount[r]! <= 0 ? NaN : Math.log(t.amount[r]!))],
];

/**
 * The encoder learned from rows `rows` of the training table and the commitments `commitments`
 * of the commitment table (those known by the training cutoff), in order.
 */
export function buildSlipEncoder(
  examples: SlipExampleTable,
  rows: ArrayLike<number>,
  table: CommitmentTable,
  commitments: ArrayLike<number>,
  baseRate: number,
): SlipEncoder {
  const names = examples.names;
  const counts = new Map<string, GroupCounts>();
  for (let q = 0; q < commitments.length; q++) {
    const c = commitments[q]!;
    const owner = names.value(table.owner[c]!);
    if (owner === null) continue;
    const g = counts.get(owner) ?? { wins: 0, deals: 0 };
    g.deals++;
    if (table.slipped[c]) g.wins++;
    counts.set(owner, g);
  }
  const ownerRates = shrinkRates(counts, baseRate);
  const columns: Column[] = [{ name: 'intercept', factor: 'base rate', read: () => 1 }];

  const stageCounts = new Map<number, number>();
  for (let q = 0; q < rows.length; q++) {
    const stage = examples.stage[rows[q]!]!;
    stageCounts.set(stage, (stageCounts.get(stage) ?? 0) + 1);
  }
  const stages = [...stageCounts]
    .filter(([, n]) => n >= MIN_EXAMPLES)
    .map(([id]) => ({ id, name: names.value(id)! }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (stages.length > 1) {
    for (const stage of stages)
      columns.push({
        name: `stage=${stage.name}`,
        factor: 'stage',
        read: (t, r) => (t.stage[r] === stage.id ? 1 : 0),
      });
  }

  for (const [name, factor, read] of CONTINUOUS) {
    let known = 0;
    let sum = 0;
    for (let q = 0; q < rows.length; q++) {
      const v = read(examples, rows[q]!);
      if (Number.isNaN(v)) continue;
      known++;
      sum += v;
    }
    if (known < MIN_EXAMPLES) continue;
    const mean = sum / known;
    let squares = 0;
    for (let q = 0; q < rows.length; q++) {
      const v = read(examples, rows[q]!);
      if (!Number.isNaN(v)) squares += (v - mean) ** 2;
    }
    const sd = Math.sqrt(squares / known);
    if (sd < 1e-9) continue;
    columns.push({
      name,
      factor,
      read: (t, r) => {
        const v = read(t, r);
        return ((Number.isNaN(v) ? mean : v) - mean) / sd;
      },
    });
    if (known < rows.length)
      columns.push({ name: `${name} unknown`, factor, read: (t, r) => (Number.isNaN(read(t, r)) ? 1 : 0) });
  }

  if (Number.isFinite(ownerRates.priorDeals)) {
    const base = logit(baseRate);
    const m = ownerRates.priorDeals;
    // An owner's three values (scored, own slip, own keep) are worked out once, not once per row.
    const byOwner = new Map<number, [number, number, number]>();
    const valuesOf = (id: number): [number, number, number] => {
      const owner = names.value(id);
      const scored = logit(ownerRates.rate(owner)) - base;
      if (owner === null) return [scored, scored, scored];
      const g = ownerRates.raw.get(owner);
      if (!g) return [scored, 0, 0];
      const without = (own: number) => logit((g.wins - own + m * baseRate) / (g.deals - 1 + m)) - base;
      return [scored, without(1), without(0)];
    };
    columns.push({
      name: 'owner slip rate',
      factor: 'owner',
      read: (t, r, own) => {
        const id = t.owner[r]!;
        let v = byOwner.get(id);
        if (v === undefined) byOwner.set(id, (v = valuesOf(id)));
        return own === NONE ? v[0] : own === 1 ? v[1] : v[2];
      },
    });
  }

  const k = columns.length;
  const sameNames = (t: SlipSnapshotTable) => {
    if (t.names !== names)
      throw new Error("the snapshots to score must share the training snapshots' pool of names");
  };
  return {
    columns: columns.map(({ name, factor }) => ({ name, factor })),
    encodeRow(t, r, own, out) {
      sameNames(t);
      const o = own === null ? NONE : own ? 1 : 0;
      for (let j = 0; j < k; j++) out[j] = columns[j]!.read(t, r, o);
      return out;
    },
    encodeRows(t, rows, own) {
      sameNames(t);
      // Zeros are left out as they are met (sparseRows' rule), so no dense row is held.
      const start = new Int32Array(rows.length + 1);
      let column = new Int32Array(Math.max(k, rows.length * 4));
      let value = new Float64Array(column.length);
      let at = 0;
      for (let q = 0; q < rows.length; q++) {
        const r = rows[q]!;
        const o = own === null ? NONE : own[r]!;
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
  };
}
