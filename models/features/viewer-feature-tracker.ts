/**
 * Turns the viewer-state stage's output — the signal stage's SignalSnapshot and, when the viewer has
 * one, the latent-arousal estimate (models/estimator) — into the director's ViewerFeatures, adding
 * what needs a little history: seconds since the last arousal peak and clicks/pauses in the last
 * 10 s. Without an estimate (an audience aggregate) the reading stands in for it.
 * One instance per viewer (sessions own it); constant memory.
 */
import type { SignalSnapshot } from '../../contracts/heart.js';
import type { ViewerFeatures } from '../../contracts/director.js';
import type { ArousalEstimate } from '../estimator/latent-arousal-estimator.js';

export interface ViewerFeatureTrackerOptions {
  /** Arousal at or above this counts as a peak (default 0.6). */
  peakArousal?: number;
  /** `sinceLastPeak` is capped here, seconds (default 180). */
  maxSinceS?: number;
  /** Window for clicks/pauses, ms (default 10 000). */
  windowMs?: number;
}

/**
 * Bounded memory even when `update` is not called for a while (a paused or ended session still
 * receives clicks): only the newest inputs are kept; a count above this saturates.
 */
const MAX_INPUTS = 64;

function record(list: number[], t: number): void {
  list.push(t);
  if (list.length > MAX_INPUTS) list.shift();
}

export class ViewerFeatureTracker {
  private readonly peak: number;
  private readonly maxSinceS: number;
  private readonly windowMs: number;
  private lastPeakMs: number | null = null;
  private firstMs: number | null = null;
  private readonly clicks: number[] = [];
  private readonly pauses: number[] = [];

  /**
   * @example
   *   const tracker = new ViewerFeatureTracker();
   *   const viewer = tracker.update(signal.snapshot(now));
   */
  constructor(opts: ViewerFeatureTrackerOptions = {}) {
    this.peak = opts.peakArousal ?? 0.6;
    this.maxSinceS = opts.maxSinceS ?? 180;
    this.windowMs = opts.windowMs ?? 10_000;
  }

  recordClick(t: number): void {
    record(this.clicks, t);
  }

  recordPause(t: number): void {
    record(this.pauses, t);
  }

  update(
    s: SignalSnapshot,
    estimate?: ArousalEstimate,
    forecast?: ViewerFeatures['forecast'],
  ): ViewerFeatures {
    const now = s.t;
    this.firstMs ??= now;
    const live = s.contact === 'ok' && s.calibrated;
    const arousal = estimate ? estimate.arousal : s.arousal;
    if (live && arousal >= this.peak) this.lastPeakMs = now;
    const since = (now - (this.lastPeakMs ?? this.firstMs)) / 1000;
    const cutoff = now - this.windowMs;
    while ((this.clicks[0] ?? Infinity) < cutoff) this.clicks.shift();
    while ((this.pauses[0] ?? Infinity) < cutoff) this.pauses.shift();
    return {
      arousal,
      arousalSd: estimate ? estimate.sd : 0,
      evidence: estimate ? estimate.evidence : live ? 1 : 0,
      calibrating: estimate ? estimate.calibrating : !s.calibrated,
      reading: s.arousal,
      ...(forecast ? { forecast } : {}),
      arousalSlope: s.arousalSlope,
      rmssdChange: s.rmssdChange,
      heartRate: s.heartRate,
      baselineHeartRate: s.baselineHeartRate,
      contact: live ? 1 : 0,
      clicks: this.clicks.length,
      pauses: this.pauses.length,
      sinceLastPeak: Math.min(this.maxSinceS, Math.max(0, since)),
    };
  }
}
