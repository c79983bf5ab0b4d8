/**
 * Strings interned to small integers, so a column of stages, owners or accounts is a Uint32Array and
 * comparing two of them is comparing numbers. A pipeline repeats a dozen stages and a few hundred
 * owners across millions of rows; each distinct string is held once.
 */

/** The id of "no value" (null) in every pool. */
export const NO_STRING = 0;

export class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly values: (string | null)[] = [null];
  private readonly lowered: number[] = [NO_STRING];
  private readonly blanks: boolean[] = [false];

  /** The id of a string, adding it the first time; null is {@link NO_STRING}. */
  intern(value: string | null | undefined): number {
    if (value === null || value === undefined) return NO_STRING;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
      this.lowered.push(-1);
      this.blanks.push(value.trim() === '');
    }
    return id;
  }

  /** The id a string already has, or undefined when the pool never saw it. */
  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  value(id: number): string | null {
    return this.values[id]!;
  }

  /** The id of the lower-cased string, computed once per distinct string. */
  lower(id: number): number {
    let low = this.lowered[id]!;
    if (low < 0) {
      low = this.intern(this.values[id]!.toLowerCase());
      this.lowered[id] = low;
    }
    return low;
  }

  /** Whether the string is empty or white space only (a blank a rep left), false for null. */
  blank(id: number): boolean {
    return this.blanks[id]!;
  }

  get size(): number {
    return this.values.length;
  }
}
