/**
 * L2-penalized logistic regression fitted by Newton's method (IRLS), with case weights, an offset
 * and fractional outcomes. Written here rather than taken from a library because no small,
 * maintained JavaScript package fits penalized GLMs with offsets and weights; the whole solver is a
 * Cholesky solve in a loop, and the forecast needs exactly these three features of it.
 *
 * The penalty applies to every coefficient, the intercept included: the offset carries the prior
 * (the base rate), so a heavy penalty means "the base rate", which is what a forecast with no
 * signal should say.
 */

export interface LogisticFit {
  coefficients: number[];
  iterations: number;
}

/**
 * Rows of features stored by their non-zero entries (compressed sparse rows): a snapshot's stage is
 * one-hot and its "unknown" indicators are mostly zero, so each row has a few non-zeros among a
 * dozen or more columns, and Newton's method costs the square of those per row, not of the columns.
 */
export interface SparseRows {
  rows: number;
  columns: number;
  /** Row r's entries are at [start[r], start[r + 1]). */
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

export function sparseRows(x: readonly (readonly number[])[], columns = x[0]?.length ?? 0): SparseRows {
  let nonZero = 0;
  for (const row of x) for (let j = 0; j < columns; j++) if (row[j] !== 0) nonZero++;
  const start = new Int32Array(x.length + 1);
  const column = new Int32Array(nonZero);
  const value = new Float64Array(nonZero);
  let at = 0;
  x.forEach((row, r) => {
    for (let j = 0; j < columns; j++) {
      if (row[j] === 0) continue;
      column[at] = j;
      value[at++] = row[j]!;
    }
    start[r + 1] = at;
  });
  return { rows: x.length, columns, start, column, value };
}

export interface LogisticProblem {
  /** Rows of features; column 0 is usually a constant 1. */
  x: readonly (readonly number[])[] | SparseRows;
  /** Outcomes in [0, 1]. */
  y: ArrayLike<number>;
  weights?: ArrayLike<number>;
  offset?: ArrayLike<number>;
  /**
   * L2 penalty; 0 is plain maximum likelihood. One number for every column, or one per column, so
   * groups of columns can be shrunk as hard as their own evidence says (a hierarchical prior).
   */
  lambda: number | ArrayLike<number>;
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export const logit = (p: number) => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};

/**
 * Skipping the zero entries leaves every sum what it was (adding 0 × b changes nothing), so the
 * sparse solve gives the dense one's coefficients, bit for bit.
 */
export function fitLogistic(problem: LogisticProblem, maxIterations = 50): LogisticFit {
  const { lambda } = problem;
  const x = 'start' in problem.x ? problem.x : sparseRows(problem.x);
  const { rows: n, columns: k, start, column, value } = x;
  const penalty = Float64Array.from({ length: k }, (_, i) =>
    typeof lambda === 'number' ? lambda : lambda[i]!,
  );
  // One array kind for every caller's outcomes, weights and offsets: the row loop below is the whole
  // cost of a fit, and reading plain arrays and typed arrays through one loop slows it for both.
  const y = asDoubles(n, problem.y, NaN);
  const weights = asDoubles(n, problem.weights, 1);
  const offset = asDoubles(n, problem.offset, 0);
  const beta = new Float64Array(k);
  const gradient = new Float64Array(k);
  const hessian = new Float64Array(k * k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    for (let i = 0; i < k; i++) gradient[i] = -penalty[i]! * beta[i]!;
    hessian.fill(0);
    for (let i = 0; i < k; i++) hessian[i * k + i] = penalty[i]!;
    for (let r = 0; r < n; r++) {
      const from = start[r]!;
      const to = start[r + 1]!;
      const w = weights[r]!;
      let eta = offset[r]!;
      for (let e = from; e < to; e++) eta += value[e]! * beta[column[e]!]!;
      const p = sigmoid(eta);
      const residual = w * (y[r]! - p);
      const curvature = w * Math.max(p * (1 - p), 1e-12);
      for (let e = from; e < to; e++) {
        const i = column[e]!;
        const xi = value[e]!;
        gradient[i]! += residual * xi;
        const row = i * k;
        for (let f = from; f <= e; f++) hessian[row + column[f]!]! += curvature * xi * value[f]!;
      }
    }
    const a = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (j <= i ? hessian[i * k + j]! : hessian[j * k + i]!)),
    );
    const step = solveSymmetric(a, Array.from(gradient));
    for (let i = 0; i < k; i++) beta[i] = beta[i]! + step[i]!;
    if (Math.max(0, ...step.map(Math.abs)) < 1e-8) {
      iterations++;
      break;
    }
  }
  return { coefficients: Array.from(beta), iterations };
}

/** `values` as n doubles (itself when it is already), `missing` where it has none. */
function asDoubles(n: number, values: ArrayLike<number> | undefined, missing: number): Float64Array {
  if (values instanceof Float64Array && values.length === n) return values;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = values?.[r] ?? missing;
  return out;
}

/** Solves A s = b for symmetric positive definite A by Cholesky, with a tiny ridge if A is singular. */
function solveSymmetric(a: number[][], b: number[]): number[] {
  const k = b.length;
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-10 : ridge * 100) {
    const l = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let ok = true;
    for (let i = 0; i < k && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = a[i]![j]! + (i === j ? ridge : 0);
        for (let m = 0; m < j; m++) sum -= l[i]![m]! * l[j]![m]!;
        if (i === j) {
          if (sum <= 0) ok = false;
          else l[i]![i] = Math.sqrt(sum);
        } else l[i]![j] = sum / l[j]![j]!;
      }
    }
    if (!ok) continue;
    const z = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) {
      let sum = b[i]!;
      for (let m = 0; m < i; m++) sum -= l[i]![m]! * z[m]!;
      z[i] = sum / l[i]![i]!;
    }
    const s = new Array<number>(k).fill(0);
    for (let i = k - 1; i >= 0; i--) {
      let sum = z[i]!;
      for (let m = i + 1; m < k; m++) sum -= l[m]![i]! * s[m]!;
      s[i] = sum / l[i]![i]!;
    }
    return s;
  }
}
