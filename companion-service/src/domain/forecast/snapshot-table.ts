import { dayNumber } from '../hygiene/calendar-days.js';
import { StringPool } from '../pipeline/string-pool.js';
import type { DealSnapshot } from './deal-snapshot.js';

/**
 * Deal snapshots as columns: what the forecast reads of a deal at a date, one typed array per
 * feature, the stage, owner and product interned in one pool. The column forecast fills these
 * straight from the pipeline's columns; the record forecast turns its snapshots into them, so both
 * are learned and scored by the same arithmetic. A number column's NaN is a snapshot's null.
 */
export interface SnapshotTable {
  count: number;
  /** The pool the stage, owner and product ids belong to. */
  names: { value(id: number): string | null };
  /** The snapshot's date, as a day number. */
  day: Int32Array;
  stage: Uint32Array;
  owner: Uint32Array;
  product: Uint32Array;
  ageDays: Float64Array;
  daysInStage: Float64Array;
  daysSinceActivity: Float64Array;
  amount: Float64Array;
  /** The stage's stated probability on the record then, 0..100. */
  statedProbability: Float64Array;
}

/** Training snapshots: each labelled with how its deal closed. */
export interface ExampleTable extends SnapshotTable {
  /**
   * The deal each snapshot is of, as a small number (an interned id): one deal's snapshots share
   * its outcome, so the model weighs and tests deals, not rows. Below `deals`.
   */
  deal: Uint32Array;
  deals: number;
  won: Uint8Array;
  closedDay: Int32Array;
}

/** The deals closed by the as-of date, oldest close first: what the base and group rates count. */
export interface ClosedTable {
  count: number;
  owner: Uint32Array;
  product: Uint32Array;
  won: Uint8Array;
  closedDay: Int32Array;
}

const orNaN = (x: number | null) => (x === null ? NaN : x);

export function dayOf(date: string): number {
  const day = dayNumber(date);
  if (day === null) throw new Error(`snapshot date "${date}" is not a YYYY-MM-DD date`);
  return day;
}

/** Record snapshots as a table, their strings interned in `pool` (shared with the closed deals'). */
export function snapshotTable(
  snapshots: readonly DealSnapshot[],
  pool: StringPool = new StringPool(),
): SnapshotTable {
  const n = snapshots.length;
  const table: SnapshotTable = {
    count: n,
    names: pool,
    day: new Int32Array(n),
    stage: new Uint32Array(n),
    owner: new Uint32Array(n),
    product: new Uint32Array(n),
    ageDays: new Float64Array(n),
    daysInStage: new Float64Array(n),
    daysSinceActivity: new Float64Array(n),
    amount: new Float64Array(n),
    statedProbability: new Float64Array(n),
  };
  snapshots.forEach((s, r) => {
    table.day[r] = dayOf(s.at);
    table.stage[r] = pool.intern(s.stage);
    table.owner[r] = pool.intern(s.owner);
    table.product[r] = pool.intern(s.product);
    table.ageDays[r] = orNaN(s.ageDays);
    table.daysInStage[r] = orNaN(s.daysInStage);
    table.daysSinceActivity[r] = orNaN(s.daysSinceActivity);
    table.amount[r] = orNaN(s.amount);
    table.statedProbability[r] = orNaN(s.statedProbability);
  });
  return table;
}

/** Labelled record snapshots as a table; deal ids are interned in a pool of their own. */
export function exampleTable(
  examples: readonly { snapshot: DealSnapshot; won: boolean; closedOn: string }[],
  pool: StringPool,
): ExampleTable {
  const deals = new StringPool();
  return {
    ...snapshotTable(
      examples.map((e) => e.snapshot),
      pool,
    ),
    deal: Uint32Array.from(examples, (e) => deals.intern(e.snapshot.id)),
    deals: deals.size,
    won: Uint8Array.from(examples, (e) => (e.won ? 1 : 0)),
    closedDay: Int32Array.from(examples, (e) => dayOf(e.closedOn)),
  };
}

/** Closed records (already oldest close first) as a table. */
export function closedTable(
  closed: readonly { owner: string | null; product: string | null; won: boolean; closedOn: string }[],
  pool: StringPool,
): ClosedTable {
  return {
    count: closed.length,
    owner: Uint32Array.from(closed, (c) => pool.intern(c.owner)),
    product: Uint32Array.from(closed, (c) => pool.intern(c.product)),
    won: Uint8Array.from(closed, (c) => (c.won ? 1 : 0)),
    closedDay: Int32Array.from(closed, (c) => dayOf(c.closedOn)),
  };
}

/** The rows 0..n-1, for a learner given every row of a table. */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[r] = r;
  return rows;
}

/** The rows whose number passes `keep`, in order. */
export function rowsWhere(count: number, keep: (r: number) => boolean): Int32Array {
  const rows = new Int32Array(count);
  let n = 0;
  for (let r = 0; r < count; r++) if (keep(r)) rows[n++] = r;
  return rows.slice(0, n);
}
