/**
 * Per-viewer resting baseline for one quantity (heart rate, RMSSD or EDA).
 *
 * Calibration: the mean over the first `calibrationMs` of valid data (the viewer is asked to sit
 * still during titles), then a slow exponential moving average. The EMA only moves while the viewer
 * is near rest (`update` called with `atRest` true), so a long tense scene does not become the new
 * "resting" level; towards calm it adapts faster (`calmwardTauMs`), because a viewer who was
 * nervous while calibrating should not stay "aroused" for the whole film.
 */
export interface BaselineOptions {
  /** Duration of valid data needed to calibrate, ms. Default 20 000. */
  calibrationMs?: number;
  /** Minimum readings during calibration. Default 10. */
  minReadings?: number;
  /** EMA time constant towards the aroused side, ms. Default 600 000 (10 min). */
  arousalwardTauMs?: number;
  /** EMA time constant towards the calm side, ms. Default 60 000. */
  calmwardTauMs?: number;
  /** Which side of the baseline means aroused: 'higher' (HR, EDA) or 'lower' (RMSSD). */
  arousedWhen?: 'higher' | 'lower';
}

export class BaselineTracker {
  private readonly calibrationMs: number;
  private readonly minReadings: number;
  private readonly arousalwardTauMs: number;
  private readonly calmwardTauMs: number;
  private readonly arousedHigher: boolean;
  private firstT: number | null = null;
  private lastT: number | null = null;
  private sum = 0;
  private n = 0;
  private baseline: number | null = null;

  constructor(options: BaselineOptions = {}) {
    this.calibrationMs = options.calibrationMs ?? 20_000;
    this.minReadings = options.minReadings ?? 10;
    this.arousalwardTauMs = options.arousalwardTauMs ?? 600_000;
    this.calmwardTauMs = options.calmwardTauMs ?? 60_000;
    this.arousedHigher = (options.arousedWhen ?? 'higher') === 'higher';
  }

  /** The baseline, or null until calibrated. */
  get value(): number | null {
    return this.baseline;
  }

  get calibrated(): boolean {
    return this.baseline !== null;
  }

  /**
   * Feeds one reading at time `t` (ms). During calibration it is averaged; afterwards the EMA
   * moves only when `atRest` is true.
   */
  update(t: number, value: number, atRest: boolean): void {
    if (!Number.isFinite(value)) return;
    if (this.baseline === null) {
      this.firstT ??= t;
      this.sum += value;
      this.n += 1;
      this.lastT = t;
      if (t - this.firstT >= this.calibrationMs && this.n >= this.minReadings) {
        this.baseline = this.sum / this.n;
      }
      return;
    }
    const dt = this.lastT === null ? 0 : Math.max(0, t - this.lastT);
    this.lastT = t;
    if (!atRest) return;
    const calmward = this.arousedHigher ? value < this.baseline : value > this.baseline;
    const tau = calmward ? this.calmwardTauMs : this.arousalwardTauMs;
    const a = 1 - Math.exp(-dt / tau);
    this.baseline += (value - this.baseline) * a;
  }
}
