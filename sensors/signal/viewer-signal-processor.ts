/**
 * Per-viewer signal stage: turns raw HeartSamples (BLE strap, HID seat, simulator, replayed trace)
 * into the SignalSnapshot the director reads. Constant memory (fixed ring buffers), a few µs per
 * sample (`frisson bench signal`).
 *
 * Pipeline per sample: validation (the edge limits of contracts/limits.ts) → contact/dropout
 * bookkeeping → RR artifact rejection and correction (ArtifactFilter: the plausible-beat limits,
 * 20 % rule, Lipponen & Tarvainen 2019) → sliding
 * windows (heart rate over 5 s, RMSSD over 30 s per Task Force 1996, EDA over 5 s) → per-viewer
 * baselines (20 s resting calibration, then a slow EMA while at rest) → arousal index (see
 * arousal-index.ts) and its slope.
 *
 * Samples that carry only `bpm` (no RR) are supported: heart rate then comes from the device bpm
 * and RMSSD stays null, so arousal uses heart rate (and EDA) alone.
 */
import { EDGE_BPM, EDGE_EDA_US, EDGE_RR_MS, MAX_RR_PER_SAMPLE } from '../../contracts/limits.js';
import type {
  ContactState,
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../../contracts/heart.js';
import { ArtifactFilter, DEFAULT_MEDIAN_BEATS, type BeatSink } from './artifact-filter.js';
import { arousalIndex } from './arousal-index.js';
import { forkState } from './fork-state.js';
import { BaselineTracker } from './baseline-tracker.js';
import { Float64Slab, SlidingWindow } from './sliding-window.js';
import { SlopeEstimator } from './slope-estimator.js';

export interface ViewerSignalOptions {
  /** Resting calibration, seconds of valid data. Default 20. */
  calibrationS?: number;
  /** RMSSD window, seconds. Default 30 (ultra-short-term RMSSD; Task Force 1996 uses 5 min). */
  rmssdWindowS?: number;
  /** Heart-rate / EDA averaging window, seconds. Default 5. */
  hrWindowS?: number;
  /** No sample for longer than this is a dropout, ms. Default 3000. */
  dropoutMs?: number;
  /** Arousal slope window, seconds. Default 5. */
  slopeWindowS?: number;
  /** Below this arousal the viewer counts as "at rest" and baselines may adapt. Default 0.2. */
  restArousal?: number;
}

/**
 * RR-derived heart rate is used while the newest clean beat is at most this old (a beat every 2 s
 * at 30 bpm, plus slack); otherwise the device bpm is used (straps that stop sending RR).
 */
const NN_FRESH_MS = 2500;
/** Fewest successive differences for a meaningful RMSSD. */
const MIN_DIFFS = 5;

const outOfRange = (message: string): PushResult => ({ ok: false, code: 'out-of-range', message });

/**
 * @example
 * const sig = new ViewerSignalProcessor();
 * for (const s of samples) sig.push(s);
 * const { arousal, contact, calibrated } = sig.snapshot(Date.now());
 */
export class ViewerSignalProcessor implements ViewerSignal {
  private readonly dropoutMs: number;
  private readonly restArousal: number;
  private readonly hrWindowMs: number;
  private readonly rmssdWindowMs: number;
  private readonly filter: ArtifactFilter;
  private readonly diffs: SlidingWindow;
  private readonly nn: SlidingWindow;
  private readonly bpm: SlidingWindow;
  private readonly eda: SlidingWindow;
  private readonly hrBase: BaselineTracker;
  private readonly rmssdBase: BaselineTracker;
  private readonly edaBase: BaselineTracker;
  private readonly slope: SlopeEstimator;
  private lastT: number | null = null;
  private lastContact = true;
  private prevNn: number | null = null;
  private beatT = 0;
  private arousal = 0;

  constructor(options: ViewerSignalOptions = {}) {
    const calibrationMs = (options.calibrationS ?? 20) * 1000;
    this.dropoutMs = options.dropoutMs ?? 3000;
    this.restArousal = options.restArousal ?? 0.2;
    this.hrWindowMs = (options.hrWindowS ?? 5) * 1000;
    this.rmssdWindowMs = (options.rmssdWindowS ?? 30) * 1000;
    // Capacities sized for 300 ms beats (200 bpm) and 4 Hz sampling over each window (faster
    // sources keep their newest entries). All ring buffers of this viewer live in one slab and
    // index into it: one allocation and no typed-array object per buffer (a venue holds thousands).
    const slopeWindowMs = (options.slopeWindowS ?? 5) * 1000;
    const beats = Math.ceil(this.rmssdWindowMs / 300) + 8;
    const hrBeats = Math.ceil(this.hrWindowMs / 300) + 8;
    const hrSamples = Math.ceil(this.hrWindowMs / 250) + 8;
    const slopeSamples = Math.ceil(slopeWindowMs / 250) + 8;
    const slab = new Float64Slab(
      2 * (beats + hrBeats + 2 * hrSamples + slopeSamples + DEFAULT_MEDIAN_BEATS),
    );
    this.filter = new ArtifactFilter((rr, _kind, gapBefore) => this.onBeat(rr, gapBefore), {
      medianBeats: DEFAULT_MEDIAN_BEATS,
      slab,
    });
    this.diffs = new SlidingWindow(this.rmssdWindowMs, beats, slab);
    this.nn = new SlidingWindow(this.hrWindowMs, hrBeats, slab);
    this.bpm = new SlidingWindow(this.hrWindowMs, hrSamples, slab);
    this.eda = new SlidingWindow(this.hrWindowMs, hrSamples, slab);
    this.hrBase = new BaselineTracker({ calibrationMs });
    this.rmssdBase = new BaselineTracker({ calibrationMs, arousedWhen: 'lower' });
    this.edaBase = new BaselineTracker({ calibrationMs });
    this.slope = new SlopeEstimator(slopeWindowMs, slopeSamples, slab);
  }

  push(sample: HeartSample): PushResult {
    const { t, bpm, rr, contact, eda } = sample;
    if (!Number.isFinite(t)) return outOfRange('t must be a finite number');
    if (this.lastT !== null && t < this.lastT) {
      return { ok: false, code: 'stale', message: `t ${t} is older than the last sample` };
    }
    if (contact !== false) {
      // The edge limits (contracts/limits.ts): a sample failing them is rejected whole.
      if (
        bpm !== undefined &&
        !(Number.isFinite(bpm) && bpm >= EDGE_BPM.min && bpm <= EDGE_BPM.max)
      ) {
        return outOfRange(`bpm ${bpm} outside ${EDGE_BPM.min}–${EDGE_BPM.max}`);
      }
      if (rr !== undefined) {
        if (rr.length > MAX_RR_PER_SAMPLE) {
          return outOfRange(`more than ${MAX_RR_PER_SAMPLE} RR intervals`);
        }
        for (const v of rr) {
          if (!(Number.isFinite(v) && v > 0 && v <= EDGE_RR_MS.max)) {
            return outOfRange(`RR ${v} ms outside (0, ${EDGE_RR_MS.max}]`);
          }
        }
      }
      const { min: edaMin, max: edaMax } = EDGE_EDA_US;
      if (eda !== undefined && !(Number.isFinite(eda) && eda >= edaMin && eda <= edaMax)) {
        return outOfRange(`eda ${eda} µS outside ${edaMin}–${edaMax}`);
      }
    }

    if (this.lastT !== null && t - this.lastT > this.dropoutMs) this.breakBeats();
    this.lastT = t;
    if (contact === false) {
      // The device says no skin contact (BLE HRS §3.1.1.1 contact bits 0b10): whatever bpm it
      // still sends is stale, and the beat sequence has a hole.
      if (this.lastContact) this.breakBeats();
      this.lastContact = false;
      return { ok: true };
    }
    this.lastContact = true;

    if (rr !== undefined && rr.length > 0) {
      // BLE carries no beat timestamps: the last interval ends at (about) the notification time.
      let total = 0;
      for (const v of rr) total += v;
      this.beatT = t - total;
      for (const v of rr) {
        this.beatT += v;
        this.filter.push(v);
      }
    }
    if (bpm !== undefined) this.bpm.push(t, bpm);
    if (eda !== undefined) this.eda.push(t, eda);
    this.nn.evict(t);
    this.diffs.evict(t);
    this.bpm.evict(t);
    this.eda.evict(t);

    const atRest = this.arousal < this.restArousal;
    const hr = this.heartRate(t);
    const rm = this.rmssd(t);
    const ed = this.eda.mean;
    if (hr !== null) this.hrBase.update(t, hr, atRest);
    if (rm !== null) this.rmssdBase.update(t, rm, atRest);
    if (ed !== null) this.edaBase.update(t, ed, atRest);
    if (hr !== null) {
      this.arousal = this.computeArousal(hr, rm, ed);
      this.slope.push(t, this.arousal);
    }
    return { ok: true };
  }

  /**
   * An independent copy of this processor's whole state: pushing samples into the fork never
   * touches the original (what-if branching for director training, tools/training).
   */
  fork(): ViewerSignalProcessor {
    // One deep copy keeps the slab shared by the copied windows; the filter's sink is re-bound
    // to the copy (it closes over `this`).
    const copy = forkState(this);
    (copy.filter as unknown as { sink: BeatSink }).sink = (rr, _kind, gapBefore) =>
      copy.onBeat(rr, gapBefore);
    return copy;
  }

  snapshot(now: number): SignalSnapshot {
    const contact = this.contactState(now);
    const live = contact === 'ok';
    const heartRate = live ? this.heartRate(now) : null;
    const rmssd = live ? this.rmssd(now) : null;
    const baseRm = this.rmssdBase.value;
    const rmssdChange =
      rmssd !== null && baseRm !== null && baseRm > 0 ? (rmssd - baseRm) / baseRm : 0;
    const eda = live && this.fresh(this.eda, now) ? this.eda.mean : null;
    // While contact is lost the last arousal is held; the director sees `contact` and decides.
    const arousal = heartRate !== null ? this.computeArousal(heartRate, rmssd, eda) : this.arousal;
    return {
      t: now,
      heartRate,
      rmssd,
      baselineHeartRate: this.hrBase.value,
      baselineRmssd: baseRm,
      eda,
      arousal,
      arousalSlope: this.slope.slope(now),
      rmssdChange,
      contact,
      cleanFraction: this.filter.cleanFraction,
      calibrated: this.hrBase.calibrated,
    };
  }

  private onBeat(rr: number, gapBefore: boolean): void {
    if (gapBefore) this.prevNn = null;
    if (this.prevNn !== null) {
      const d = rr - this.prevNn;
      this.diffs.push(this.beatT, d * d);
    }
    this.prevNn = rr;
    this.nn.push(this.beatT, rr);
  }

  private breakBeats(): void {
    this.filter.markGap();
    this.prevNn = null;
  }

  private contactState(now: number): ContactState {
    if (this.lastT === null) return 'unknown';
    if (now - this.lastT > this.dropoutMs) return 'dropout';
    return this.lastContact ? 'ok' : 'no-contact';
  }

  private fresh(w: SlidingWindow, now: number): boolean {
    const newest = w.newestTime;
    return newest !== null && now - newest <= w.windowMs && w.count > 0;
  }

  /** Heart rate from clean NN intervals when available, else from the device's bpm. */
  private heartRate(now: number): number | null {
    const newestBeat = this.nn.newestTime;
    if (newestBeat !== null && now - newestBeat <= NN_FRESH_MS) {
      const mean = this.nn.mean;
      if (mean !== null && mean > 0) return 60000 / mean;
    }
    return this.fresh(this.bpm, now) ? this.bpm.mean : null;
  }

  private rmssd(now: number): number | null {
    if (this.diffs.count < MIN_DIFFS || !this.fresh(this.diffs, now)) return null;
    return Math.sqrt(Math.max(0, this.diffs.sum) / this.diffs.count);
  }

  private computeArousal(hr: number, rm: number | null, eda: number | null): number {
    const baseHr = this.hrBase.value;
    if (baseHr === null) return 0;
    const baseRm = this.rmssdBase.value;
    const baseEda = this.edaBase.value;
    return arousalIndex({
      heartRate: hr,
      baselineHeartRate: baseHr,
      rmssdChange: rm !== null && baseRm !== null && baseRm > 0 ? (rm - baseRm) / baseRm : null,
      edaRise: eda !== null && baseEda !== null ? eda - baseEda : null,
    });
  }
}
