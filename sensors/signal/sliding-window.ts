/**
 * A time-windowed ring buffer of numbers with a running sum: O(1) push and eviction, fixed
 * capacity (constant memory per viewer). When full, the oldest entry is evicted early.
 */
export class SlidingWindow {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private size = 0;
  private total = 0;

  /**
   * @param windowMs entries older than `newest − windowMs` are evicted on push/evict
   * @param capacity hard bound on entries (size it for the fastest plausible rate)
   * @param alloc where its two arrays come from (default: their own buffers; a Float64Slab lets
   *   one viewer's windows share one allocation)
   */
  constructor(
    readonly windowMs: number,
    readonly capacity: number,
    alloc: (n: number) => Float64Array = (n) => new Float64Array(n),
  ) {
    if (!(windowMs > 0) || !Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('SlidingWindow needs windowMs > 0 and an integer capacity ≥ 1');
    }
    this.times = alloc(capacity);
    this.values = alloc(capacity);
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
    return this.times[(this.head + this.size - 1) % this.capacity] ?? null;
  }

  push(t: number, value: number): void {
    if (this.size === this.capacity) this.dropOldest();
    const i = (this.head + this.size) % this.capacity;
    this.times[i] = t;
    this.values[i] = value;
    this.size += 1;
    this.total += value;
    this.evict(t);
  }

  /** Drops entries older than `now − windowMs`. */
  evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.size > 0 && (this.times[this.head] ?? 0) < cutoff) this.dropOldest();
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.total = 0;
  }

  private dropOldest(): void {
    this.total -= this.values[this.head] ?? 0;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    // Re-anchor the running sum so floating-point drift cannot accumulate forever.
    if (this.size === 0) this.total = 0;
  }
}

/**
 * One Float64Array handed out in consecutive views: the ring buffers of one viewer's signal state
 * share one backing store instead of a dozen (a venue keeps thousands of viewers; each separate
 * ArrayBuffer costs its own allocation and bookkeeping on top of its bytes).
 *
 * @example
 *   const slab = new Float64Slab(2 * 108 + 2 * 25);
 *   const diffs = new SlidingWindow(30_000, 108, slab.take);
 *   const nn = new SlidingWindow(5_000, 25, slab.take);
 */
export class Float64Slab {
  private readonly store: Float64Array;
  private used = 0;

  constructor(readonly length: number) {
    this.store = new Float64Array(length);
  }

  /** The next `n` elements (a view). Throws when the slab is exhausted. */
  readonly take = (n: number): Float64Array => {
    if (this.used + n > this.length) {
      throw new RangeError(
        `Float64Slab of ${this.length} cannot give ${n} more after ${this.used}`,
      );
    }
    const view = this.store.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  };
}
