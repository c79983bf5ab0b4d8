/**
 * Deal snapshots as columns: what the forecast reads of a deal at a date, one typed array per
 * feature, the stage, owner and product interned in one pool. The column forecast fills these
 * straight from the pipeline's columns. A number column's NaN is a snapshot's null.
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
}

/** Training snapshots: each labelled with how its deal closed. */
export interface ExampleTable extends SnapshotTable {
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
