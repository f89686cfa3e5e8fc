/**
 * One session's publish horizon (seconds published ahead of the playhead), widened when its player
 * stalls and narrowed back, slowly, once it plays without stalling.
 *
 * The configured horizon (`FRISSON_HORIZON`) is short because every second published ahead is a
 * second of decision → screen latency. A viewer on a slow link may need more: each stall its player
 * reports widens this session's horizon by `stallStepS` (one stall episode per `stallDebounceMs`, so
 * the `waiting` burst of one rebuffer counts once), never above `maxS`. After `narrowAfterMs`
 * without a stall it narrows by `narrowStepS`, and again every further `narrowAfterMs`, down to the
 * configured horizon. The same idea as hls.js's `liveSyncOnStallIncrease` (1.7: every stall adds
 * that many seconds to the target latency, up to one target duration), except that hls.js never
 * narrows back within a stream, and here the server, not the player, owns how far ahead the edge is.
 *
 * Only future decisions move: a narrower horizon means the next decision waits, a wider one means it
 * is made earlier. Nothing published is ever changed.
 *
 * @example
 * const h = new AdaptiveHorizon({ baseS: 1, maxS: 3 });
 * h.onStall(t);        // h.seconds(t) === 1.5
 * h.seconds(t + 60e3); // 1.25: 30 s stall-free narrows by 0.25 s, twice
 */
export interface AdaptiveHorizonOptions {
  /** The configured horizon, seconds (FRISSON_HORIZON): where a stall-free session sits. */
  baseS: number;
  /** Cap, seconds (FRISSON_HORIZON_MAX); below `baseS` it is taken as `baseS` (no widening). */
  maxS: number;
  /** Added per stall episode, seconds (default 0.5). */
  stallStepS?: number;
  /** Stall reports closer than this to the last counted one are the same episode (default 2 s). */
  stallDebounceMs?: number;
  /** Stall-free time before each narrowing step, ms (default 30 s). */
  narrowAfterMs?: number;
  /** Removed per stall-free `narrowAfterMs`, seconds (default 0.25). */
  narrowStepS?: number;
}

export class AdaptiveHorizon {
  readonly baseS: number;
  readonly maxS: number;
  private readonly stallStepS: number;
  private readonly stallDebounceMs: number;
  private readonly narrowAfterMs: number;
  private readonly narrowStepS: number;
  /** Seconds above base right after the last counted stall. */
  private widenedAtStall = 0;
  private lastStallAt = -Infinity;

  constructor(opts: AdaptiveHorizonOptions) {
    this.baseS = opts.baseS;
    this.maxS = Math.max(opts.baseS, opts.maxS);
    this.stallStepS = opts.stallStepS ?? 0.5;
    this.stallDebounceMs = opts.stallDebounceMs ?? 2000;
    this.narrowAfterMs = opts.narrowAfterMs ?? 30_000;
    this.narrowStepS = opts.narrowStepS ?? 0.25;
  }

  /** Seconds above the base at `now` (the widening left after stall-free narrowing). */
  private widened(now: number): number {
    if (this.widenedAtStall === 0) return 0;
    const steps = Math.floor(Math.max(0, now - this.lastStallAt) / this.narrowAfterMs);
    return Math.max(0, this.widenedAtStall - steps * this.narrowStepS);
  }

  /** The horizon at `now`, seconds. */
  seconds(now: number): number {
    return this.baseS + this.widened(now);
  }

  /** The player reported a stall at `at`: widen (once per episode, up to the cap). */
  onStall(at: number): void {
    if (at - this.lastStallAt < this.stallDebounceMs) return;
    this.widenedAtStall = Math.min(this.maxS - this.baseS, this.widened(at) + this.stallStepS);
    this.lastStallAt = at;
  }
}
