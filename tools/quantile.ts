/**
 * The one quantile the tools report (load, flood bench, replay evaluation): the value at rank
 * ⌊q·n⌋ of the sorted sample (the largest for q = 1), NaN for an empty one. Exact, no interpolation:
 * a p99 is a latency some request really had.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.floor(q * n))] ?? NaN;
}
