/**
 * Beat-by-beat RR artifact rejection and correction, streaming, constant memory.
 *
 * Rules (in order), after common practice:
 * 1. Physiological limits: RR outside the plausible beat, 300–2000 ms, is an artifact
 *    (contracts/limits.ts PLAUSIBLE_BEAT_RR_MS: hrv-analysis `remove_outliers`; RHRV `FilterNIHR`
 *    uses 25–200 bpm, i.e. 300–2400 ms).
 * 2. Ectopic/artifact rule: a beat differing by more than 20 % from BOTH the running median of the
 *    last accepted beats AND the last accepted beat is suspect (Xu & Schuckers 2008). Requiring
 *    both lets a real, gradual heart-rate change through.
 * 3. Correction à la Lipponen & Tarvainen 2019 (Kubios): a long beat ≈ 2 × median is a missed
 *    detection and is split in two; a short beat followed by another short one summing to ≈ median
 *    is an extra detection and the pair is merged; a short–long pair summing to ≈ 2 × median is an
 *    ectopic beat with compensatory pause and becomes two interpolated beats; any other isolated bad
 *    beat is replaced by linear interpolation between its neighbours; runs of bad beats are dropped
 *    and the next good beat starts a new segment (`gapBefore`), so RMSSD never differences across
 *    a hole.
 * 4. Re-anchoring: after `reanchorAfter` consecutive rejected beats the median is forgotten; a true
 *    sustained jump (e.g. after contact loss) must not lock the filter out forever.
 *
 * The clean fraction is the share of input intervals, over the last `fractionWindow` inputs, that
 * passed unmodified (Lipponen & Tarvainen report the corrected share the same way).
 *
 * Correction needs one beat of look-ahead: a suspect beat is held until the next one arrives.
 */
import { PLAUSIBLE_BEAT_RR_MS } from '../../contracts/limits.js';
import { Float64Slab } from './sliding-window.js';

/** How an output beat came about. */
export type BeatKind = 'clean' | 'interpolated' | 'merged' | 'split';

export interface ArtifactFilterOptions {
  /** Lower physiological RR limit, ms. Default PLAUSIBLE_BEAT_RR_MS.min (300). */
  minRrMs?: number;
  /** Upper physiological RR limit, ms. Default PLAUSIBLE_BEAT_RR_MS.max (2000). */
  maxRrMs?: number;
  /** Relative deviation threshold. Default 0.2 (20 %). */
  threshold?: number;
  /** Beats in the running median. Default 9 (odd). */
  medianBeats?: number;
  /** Input intervals over which the clean fraction is reported. Default 64. */
  fractionWindow?: number;
  /** Consecutive rejected beats before the filter re-anchors. Default 5. */
  reanchorAfter?: number;
  /** Where its 2 × medianBeats numbers live (default: a slab of its own; see Float64Slab). */
  slab?: Float64Slab;
}

/** Receives each output beat, in order. */
export type BeatSink = (rr: number, kind: BeatKind, gapBefore: boolean) => void;

/** Beats in the running median unless `medianBeats` says otherwise. */
export const DEFAULT_MEDIAN_BEATS = 9;

/** Beats needed before the median-based rule applies. */
const MIN_HISTORY = 3;

/**
 * @example
 * const out: number[] = [];
 * const f = new ArtifactFilter((rr) => out.push(rr));
 * for (const rr of [800, 810, 400, 820, 805]) f.push(rr);
 * f.flush(); // out = [800, 810, 815, 820, 805] — the isolated 400 was interpolated
 */
export class ArtifactFilter {
  private readonly minRr: number;
  private readonly maxRr: number;
  private readonly threshold: number;
  private readonly reanchorAfter: number;
  /** Recent accepted beats at `buf[h0 + i]`, sort scratch at `buf[s0 + i]`, i < medianBeats. */
  private readonly buf: Float64Array;
  private readonly h0: number;
  private readonly s0: number;
  private readonly medianBeats: number;
  private historyPos = 0;
  private historyCount = 0;
  private lastAccepted: number | null = null;
  private pending: number | null = null;
  /** True when the pending beat is already part of a run (not isolated). */
  private pendingInRun = false;
  private gap = false;
  private consecutiveBad = 0;
  private readonly flags: Uint8Array;
  private flagPos = 0;
  private flagCount = 0;
  private cleanInWindow = 0;
  private totalIn = 0;
  private totalClean = 0;
  private totalDropped = 0;

