/**
 * A time-windowed ring buffer of numbers with a running sum: O(1) push and eviction, fixed
 * capacity (constant memory per viewer). When full, the oldest entry is evicted early.
 */
export class SlidingWindow {
  /** Times at `buf[t0 + i]`, values at `buf[v0 + i]`, i < capacity (a region of a slab). */
  private readonly buf: Float64Array;
  private readonly t0: number;
  private readonly v0: number;
  private head = 0;
  private size = 0;
  private total = 0;

  /**
   * @param windowMs entries older than `newest − windowMs` are evicted on push/evict
   * @param capacity hard bound on entries (size it for the fastest plausible rate)
   * @param slab where its 2 × capacity numbers live (default: a slab of its own; one viewer's
   *   windows share one, see Float64Slab)
   */
  constructor(
    readonly windowMs: number,
    readonly capacity: number,
    slab?: Float64Slab,
  ) {
    if (!(windowMs > 0) || !Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('SlidingWindow needs windowMs > 0 and an integer capacity ≥ 1');
    }
    const s = slab ?? new Float64Slab(2 * capacity);
    this.buf = s.store;
    this.t0 = s.take(capacity);
    this.v0 = s.take(capacity);
  }

  get count(): number {
    return this.size;
  }

  get sum(): number {
    return this.total;
  }

  /** Mean of the entries, or null when empty. */
  get mean(): number | null {
    return this.size > 0 ? this.total / this.size : null;
  }

  /** Timestamp of the newest entry, or null when empty. */
  get newestTime(): number | null {
    if (this.size === 0) return null;
    return this.buf[this.t0 + ((this.head + this.size - 1) % this.capacity)] ?? null;
  }

  push(t: number, value: number): void {
    if (this.size === this.capacity) this.dropOldest();
    const i = (this.head + this.size) % this.capacity;
    this.buf[this.t0 + i] = t;
    this.buf[this.v0 + i] = value;
    this.size += 1;
    this.total += value;
    this.evict(t);
  }

  /** Drops entries older than `now − windowMs`. */
  evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.size > 0 && (this.buf[this.t0 + this.head] ?? 0) < cutoff) this.dropOldest();
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.total = 0;
  }

  private dropOldest(): void {
    this.total -= this.buf[this.v0 + this.head] ?? 0;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    // Re-anchor the running sum so floating-point drift cannot accumulate forever.
    if (this.size === 0) this.total = 0;
  }
}

/**
 * One Float64Array handed out in consecutive regions: the ring buffers of one viewer's signal state
 * share one backing store and index into it (`store[offset + i]`) instead of holding a dozen
 * arrays or views of their own. A venue keeps thousands of viewers: each separate ArrayBuffer costs
 * an allocation and bookkeeping on top of its bytes, and each view another object (≈ 100 bytes).
 *
 * @example
 *   const slab = new Float64Slab(2 * 108 + 2 * 25);
 *   const diffs = new SlidingWindow(30_000, 108, slab);
 *   const nn = new SlidingWindow(5_000, 25, slab);
 */
export class Float64Slab {
  readonly store: Float64Array;
  private used = 0;

  constructor(readonly length: number) {
    this.store = new Float64Array(length);
  }

  /** Reserves the next `n` elements of `store`; returns the index of the first. Throws when full. */
  take(n: number): number {
    if (this.used + n > this.length) {
      throw new RangeError(
        `Float64Slab of ${this.length} cannot give ${n} more after ${this.used}`,
      );
    }
    const at = this.used;
    this.used += n;
    return at;
  }
}
