/**
 * A typed-array column that grows as a streaming reader appends to it, doubling its capacity so a
 * million appends copy the data about twice, then trimmed to its length once reading is done.
 */

type TypedArray = Int32Array | Uint32Array | Float64Array | Uint8Array;

export class GrowableColumn<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly kind: new (length: number) => T,
    capacity = 1024,
  ) {
    this.data = new kind(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.kind(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values appended, in a typed array of exactly their length. */
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
