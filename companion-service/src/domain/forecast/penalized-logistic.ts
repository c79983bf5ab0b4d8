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

export interface LogisticProblem {
  /** Rows of features; column 0 is usually a constant 1. */
  x: readonly (readonly number[])[];
  /** Outcomes in [0, 1]. */
  y: readonly number[];
  weights?: readonly number[];
  offset?: readonly number[];
  /** L2 penalty; 0 is plain maximum likelihood. */
  lambda: number;
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export const logit = (p: number) => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};

export function fitLogistic(problem: LogisticProblem, maxIterations = 50): LogisticFit {
  const { x, y, lambda } = problem;
  const n = x.length;
  const k = n === 0 ? 0 : x[0]!.length;
  let beta = new Array<number>(k).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = beta.map((b) => -lambda * b);
    const hessian = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (i === j ? lambda : 0)),
    );
    for (let r = 0; r < n; r++) {
      const row = x[r]!;
      const w = problem.weights?.[r] ?? 1;
      let eta = problem.offset?.[r] ?? 0;
      for (let j = 0; j < k; j++) eta += row[j]! * beta[j]!;
      const p = sigmoid(eta);
      const residual = w * (y[r]! - p);
      const curvature = w * Math.max(p * (1 - p), 1e-12);
      for (let i = 0; i < k; i++) {
        gradient[i]! += residual * row[i]!;
        const hi = hessian[i]!;
        for (let j = 0; j <= i; j++) hi[j]! += curvature * row[i]! * row[j]!;
      }
    }
    for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) hessian[j]![i] = hessian[i]![j]!;
    const step = solveSymmetric(hessian, gradient);
    beta = beta.map((b, i) => b + step[i]!);
    if (Math.max(0, ...step.map(Math.abs)) < 1e-8) {
      iterations++;
      break;
    }
  }
  return { coefficients: beta, iterations };
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