  constructor(
    private readonly sink: BeatSink,
    options: ArtifactFilterOptions = {},
  ) {
    this.minRr = options.minRrMs ?? PLAUSIBLE_BEAT_RR_MS.min;
    this.maxRr = options.maxRrMs ?? PLAUSIBLE_BEAT_RR_MS.max;
    this.threshold = options.threshold ?? 0.2;
    this.reanchorAfter = options.reanchorAfter ?? 5;
    const medianBeats = options.medianBeats ?? DEFAULT_MEDIAN_BEATS;
    const slab = options.slab ?? new Float64Slab(2 * medianBeats);
    this.medianBeats = medianBeats;
    this.buf = slab.store;
    this.h0 = slab.take(medianBeats);
    this.s0 = slab.take(medianBeats);
    this.flags = new Uint8Array(options.fractionWindow ?? 64);
  }

  /** Share of recent input intervals that passed unmodified (1 when nothing was seen yet). */
  get cleanFraction(): number {
    return this.flagCount === 0 ? 1 : this.cleanInWindow / this.flagCount;
  }

  /** Lifetime counters: inputs, clean inputs, inputs dropped without replacement. */
  get stats(): { input: number; clean: number; dropped: number } {
    return { input: this.totalIn, clean: this.totalClean, dropped: this.totalDropped };
  }

  /** Running median of accepted beats, or null during warm-up. */
  get median(): number | null {
    if (this.historyCount < MIN_HISTORY) return null;
    const n = this.historyCount;
    const b = this.buf;
    const s = this.s0;
    for (let i = 0; i < n; i++) {
      // insertion sort of ≤ 9 values: cheaper than allocating
      const v = b[this.h0 + i] ?? 0;
      let j = i - 1;
      while (j >= 0 && (b[s + j] ?? 0) > v) {
        b[s + j + 1] = b[s + j] ?? 0;
        j--;
      }
      b[s + j + 1] = v;
    }
    const mid = n >> 1;
    return n % 2 === 1 ? (b[s + mid] ?? 0) : ((b[s + mid - 1] ?? 0) + (b[s + mid] ?? 0)) / 2;
  }

  /** Feeds one detected RR interval (ms). Non-finite values count as artifacts. */
  push(rr: number): void {
    this.totalIn += 1;
    const med = this.median;
    const good = this.isGood(rr, med);
    this.recordFlag(good && this.pending === null);

    if (this.pending === null) {
      if (good) {
        this.accept(rr, 'clean');
        this.consecutiveBad = 0;
        return;
      }
      if (med !== null && this.near(rr, 2 * med, med) && this.inLimits(rr / 2)) {
        // Missed detection: one interval spans two beats.
        this.accept(rr / 2, 'split');
        this.accept(rr / 2, 'split');
        this.consecutiveBad = 0;
        return;
      }
      this.pending = rr;
      this.pendingInRun = false;
      this.bumpBad();
      return;
    }

    const prev = this.pending;
    const sum = prev + rr;
    if (!this.pendingInRun && med !== null && this.near(sum, med, med) && this.inLimits(sum)) {
      // Extra detection: one interval was split in two.
      this.pending = null;
      this.accept(sum, 'merged');
      this.consecutiveBad = 0;
      return;
    }
    if (
      !this.pendingInRun &&
      med !== null &&
      !good &&
      this.near(sum, 2 * med, med) &&
      this.inLimits(sum / 2)
    ) {
      // Ectopic beat with compensatory pause: two beats of average length.
      this.pending = null;
      this.accept(sum / 2, 'interpolated');
      this.accept(sum / 2, 'interpolated');
      this.consecutiveBad = 0;
      return;
    }
    if (good) {
      this.pending = null;
      if (this.pendingInRun || this.lastAccepted === null) {
        this.drop();
      } else {
        this.accept((this.lastAccepted + rr) / 2, 'interpolated');
      }
      // The current beat was recorded as not clean above (it waited on a pending one); it is clean.
      this.fixLastFlagClean();
      this.accept(rr, 'clean');
      this.consecutiveBad = 0;
      return;
    }
    // Run of bad beats: drop the older one, keep waiting on the newer.
    this.drop();
    this.pending = rr;
    this.pendingInRun = true;
    this.bumpBad();
  }

