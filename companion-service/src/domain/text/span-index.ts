/**
 * Questions about a list of spans (competitor mentions) asked once per sentence or per token:
 * answered by binary search over the list sorted once, so a long conversation naming a competitor in
 * every sentence costs its length times a logarithm, not its length squared. The answers are those
 * of a plain scan of the list as given, overlapping or unsorted spans included.
 */
export interface Span {
  start: number;
  end: number;
}

interface Index<T extends Span> {
  /** By start; equal starts keep the list's order. */
  byStart: T[];
  /** smallestEndFrom[i]: the smallest end among byStart[i..]. */
  smallestEndFrom: number[];
  /** largestEndTo[i]: the largest end among byStart[0..i]. */
  largestEndTo: number[];
}

const indexes = new WeakMap<readonly Span[], Index<Span>>();

function indexOf<T extends Span>(spans: readonly T[]): Index<T> {
  let index = indexes.get(spans) as Index<T> | undefined;
  if (!index) {
    const byStart = [...spans].sort((a, b) => a.start - b.start);
    const smallestEndFrom = new Array<number>(byStart.length);
    for (let i = byStart.length - 1, min = Infinity; i >= 0; i--)
      smallestEndFrom[i] = min = Math.min(min, byStart[i]!.end);
    const largestEndTo = new Array<number>(byStart.length);
    for (let i = 0, max = -Infinity; i < byStart.length; i++)
      largestEndTo[i] = max = Math.max(max, byStart[i]!.end);
    index = { byStart, smallestEndFrom, largestEndTo };
    indexes.set(spans, index as Index<Span>);
  }
  return index;
}

/** The first position in byStart whose start is at least `start`. */
function firstStartingFrom(byStart: Span[], start: number): number {
  let lo = 0;
  let hi = byStart.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byStart[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first span (in the list's order) that starts exactly at `start`. */
export function spanStartingAt<T extends Span>(spans: readonly T[], start: number): T | undefined {
  const { byStart } = indexOf(spans);
  const at = byStart[firstStartingFrom(byStart, start)];
  return at && at.start === start ? at : undefined;
}

/** Whether a span lies wholly inside [start, end]. */
export function anySpanWithin(spans: readonly Span[], start: number, end: number): boolean {
  const { byStart, smallestEndFrom } = indexOf(spans);
  const from = firstStartingFrom(byStart, start);
  return from < byStart.length && smallestEndFrom[from]! <= end;
}

/** Whether a span ends after `after` and starts before `before`. */
export function anySpanBetween(spans: readonly Span[], after: number, before: number): boolean {
  const { byStart, largestEndTo } = indexOf(spans);
  const last = firstStartingFrom(byStart, before) - 1;
  return last >= 0 && largestEndTo[last]! > after;
}
