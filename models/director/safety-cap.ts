/**
 * The hard safety cap, applied by the Director outside every picker (rule, model, bandit) so that no
 * learned component can ever violate it:
 *  1. a candidate above the viewer's chosen `maxIntensity` is never eligible;
 *  2. a heart rate above `baseline + hrAboveBaselineBpm` or above `hrAbsoluteBpm` forces relief:
 *     the least intense eligible candidate plays until the heart rate has been back under the
 *     ceiling (minus `hysteresisBpm`) for `reliefHoldS` seconds.
 */
import type { Candidate, ViewerFeatures } from '../../contracts/director.js';

export interface SafetyCapOptions {
  /** Relief when heart rate exceeds the resting baseline by this much (default 40 bpm). */
  hrAboveBaselineBpm?: number;
  /** Relief above this absolute heart rate whatever the baseline (default 170 bpm). */
  hrAbsoluteBpm?: number;
  /** Heart rate must fall this far under the ceiling to end relief (default 5 bpm). */
  hysteresisBpm?: number;
  /** Minimum relief duration, seconds (default 10). */
  reliefHoldS?: number;
}

export interface SafetyDecision {
  /** Indices into the original candidate list that are under the cap (never empty). */
  eligible: number[];
  /** True when every candidate was above the cap and the least intense one was kept anyway. */
  capUnsatisfiable: boolean;
  /** True while the heart-rate ceiling forces relief. */
  relief: boolean;
  /** Index (into the original list) of the least intense eligible candidate. */
  lowest: number;
  reason: string;
}

/** Tolerance for float noise when comparing an intensity with the cap. */
export const CAP_EPSILON = 1e-9;

export class SafetyCap {
  private readonly aboveBaseline: number;
  private readonly absolute: number;
  private readonly hysteresis: number;
  private readonly holdS: number;
  private reliefSince: number | null = null;

  constructor(opts: SafetyCapOptions = {}) {
    this.aboveBaseline = opts.hrAboveBaselineBpm ?? 40;
    this.absolute = opts.hrAbsoluteBpm ?? 170;
    this.hysteresis = opts.hysteresisBpm ?? 5;
    this.holdS = opts.reliefHoldS ?? 10;
  }

  /** The heart-rate ceiling for this viewer, bpm. */
  ceiling(viewer: Pick<ViewerFeatures, 'baselineHeartRate'>): number {
    const b = viewer.baselineHeartRate;
    return b === null ? this.absolute : Math.min(this.absolute, b + this.aboveBaseline);
  }

  /** True when this heart rate is over the ceiling (stateless; used by evaluation too). */
  overCeiling(
    viewer: Pick<ViewerFeatures, 'heartRate' | 'baselineHeartRate' | 'contact'>,
  ): boolean {
    return viewer.heartRate !== null && viewer.heartRate > this.ceiling(viewer);
  }

  /** Applies the cap at story time `timeS` (seconds). Stateful: relief has hysteresis. */
  apply(
    candidates: readonly Candidate[],
    maxIntensity: number,
    viewer: ViewerFeatures,
    timeS: number,
  ): SafetyDecision {
    let eligible: number[] = [];
    let lowestAll = 0;
    candidates.forEach((c, i) => {
      if (c.intensity <= maxIntensity + CAP_EPSILON) eligible.push(i);
      if (c.intensity < (candidates[lowestAll]?.intensity ?? Infinity)) lowestAll = i;
    });
    const capUnsatisfiable = eligible.length === 0;
    if (capUnsatisfiable) eligible = [lowestAll];
    let lowest = eligible[0] ?? 0;
    for (const i of eligible) {
      if ((candidates[i]?.intensity ?? 1) < (candidates[lowest]?.intensity ?? 1)) lowest = i;
    }
    const hr = viewer.heartRate;
    const ceiling = this.ceiling(viewer);
    if (hr !== null && hr > ceiling) {
      this.reliefSince ??= timeS;
    } else if (this.reliefSince !== null) {
      const calm = hr === null || hr <= ceiling - this.hysteresis;
      if (calm && timeS - this.reliefSince >= this.holdS) this.reliefSince = null;
    }
    const relief = this.reliefSince !== null;
    const reason = capUnsatisfiable
      ? `no candidate under cap ${maxIntensity}: least intense kept`
      : relief
        ? `heart rate ${hr?.toFixed(0) ?? '?'} over ceiling ${ceiling.toFixed(0)}: relief`
        : `${eligible.length}/${candidates.length} under cap ${maxIntensity}`;
    return { eligible, capUnsatisfiable, relief, lowest, reason };
  }
}
