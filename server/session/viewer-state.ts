/**
 * The viewer-state stage for one home viewer: the signal processor's snapshot plus what their hands
 * did (clicks, pauses), condensed into the features the director reads — by the same
 * ViewerFeatureTracker the director was trained and evaluated with, so served features match.
 */
import type { ViewerFeatures } from '../../contracts/director.js';
import { ViewerFeatureTracker } from '../../models/features/viewer-feature-tracker.js';
import type {
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../../contracts/heart.js';

export type InputKind = 'click' | 'pause' | 'play' | 'seek' | 'visibility' | 'key';

export class ViewerState {
  private readonly signal: ViewerSignal;
  private readonly tracker = new ViewerFeatureTracker();

  constructor(signal: ViewerSignal) {
    this.signal = signal;
  }

  pushSample(sample: HeartSample): PushResult {
    return this.signal.push(sample);
  }

  recordInput(kind: InputKind, at: number): void {
    if (kind === 'click' || kind === 'key') this.tracker.recordClick(at);
    else if (kind === 'pause') this.tracker.recordPause(at);
  }

  snapshot(now: number): SignalSnapshot {
    return this.signal.snapshot(now);
  }

  /** Called once per decision: peaks and input windows advance with the director's clock. */
  features(now: number): ViewerFeatures {
    return this.tracker.update(this.signal.snapshot(now));
  }
}
