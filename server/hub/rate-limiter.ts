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
