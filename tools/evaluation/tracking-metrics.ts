/**
 * Tracking metrics over a closed-loop run: RMSE between the target curve and the realised arousal,
 * and the share of time within ±band of the target. "measured" uses the ViewerSignalProcessor's
 * arousal (what the director steers by; boundaries without sensor contact are skipped); "true"
 * uses the simulator's latent arousal (ground truth, never seen by any policy).
 */
import type { ClosedLoopResult } from '../closed-loop/closed-loop.js';

export interface TrackingMetrics {
  policy: string;
  capped: boolean;
  /** RMSE target vs measured (processor) arousal. Acceptance uses this one. */
  rmse: number;
  /** Share of boundaries with |measured − target| ≤ band, 0–1. */
  withinBand: number;
  /** RMSE target vs the simulator's true latent arousal. */
  rmseTrue: number;
  withinBandTrue: number;
  capViolations: number;
  fallbacks: number;
  decisions: number;
  hrCeilingEvents: number;
  meanIntensity: number;
}

/**
 * @example
 *   const m = trackingMetrics(await runClosedLoop(opts)); // m.rmse, m.withinBand …
 */
export function trackingMetrics(r: ClosedLoopResult, band = 0.1, skipS = 0): TrackingMetrics {
  let se = 0;
  let n = 0;
  let inBand = 0;
  let seTrue = 0;
  let nTrue = 0;
  let inBandTrue = 0;
  let sumI = 0;
  let nI = 0;
  for (const tr of r.traces) {
    tr.target.forEach((target, k) => {
      if ((r.times[k] ?? 0) < skipS) return;
      const a = tr.arousal[k] ?? 0;
      const at = tr.trueArousal[k] ?? 0;
      if ((tr.contact[k] ?? 0) > 0) {
        se += (a - target) ** 2;
        n++;
        if (Math.abs(a - target) <= band) inBand++;
      }
      seTrue += (at - target) ** 2;
      nTrue++;
      if (Math.abs(at - target) <= band) inBandTrue++;
      sumI += tr.intensity[k] ?? 0;
      nI++;
    });
  }
  return {
    policy: r.policy,
    capped: r.capped,
    rmse: Math.sqrt(se / Math.max(1, n)),
    withinBand: inBand / Math.max(1, n),
    rmseTrue: Math.sqrt(seTrue / Math.max(1, nTrue)),
    withinBandTrue: inBandTrue / Math.max(1, nTrue),
    capViolations: r.capViolations,
    fallbacks: r.fallbacks,
    decisions: r.decisions,
    hrCeilingEvents: r.hrCeilingEvents,
    meanIntensity: sumI / Math.max(1, nI),
  };
}
