/**
 * Per-socket token bucket: `burst` events at once, refilled at `ratePerSecond`. An event over the
 * limit is answered FRISSON_ERR_RATE_LIMITED in its acknowledgement and dropped; the socket is
 * never disconnected for it (a strap reconnecting after a tunnel sends a burst, not an attack).
 *
 * @example
 *   const bucket = new TokenBucket({ ratePerSecond: 50, burst: 100 });
 *   if (!bucket.take(Date.now())) return ack({ ok: false, error: rateLimited });
 */
export interface TokenBucketOptions {
  ratePerSecond: number;
  burst: number;
}

export class TokenBucket {
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private last: number | null = null;
  /** Events refused so far (for metrics). */
  refused = 0;

  constructor(opts: TokenBucketOptions) {
    this.rate = opts.ratePerSecond;
    this.burst = opts.burst;
    this.tokens = opts.burst;
  }

  /** Takes `cost` tokens if available. Time never runs backwards for the bucket. */
  take(now: number, cost = 1): boolean {
    if (this.last !== null && now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    }
    if (this.last === null || now > this.last) this.last = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return true;
    }
    this.refused++;
    return false;
  }
}

/**
 * Token buckets kept per key (a session, a seat, a show's screen), not per socket, so a client that
 * opens 200 sockets with one credential still has one budget. A bucket that has refilled to its
 * burst is indistinguishable from a new one, so it is dropped when the map is swept (at most once a
 * second, on a `take`): memory follows the keys active in the last `burst / ratePerSecond` seconds,
 * with no timer to clear.
 *
 * @example
 *   const limits = new KeyedTokenBuckets({ ratePerSecond: 50, burst: 100 });
 *   if (!limits.take(`session:${id}`, Date.now())) return reply({ ok: false, error: rateLimited() });
 */
export class KeyedTokenBuckets {
  private readonly opts: TokenBucketOptions;
  private readonly buckets = new Map<string, { bucket: TokenBucket; last: number }>();
  private lastSweep = 0;
  /** Events refused so far, all keys (for metrics). */
  refused = 0;

  constructor(opts: TokenBucketOptions) {
    this.opts = opts;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, now: number, cost = 1): boolean {
    if (now - this.lastSweep >= 1000) this.sweep(now);
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.opts), last: now };
      this.buckets.set(key, entry);
    }
    entry.last = Math.max(entry.last, now);
    if (entry.bucket.take(now, cost)) return true;
    this.refused++;
    return false;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    const fullAfterMs = (this.opts.burst / this.opts.ratePerSecond) * 1000;
    for (const [key, entry] of this.buckets) {
      if (now - entry.last >= fullAfterMs) this.buckets.delete(key);
    }
  }
}
