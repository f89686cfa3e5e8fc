import { Float64Slab } from './sliding-window.js';

/**
 * Least-squares slope (units per second) of the most recent values within a time window, from a
 * fixed-capacity ring buffer (constant memory).
 */
/** Entries the ring keeps unless the constructor says otherwise. */
export const DEFAULT_SLOPE_CAPACITY = 64;

export class SlopeEstimator {
  /** Times at `buf[t0 + i]`, values at `buf[v0 + i]`, i < capacity. */
  private readonly buf: Float64Array;
  private readonly t0: number;
  private readonly v0: number;
  private next = 0;
  private size = 0;

  /** @param slab where its 2 × capacity numbers live (default: a slab of its own) */
  constructor(
    readonly windowMs: number,
    readonly capacity = DEFAULT_SLOPE_CAPACITY,
    slab?: Float64Slab,
  ) {
    const s = slab ?? new Float64Slab(2 * capacity);
    this.buf = s.store;
    this.t0 = s.take(capacity);
    this.v0 = s.take(capacity);
  }

  push(t: number, v: number): void {
    this.buf[this.t0 + this.next] = t;
    this.buf[this.v0 + this.next] = v;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.capacity, this.size + 1);
  }

  /** Slope per second over entries in [now − windowMs, now]; 0 with fewer than two points. */
  slope(now: number): number {
    const cap = this.capacity;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - 1 - k + cap) % cap;
      const t = this.buf[this.t0 + i] ?? 0;
      if (t < now - this.windowMs) break; // older entries are older still
      if (t > now) continue;
      // Seconds relative to now keeps the sums well-conditioned with epoch timestamps.
      const x = (t - now) / 1000;
      const y = this.buf[this.v0 + i] ?? 0;
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
