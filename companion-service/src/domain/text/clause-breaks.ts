/** Where each clause break of a sentence starts and ends, found once per sentence. */
export interface ClauseBreaks {
  starts: number[];
  ends: number[];
}

/** The breaks `breakAt` (a global pattern) finds in the text, in order. */
export function clauseBreaks(text: string, breakAt: RegExp): ClauseBreaks {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of text.matchAll(breakAt)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  return { starts, ends };
}

/** The index of the first value in the ascending list that is at least `value` (list length if none). */
export function firstAtLeast(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
