/**
 * The viewer-state stage for one home viewer: what the body shows (the signal stage's reading),
 * what the viewer feels (the latent-arousal estimate, models/estimator, told what the screen showed)
 * and what their hands did (clicks, pauses), condensed into the features the director reads — by
 * the same ViewerArousal and ViewerFeatureTracker the director was trained and evaluated with, so
 * served features match.
 */
import type { ViewerFeatures } from '../../contracts/director.js';
import type {
  ArousalEstimate,
  EstimatorOptions,
} from '../../models/estimator/latent-arousal-estimator.js';
import { ViewerArousal } from '../../models/estimator/viewer-arousal.js';
import { ViewerFeatureTracker } from '../../models/features/viewer-feature-tracker.js';
import type {
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../../contracts/heart.js';

export type InputKind = 'click' | 'pause' | 'play' | 'seek' | 'visibility' | 'key';

export class ViewerState {
  private readonly viewer: ViewerArousal;
  private readonly tracker = new ViewerFeatureTracker();
  private showingNow = Number.NaN;
  private samples = 0;

  constructor(signal: ViewerSignal, estimator: EstimatorOptions = {}) {
    this.viewer = new ViewerArousal(signal, estimator);
  }

  /** The screen shows `intensity` from `at` (ms): the estimator's known input. */
  showing(at: number, intensity: number): void {
    if (intensity === this.showingNow) return;
    this.showingNow = intensity;
    this.viewer.play(at, intensity);
  }

  /** True once a heart sample was accepted (a strap or seat is connected). */
  get hasSensor(): boolean {
    return this.samples > 0;
  }

  pushSample(sample: HeartSample): PushResult {
    const r = this.viewer.push(sample);
    if (r.ok) this.samples++;
    return r;
  }

  recordInput(kind: InputKind, at: number): void {
    if (kind === 'click' || kind === 'key') this.tracker.recordClick(at);
    else if (kind === 'pause') this.tracker.recordPause(at);
  }

  snapshot(now: number): SignalSnapshot {
    return this.viewer.signal.snapshot(now);
  }

  estimate(now: number): ArousalEstimate {
    return this.viewer.estimator.estimate(now);
  }

  /** Called once per decision: peaks and input windows advance with the director's clock. */
  features(now: number): ViewerFeatures {
    const { signal, estimate } = this.viewer.snapshot(now);
    const estimator = this.viewer.estimator;
    return this.tracker.update(signal, estimate, (plan, stepS) => estimator.forecast(plan, stepS));
  }
}
