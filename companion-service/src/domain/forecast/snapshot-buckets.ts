import { GrowableColumn } from '../pipeline/growable-column.js';
import type { ExampleTable, SnapshotTable } from './snapshot-table.js';
import type { WindowColumns } from './quarter-outlook.js';

/** The training snapshots and window examples of each date, gathered deal by deal, then joined. */

export interface WindowBucket {
  day: GrowableColumn<Int32Array>;
  age: GrowableColumn<Float64Array>;
  won: GrowableColumn<Uint8Array>;
}

/** Concatenates typed arrays of one kind. */
function joined<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(parts: T[], empty: T): T {
  const out = new (empty.constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part as never, at);
    at += part.length;
  }
  return out;
}

export function windowColumns(buckets: WindowBucket[]): WindowColumns {
  const day = joined(
    buckets.map((b) => b.day.done()),
    new Int32Array(0),
  );
  return {
    count: day.length,
    day,
    ageDays: joined(
      buckets.map((b) => b.age.done()),
      new Float64Array(0),
    ),
    wonInWindow: joined(
      buckets.map((b) => b.won.done()),
      new Uint8Array(0),
    ),
  };
}

/** One date's labelled snapshots, as they are found. */
export class ExampleColumns {
  readonly day = new GrowableColumn(Int32Array);
  readonly deal = new GrowableColumn(Uint32Array);
  readonly stage = new GrowableColumn(Uint32Array);
  readonly owner = new GrowableColumn(Uint32Array);
  readonly product = new GrowableColumn(Uint32Array);
  readonly ageDays = new GrowableColumn(Float64Array);
  readonly daysInStage = new GrowableColumn(Float64Array);
  readonly daysSinceActivity = new GrowableColumn(Float64Array);
  readonly amount = new GrowableColumn(Float64Array);
  readonly statedProbability = new GrowableColumn(Float64Array);
  readonly won = new GrowableColumn(Uint8Array);
  readonly closedDay = new GrowableColumn(Int32Array);

  push(
    day: number,
    deal: number,
    stage: number,
    owner: number,
    product: number,
    ageDays: number,
    daysInStage: number,
    daysSinceActivity: number,
    amount: number,
    statedProbability: number,
    won: number,
    closedDay: number,
  ) {
    this.day.push(day);
    this.deal.push(deal);
    this.stage.push(stage);
    this.owner.push(owner);
    this.product.push(product);
    this.ageDays.push(ageDays);
    this.daysInStage.push(daysInStage);
    this.daysSinceActivity.push(daysSinceActivity);
    this.amount.push(amount);
    this.statedProbability.push(statedProbability);
    this.won.push(won);
    this.closedDay.push(closedDay);
  }

  /** The dates' snapshots one after the other, as one table; the deals' numbers are below `deals`. */
  static table(names: SnapshotTable['names'], deals: number, dates: ExampleColumns[]): ExampleTable {
    const i32 = (pick: (d: ExampleColumns) => GrowableColumn<Int32Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Int32Array(0),
      );
    const u32 = (pick: (d: ExampleColumns) => GrowableColumn<Uint32Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Uint32Array(0),
      );
    const f64 = (pick: (d: ExampleColumns) => GrowableColumn<Float64Array>) =>
      joined(
        dates.map((d) => pick(d).done()),
        new Float64Array(0),
      );
    const day = i32((d) => d.day);
    return {
      count: day.length,
      names,
      day,
      deal: u32((d) => d.deal),
      deals,
      stage: u32((d) => d.stage),
      owner: u32((d) => d.owner),
      product: u32((d) => d.product),
      ageDays: f64((d) => d.ageDays),
      daysInStage: f64((d) => d.daysInStage),
      daysSinceActivity: f64((d) => d.daysSinceActivity),
      amount: f64((d) => d.amount),
      statedProbability: f64((d) => d.statedProbability),
      won: joined(
        dates.map((d) => d.won.done()),
        new Uint8Array(0),
      ),
      closedDay: i32((d) => d.closedDay),
    };
  }
}
