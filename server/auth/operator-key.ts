/**
 * The operator credential (`FRISSON_OPERATOR_KEY`). Compared in constant time. Without a
 * configured key every operator endpoint answers FRISSON_ERR_UNAUTHORIZED: operating a venue is
 * opt-in, never open by default.
 *
 * Guessing is throttled per client address: after `attemptsPerMinute` wrong keys within a minute,
 * every attempt from that address — right or wrong, so nothing is learned — is refused
 * FRISSON_ERR_RATE_LIMITED (HTTP 429 with `Retry-After`) until the minute is over.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { FrissonError } from '../../contracts/errors.js';

const WINDOW_MS = 60_000;

/** FRISSON_ERR_RATE_LIMITED with the seconds until the next attempt is heard (`Retry-After`). */
export class AttemptsThrottled extends FrissonError {
  readonly retryAfterS: number;

  constructor(retryAfterS: number) {
    super(
      'FRISSON_ERR_RATE_LIMITED',
      `too many wrong operator keys from this address; retry in ${retryAfterS} s`,
    );
    this.retryAfterS = retryAfterS;
  }
}

export interface OperatorKeyOptions {
  /** Wrong keys one address may try per minute (default 10). */
  attemptsPerMinute?: number;
  clock?: () => number;
}

export class OperatorKey {
  private readonly digest: Buffer | null;
  private readonly attempts: number;
  private readonly clock: () => number;
  /** Per address: the start of its window and the wrong keys in it. */
  private readonly failures = new Map<string, { since: number; n: number }>();

  constructor(key: string | undefined, opts: OperatorKeyOptions = {}) {
    this.digest = key ? sha256(key) : null;
    this.attempts = opts.attemptsPerMinute ?? 10;
    this.clock = opts.clock ?? Date.now;
  }

  get configured(): boolean {
    return this.digest !== null;
  }

  /**
   * Throws FRISSON_ERR_UNAUTHORIZED unless `given` is the operator key; with `from` (the client's
   * address), AttemptsThrottled once that address spent its wrong attempts of the minute.
   */
  check(given: unknown, from?: string): void {
    const now = this.clock();
    const record = from === undefined ? undefined : this.window(from, now);
    if (record && record.n >= this.attempts) {
      throw new AttemptsThrottled(Math.max(1, Math.ceil((record.since + WINDOW_MS - now) / 1000)));
    }
    const ok =
      this.digest !== null &&
      typeof given === 'string' &&
      given.length > 0 &&
      given.length <= 512 &&
      // Hashing first gives equal-length buffers, so timingSafeEqual never leaks the key length.
      timingSafeEqual(sha256(given), this.digest);
    if (ok) return;
    if (from !== undefined && given !== undefined && given !== '') {
      const r = record ?? { since: now, n: 0 };
      r.n++;
      this.failures.set(from, r);
    }
    throw new FrissonError('FRISSON_ERR_UNAUTHORIZED', 'operator key required');
  }

  /** The address's current window (a past one is dropped); swept when the map grows. */
  private window(from: string, now: number): { since: number; n: number } | undefined {
    if (this.failures.size > 10_000) {
      for (const [k, v] of this.failures) if (now - v.since >= WINDOW_MS) this.failures.delete(k);
    }
    const r = this.failures.get(from);
    if (r && now - r.since >= WINDOW_MS) {
      this.failures.delete(from);
      return undefined;
    }
    return r;
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
