/**
 * The few dense operations the estimator needs on small (≤ 30 × 30) symmetric positive-definite
 * systems, written out over caller-owned Float64Arrays so a hot path allocates nothing.
 */

/**
 * Cholesky factor L of the `n × n` row-major matrix A (A = L·Lᵀ), written into `l`. Returns false
 * when A is not positive definite.
 */
export function choleskyFactor(a: Float64Array, n: number, l: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] ?? 0) * (l[j * n + k] ?? 0);
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / (l[j * n + j] ?? 1);
      }
    }
  }
  return true;
}

/** Solves A·x = b with A's Cholesky factor `l` (forward then back substitution). */
export function choleskySolveWith(
  l: Float64Array,
  n: number,
  b: Float64Array,
  x: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] ?? 0) * (x[k] ?? 0);
    x[i] = s / (l[i * n + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = s / (l[i * n + i] ?? 1);
  }
}
