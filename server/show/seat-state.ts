/**
 * One seat of a show: its own signal processor (baseline, artifact rejection) and when it was
 * last heard from. Arousal is per seat first — relative to that seat's baseline — and only then
 * aggregated, so a seat with a high resting heart rate does not read as an aroused audience.
 */
import type { SignalSnapshot, ViewerSignal } from '../../contracts/heart.js';
import type { SeatReading } from './audience-aggregate.js';

export interface SeatView {
  seat: string;
  heartRate: number | null;
  arousal: number;
  contact: SignalSnapshot['contact'];
  calibrated: boolean;
}

/** One read of a seat (2 Hz per seat on the show tick: one object, not three). */
export type SeatRead = SeatView & SeatReading;

export class SeatState {
  readonly seat: string;
  private readonly signal: ViewerSignal;
  lastSampleAt: number | null = null;
  samples = 0;

  constructor(seat: string, signal: ViewerSignal) {
    this.seat = seat;
    this.signal = signal;
  }

  push(sample: Parameters<ViewerSignal['push']>[0]): ReturnType<ViewerSignal['push']> {
    const res = this.signal.push(sample);
    if (res.ok) {
      this.lastSampleAt = sample.t;
      this.samples++;
    }
    return res;
  }

  /** The seat now: the dashboard's view and the aggregate's reading in one object. */
  read(now: number): SeatRead {
    const s = this.signal.snapshot(now);
    return {
      seat: this.seat,
      heartRate: s.heartRate,
      arousal: s.arousal,
      contact: s.contact,
      calibrated: s.calibrated,
      arousalSlope: s.arousalSlope,
      rmssdChange: s.rmssdChange,
      baselineHeartRate: s.baselineHeartRate,
      inContact: s.contact === 'ok' && s.calibrated,
    };
  }
}
