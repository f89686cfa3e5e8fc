/**
 * The audience's latent arousal: one estimator per show (not per seat — ≈ 30 KB each), observing
 * the median heart-rate change of the seats in contact (`aggregateAudience`), told what the shared
 * screen shows. The median of many seats is a far steadier heart than any one seat's, and every
 * seat saw the same film, so one observer of "the median viewer" is what the director needs; the
 * seats' median reading stays in the features as `reading` (docs/venues.md, docs/director.md).
 */
import { LatentArousalEstimator } from '../../models/estimator/latent-arousal-estimator.js';
import type { AudienceAggregate } from './audience-aggregate.js';

const OBSERVE_EVERY_MS = 1000;

export class AudienceArousal {
  private readonly estimator = new LatentArousalEstimator();
  private shown = Number.NaN;
  private lastT = Number.NEGATIVE_INFINITY;
  private lastObservedT = Number.NEGATIVE_INFINITY;

  /**
   * Feeds the estimator (what the screen shows from `now`, the aggregate's median heart-rate
   * change) and returns the aggregate with the estimate as its arousal (while calibrating, the
   * population prior's answer to what was shown, flagged `calibrating`).
   */
  /** Seconds of heart data the estimate still needs before it is calibrated (0 once it is). */
  get calibrationRemainingS(): number {
    return Math.ceil(this.estimator.calibrationRemainingS);
  }

  update(now: number, shownIntensity: number, agg: AudienceAggregate): AudienceAggregate {
    const est = this.estimator;
    // The screen tick and the session's boundary reads share a clock; never feed time backwards.
    const t = Math.max(now, this.lastT);
    this.lastT = t;
    if (shownIntensity !== this.shown) {
      est.play(t, shownIntensity);
      this.shown = shownIntensity;
    }
    const f = agg.features;
    // One observation a second, the rate of a strap's samples that the estimator's tempering
    // assumes: the show ticks twice a second and the screen's boundaries read it too, and feeding
    // each of those would count the same median heart several times over.
    if (
      t - this.lastObservedT >= OBSERVE_EVERY_MS &&
      f.contact > 0 &&
      f.heartRate !== null &&
      f.baselineHeartRate !== null
    ) {
      this.lastObservedT = t;
      est.observe({ t, heartRate: f.heartRate - f.baselineHeartRate, eda: null, rmssd: null });
    }
    if (f.contact <= 0) return agg;
    // While calibrating, the estimate is the population's answer to what was shown (the prior).
    const e = est.estimate(t);
    return {
      ...agg,
      features: {
        ...f,
        arousal: e.arousal,
        arousalSd: e.sd,
        evidence: e.evidence,
        calibrating: e.calibrating,
      },
    };
  }
}
