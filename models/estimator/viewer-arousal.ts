/**
 * One viewer's state as the director sees it: the signal stage's reading (a ViewerSignal, e.g.
 * sensors/signal's ViewerSignalProcessor, injected) and the latent-arousal estimate built on it
 * with what the screen showed. Sessions, shows' seats, the closed-loop evaluation and training all
 * hold one of these per viewer, so every consumer gets the same estimate from the same samples.
 */
import type {
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../../contracts/heart.js';
import {
  LatentArousalEstimator,
  type ArousalEstimate,
  type EstimatorOptions,
} from './latent-arousal-estimator.js';

export interface ViewerArousalSnapshot {
  signal: SignalSnapshot;
  estimate: ArousalEstimate;
}

/**
 * @example
 *   const viewer = new ViewerArousal(new ViewerSignalProcessor());
 *   viewer.play(Date.now(), 0.67);            // a tense variant starts
 *   viewer.push({ t: Date.now(), bpm: 72, rr: [830] });
 *   const { signal, estimate } = viewer.snapshot(Date.now());
 */
export class ViewerArousal {
  readonly estimator: LatentArousalEstimator;

  constructor(
    readonly signal: ViewerSignal,
    options: EstimatorOptions = {},
  ) {
    this.estimator = new LatentArousalEstimator(options);
  }

  /** The screen shows `intensity` from time `t` (ms; the same clock as the samples). */
  play(t: number, intensity: number): void {
    this.estimator.play(t, intensity);
  }

  /** One sample into the signal stage; what it then reads is one observation of the estimator. */
  push(sample: HeartSample): PushResult {
    const r = this.signal.push(sample);
    if (!r.ok) return r;
    const s = this.signal.snapshot(sample.t);
    this.estimator.observe({ t: sample.t, heartRate: s.heartRate, eda: s.eda, rmssd: s.rmssd });
    return r;
  }

  snapshot(t: number): ViewerArousalSnapshot {
    return { signal: this.signal.snapshot(t), estimate: this.estimator.estimate(t) };
  }
}
