/**
 * The viewer-state stage for one home viewer: the signal processor's snapshot plus what their hands
 * did (clicks, pauses) in recent windows, condensed into the features the director reads.
 */
import type { ViewerFeatures } from '../../models/director/scene-picker.js';
import type {
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../../sensors/signal/signal-types.js';

const INPUT_WINDOW_MS = 10_000;
/** Bounded memory: at most this many input timestamps per kind. */
const MAX_INPUTS = 64;
const PEAK_AROUSAL = 0.7;
const SINCE_PEAK_CAP_S = 120;

export type InputKind = 'click' | 'pause' | 'play' | 'seek' | 'visibility' | 'key';

export class ViewerState {
  private readonly signal: ViewerSignal;
  private readonly clicks: number[] = [];
  private readonly pauses: number[] = [];
  private lastPeakAt: number | null = null;
  private readonly startedAt: number;

  constructor(signal: ViewerSignal, now: number) {
    this.signal = signal;
    this.startedAt = now;
  }

  pushSample(sample: HeartSample): PushResult {
    return this.signal.push(sample);
  }

  recordInput(kind: InputKind, at: number): void {
    if (kind === 'click' || kind === 'key') push(this.clicks, at);
    else if (kind === 'pause') push(this.pauses, at);
  }

  snapshot(now: number): SignalSnapshot {
    const snap = this.signal.snapshot(now);
    if (snap.arousal >= PEAK_AROUSAL) this.lastPeakAt = now;
    return snap;
  }

  features(now: number): ViewerFeatures {
    const s = this.snapshot(now);
    const since = (now - (this.lastPeakAt ?? this.startedAt)) / 1000;
    return {
      arousal: s.arousal,
      arousalSlope: s.arousalSlope,
      rmssdChange: s.rmssdChange,
      heartRate: s.heartRate,
      baselineHeartRate: s.baselineHeartRate,
      contact: s.contact === 'ok' && s.calibrated ? 1 : 0,
      clicks: countSince(this.clicks, now - INPUT_WINDOW_MS),
      pauses: countSince(this.pauses, now - INPUT_WINDOW_MS),
      sinceLastPeak: Math.min(SINCE_PEAK_CAP_S, Math.max(0, since)),
    };
  }
}

function push(list: number[], at: number): void {
  list.push(at);
  if (list.length > MAX_INPUTS) list.shift();
}

function countSince(list: number[], from: number): number {
  let n = 0;
  for (let i = list.length - 1; i >= 0 && (list[i] ?? 0) >= from; i--) n++;
  return n;
}
