/**
 * Least-squares slope (units per second) of the most recent values within a time window, from a
 * fixed-capacity ring buffer (constant memory).
 */
/** Entries the ring keeps unless the constructor says otherwise. */
export const DEFAULT_SLOPE_CAPACITY = 64;

export class SlopeEstimator {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(
    readonly windowMs: number,
    capacity = DEFAULT_SLOPE_CAPACITY,
    alloc: (n: number) => Float64Array = (n) => new Float64Array(n),
  ) {
    this.times = alloc(capacity);
    this.values = alloc(capacity);
  }

  push(t: number, v: number): void {
    this.times[this.next] = t;
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.times.length;
    this.size = Math.min(this.times.length, this.size + 1);
  }

  /** Slope per second over entries in [now − windowMs, now]; 0 with fewer than two points. */
  slope(now: number): number {
    const cap = this.times.length;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - 1 - k + cap) % cap;
      const t = this.times[i] ?? 0;
      if (t < now - this.windowMs) break; // older entries are older still
      if (t > now) continue;
      // Seconds relative to now keeps the sums well-conditioned with epoch timestamps.
      const x = (t - now) / 1000;
      const y = this.values[i] ?? 0;
      n += 1;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    if (n < 2) return 0;
    const den = n * sxx - sx * sx;
    return den > 1e-12 ? (n * sxy - sx * sy) / den : 0;
  }
}
