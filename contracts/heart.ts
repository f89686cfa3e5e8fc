/**
 * Types at the seam between the sensor stage and the viewer-state stage.
 * A `HeartSample` is what any device (BLE strap, HID seat, simulator, replayed trace) produces;
 * a `SignalSnapshot` is what the signal stage (sensors/signal) hands to the director and the
 * narrator. Its values are bounded by contracts/limits.ts.
 */

/** One reading from a heart-rate device. At least one of `bpm` or `rr` is present. */
export interface HeartSample {
  /** Milliseconds (monotonic within a stream; epoch ms for live devices). */
  t: number;
  /** Device-reported heart rate, beats per minute. */
  bpm?: number;
  /** Beat-to-beat (RR) intervals in milliseconds, oldest first. */
  rr?: number[];
  /** Sensor contact: false when the device says the strap/seat lost skin contact. */
  contact?: boolean;
  /** Skin conductance (EDA/GSR) in microsiemens, when the seat provides it. */
  eda?: number;
}

export type ContactState = 'ok' | 'no-contact' | 'dropout' | 'unknown';

/** The per-viewer state the director consumes. All values are relative to the viewer's baseline. */
export interface SignalSnapshot {
  t: number;
  heartRate: number | null;
  rmssd: number | null;
  baselineHeartRate: number | null;
  baselineRmssd: number | null;
  /** Skin conductance over the heart-rate window, µS (null without an EDA channel or contact). */
  eda: number | null;
  /** Arousal index 0 (at/below resting baseline) … 1 (strongly aroused). */
  arousal: number;
  /** Change of arousal per second over the last few seconds. */
  arousalSlope: number;
  /** Relative change of RMSSD against baseline (negative = vagal withdrawal = more aroused). */
  rmssdChange: number;
  contact: ContactState;
  /** Fraction of beats in the current window that passed artifact rejection (0–1). */
  cleanFraction: number;
  /** True once enough resting data has been seen to set a baseline. */
  calibrated: boolean;
}

/** Result of pushing one sample: rejected samples never change state. */
export type PushResult =
  { ok: true } | { ok: false; code: 'out-of-range' | 'stale'; message: string };

/** A per-viewer signal processor. Constant memory; a few microseconds per sample. */
export interface ViewerSignal {
  push(sample: HeartSample): PushResult;
  snapshot(now: number): SignalSnapshot;
}
