/**
 * Thompson-sampling helper shared by the bandit (bandit.ts) and the personal planner
 * (dynamics-planner.ts): both keep a Bayesian linear regression as its posterior precision A and
 * draw θ ~ N(μ, s²·A⁻¹) as μ + s·x with x = L⁻ᵀz, A = L·Lᵀ (lower Cholesky factor), z standard
 * normal.
 */

/**
 * x = L⁻ᵀ z for the n×n symmetric positive definite `precision` (row-major), so that x has
 * covariance A⁻¹ when z is standard normal. Pivots are floored at 1e-12.
 *
 * @example
 *   const x = precisionNoise([4, 0, 0, 4], 2, [rng.normal(), rng.normal()]); // sd 1/2 each
 */
export function precisionNoise(precision: ArrayLike<number>, n: number, z: number[]): number[] {
  const l = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = precision[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) v -= (l[i * n + k] ?? 0) * (l[j * n + k] ?? 0);
      l[i * n + j] = i === j ? Math.sqrt(Math.max(v, 1e-12)) : v / (l[j * n + j] ?? 1);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let v = z[i] ?? 0;
    for (let k = i + 1; k < n; k++) v -= (l[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = v / (l[i * n + i] ?? 1);
  }
  return x;
}
