/**
 * Tracking metrics over a closed-loop run. What counts is what the viewer felt: `rmseTrue` is the
 * RMSE between the target curve and the simulator's latent arousal (ground truth, never seen by any
 * policy). Beside it, as diagnostics: the same against the signal stage's reading (what the
 * foundation steered by; boundaries without sensor contact skipped), and how far the estimator's
 * estimate was from the latent arousal (after the first `estimatorSkipS` of the story, default 60).
 */
import type { ClosedLoopResult } from '../closed-loop/closed-loop.js';

export interface TrackingMetrics {
  policy: string;
  capped: boolean;
  /** RMSE target vs the simulator's latent arousal (ground truth): the figure that counts. */
  rmseTrue: number;
  /** Share of boundaries with |latent − target| ≤ band, 0–1. */
  withinBandTrue: number;
  /** RMSE target vs the signal stage's reading (diagnostic; contact only). */
  rmseReading: number;
  withinBandReading: number;
  /** RMS(estimate − latent) after the first `estimatorSkipS` seconds of the story. */
  estimatorRms: number;
  /** Mean posterior sd the estimator reported over the same boundaries (its own error claim). */
  estimatorSd: number;
  capViolations: number;
  fallbacks: number;
  decisions: number;
  hrCeilingEvents: number;
  meanIntensity: number;
}

/**
 * @example
 *   const m = trackingMetrics(await runClosedLoop(opts)); // m.rmseTrue, m.estimatorRms …
 */
export function trackingMetrics(
  r: ClosedLoopResult,
  band = 0.1,
  skipS = 0,
  estimatorSkipS = 60,
): TrackingMetrics {
  let se = 0;
  let n = 0;
  let inBand = 0;
  let seTrue = 0;
  let nTrue = 0;
  let inBandTrue = 0;
  let seEst = 0;
  let sdEst = 0;
  let nEst = 0;
  let sumI = 0;
  let nI = 0;
  for (const tr of r.traces) {
    tr.target.forEach((target, k) => {
      const t = r.times[k] ?? 0;
      if (t < skipS) return;
      const reading = tr.reading[k] ?? 0;
      const latent = tr.trueArousal[k] ?? 0;
      if ((tr.contact[k] ?? 0) > 0) {
        se += (reading - target) ** 2;
        n++;
        if (Math.abs(reading - target) <= band) inBand++;
      }
      seTrue += (latent - target) ** 2;
      nTrue++;
      if (Math.abs(latent - target) <= band) inBandTrue++;
      if (t >= estimatorSkipS) {
        seEst += ((tr.arousal[k] ?? 0) - latent) ** 2;
        sdEst += tr.arousalSd[k] ?? 0;
        nEst++;
      }
      sumI += tr.intensity[k] ?? 0;
      nI++;
    });
  }
  return {
    policy: r.policy,
    capped: r.capped,
    rmseTrue: Math.sqrt(seTrue / Math.max(1, nTrue)),
    withinBandTrue: inBandTrue / Math.max(1, nTrue),
    rmseReading: Math.sqrt(se / Math.max(1, n)),
    withinBandReading: inBand / Math.max(1, n),
    estimatorRms: Math.sqrt(seEst / Math.max(1, nEst)),
    estimatorSd: sdEst / Math.max(1, nEst),
    capViolations: r.capViolations,
    fallbacks: r.fallbacks,
    decisions: r.decisions,
    hrCeilingEvents: r.hrCeilingEvents,
    meanIntensity: sumI / Math.max(1, nI),
  };
}
