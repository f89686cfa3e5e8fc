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
   */
  constructor(
    readonly windowMs: number,
    readonly capacity: number,
  ) {
    if (!(windowMs > 0) || !Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('SlidingWindow needs windowMs > 0 and an integer capacity ≥ 1');
    }
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
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