  /**
   * Marks a hole in the beat stream (contact loss, dropout): a pending beat is dropped and the next
   * beat starts a new segment.
   */
  markGap(): void {
    if (this.pending !== null) {
      this.pending = null;
      this.drop();
    }
    this.gap = true;
  }

  /** Emits nothing new; drops a pending suspect beat (end of stream). */
  flush(): void {
    this.markGap();
  }

  private isGood(rr: number, med: number | null): boolean {
    if (!this.inLimits(rr)) return false;
    if (med === null || this.lastAccepted === null) return true;
    const t = this.threshold;
    const offMedian = Math.abs(rr - med) > t * med;
    const offLast = Math.abs(rr - this.lastAccepted) > t * this.lastAccepted;
    return !(offMedian && offLast);
  }

  private inLimits(rr: number): boolean {
    return Number.isFinite(rr) && rr >= this.minRr && rr <= this.maxRr;
  }

  private near(value: number, target: number, scale: number): boolean {
    return Math.abs(value - target) <= this.threshold * scale;
  }

  private accept(rr: number, kind: BeatKind): void {
    this.buf[this.h0 + this.historyPos] = rr;
    this.historyPos = (this.historyPos + 1) % this.medianBeats;
    this.historyCount = Math.min(this.medianBeats, this.historyCount + 1);
    this.lastAccepted = rr;
    const gapBefore = this.gap;
    this.gap = false;
    this.sink(rr, kind, gapBefore);
  }

  private drop(): void {
    this.totalDropped += 1;
    this.gap = true;
  }

  private bumpBad(): void {
    this.consecutiveBad += 1;
    if (this.consecutiveBad >= this.reanchorAfter) {
      this.historyCount = 0;
      this.historyPos = 0;
      this.lastAccepted = null;
      this.consecutiveBad = 0;
    }
  }

  private recordFlag(clean: boolean): void {
    const n = this.flags.length;
    if (this.flagCount === n) this.cleanInWindow -= this.flags[this.flagPos] ?? 0;
    else this.flagCount += 1;
    this.flags[this.flagPos] = clean ? 1 : 0;
    this.flagPos = (this.flagPos + 1) % n;
    if (clean) {
      this.cleanInWindow += 1;
      this.totalClean += 1;
    }
  }

  private fixLastFlagClean(): void {
    const i = (this.flagPos + this.flags.length - 1) % this.flags.length;
    if (this.flags[i] === 0) {
      this.flags[i] = 1;
      this.cleanInWindow += 1;
      this.totalClean += 1;
    }
  }
}

/**
 * Batch helper: cleans a whole RR series and returns the NN series with per-segment breaks.
 *
 * @example
 * cleanRrIntervals([800, 810, 400, 820, 805]).nn; // [800, 810, 815, 820, 805]
 */
export function cleanRrIntervals(
  rr: readonly number[],
  options: ArtifactFilterOptions = {},
): { nn: number[]; kinds: BeatKind[]; segments: number[][]; cleanFraction: number } {
  const nn: number[] = [];
  const kinds: BeatKind[] = [];
  const segments: number[][] = [];
  const filter = new ArtifactFilter(
    (v, kind, gapBefore) => {
      nn.push(v);
      kinds.push(kind);
      if (gapBefore || segments.length === 0) segments.push([]);
      segments[segments.length - 1]?.push(v);
    },
    { fractionWindow: Math.max(1, rr.length), ...options },
  );
  for (const v of rr) filter.push(v);
  filter.flush();
  return { nn, kinds, segments, cleanFraction: filter.cleanFraction };
}
