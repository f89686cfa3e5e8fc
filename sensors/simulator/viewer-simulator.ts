/**
 * Physiological viewer simulator: a seeded, deterministic model of how one viewer's heart answers
 * what is on screen. It drives `--simulate`, unit tests, director training and evaluation.
 *
 * Model (one 10 ms internal tick; all randomness from one mulberry32 stream per viewer):
 * - Tonic sympathetic drive `s` follows screen intensity through a pure delay of `delayS` (1–3 s)
 *   and a first-order lag with time constant `tauS` (10–20 s) — Mokrane & Nadeau 1998.
 *   Heart rate = restingHr + sensitivity · s + startle.
 * - Startle: a jump of ≥ 0.3 to an intensity ≥ 0.6 ("scare") triggers, with probability
 *   `startleProb`, a phasic rise shaped x·e^(1−x) that peaks 2.5 s after the jump (cardiac startle is
 *   scored as the peak within 5 s of the stimulus). Each exposure weakens later startles by the factor
 *   (1 − habituation).
 * - Beats are generated beat by beat: RR = 60000/HR + respiratory sinus arrhythmia (0.25 Hz, damped
 *   by arousal: vagal withdrawal lowers RMSSD) + Gaussian noise (`noiseMs`).
 * - Artifacts at `artifactRate` per beat: a missed beat (two RRs reported as one) or an extra beat
 *   (one RR split in two), the two classic detection errors (Lipponen & Tarvainen 2019).
 * - Contact loss: per emitted sample, probability `contactLossRate` of losing skin contact for 2–8 s;
 *   meanwhile samples carry `contact: false`, no intervals and the last displayed bpm, like a BLE
 *   strap reporting sensor-contact bits 0b10 (Heart Rate Service §3.1.1.1) — consumers must not
 *   trust `bpm` when `contact` is false.
 * - Emission is BLE-like (Heart Rate Measurement 0x2A37, ~1 Hz): integer bpm averaged over the last
 *   beats plus every RR completed since the previous notification, quantised to 1/1024 s.
 *
 * Chunking does not matter: `step(2, x)` gives the same samples as two `step(1, x)` calls.
 */
import { PLAUSIBLE_BEAT_RR_MS } from '../../contracts/limits.js';
import type { HeartSample } from '../../contracts/heart.js';
import type { SimulatedViewerParams, ViewerSimulatorLike } from './simulator-types.js';
import { Prng } from '../../contracts/random.js';
import { forkState } from '../signal/fork-state.js';

const TICK_MS = 10;
const EMIT_INTERVAL_MS = 1000;
/** Startle peak latency (within the 5 s scoring window). */
const STARTLE_PEAK_MS = 2500;
/** Startle has decayed to < 0.1 % of its peak after 8 peak latencies. */
const STARTLE_END_X = 8;
const SCARE_MIN_INTENSITY = 0.6;
const SCARE_MIN_JUMP = 0.3;
/** Respiratory sinus arrhythmia amplitude at rest, ms, at a 0.25 Hz (15 breaths/min) rhythm. */
const RSA_MS = 25;
const RSA_HZ = 0.25;
/** Beats used for the device's displayed bpm (straps average a few beats). */
const BPM_WINDOW = 4;
/** True beats stay within the plausible beat, 300–2000 ms (hrv-analysis remove_outliers). */
const { min: RR_MIN_MS, max: RR_MAX_MS } = PLAUSIBLE_BEAT_RR_MS;
/** Bound on RR values queued between two notifications (a BLE frame holds at most 9 with uint8 HR). */
const MAX_PENDING_RR = 16;

function assertRange(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isFinite(v) || v < lo || v > hi) {
    throw new RangeError(`SimulatedViewerParams.${name} must be in [${lo}, ${hi}], got ${v}`);
  }
}

/** Validates params; programmer errors throw a RangeError at construction time. */
function validateParams(p: SimulatedViewerParams): void {
  assertRange('seed', p.seed, 0, 0xffffffff);
  assertRange('restingHr', p.restingHr, 30, 150);
  assertRange('sensitivity', p.sensitivity, 0, 100);
  assertRange('delayS', p.delayS, 0, 10);
  assertRange('tauS', p.tauS, 0.1, 120);
  assertRange('startleProb', p.startleProb, 0, 1);
  assertRange('habituation', p.habituation, 0, 1);
  assertRange('noiseMs', p.noiseMs, 0, 200);
  assertRange('artifactRate', p.artifactRate, 0, 1);
  assertRange('contactLossRate', p.contactLossRate, 0, 1);
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
/** BLE RR resolution is 1/1024 s (Heart Rate Service §3.1.1.5). */
const quantiseRr = (ms: number): number => (Math.round((ms * 1024) / 1000) * 1000) / 1024;

/**
 * One simulated viewer.
 *
 * @example
 * const sim = new ViewerSimulator(samplePopulation(42, 1)[0]!);
 * const calm = sim.step(20, 0);   // 20 samples at rest
 * const scare = sim.step(10, 1);  // startle + sympathetic rise
 */
export class ViewerSimulator implements ViewerSimulatorLike {
  readonly params: SimulatedViewerParams;
  private rng: Prng;
  private readonly alpha: number;
  /** Ring buffer implementing the sympathetic pure delay. */
  private readonly delayLine: Float64Array;
  private delayPos = 0;
  private ticks = 0;
  private clockMs = 0;
  private prevIntensity = 0;
  private sympathetic = 0;
  private startleStartMs = Number.NEGATIVE_INFINITY;
  private startleAmp = 0;
  private exposures = 0;
  private hr: number;
  private arousal = 0;
  private nextBeatMs: number;
  private pendingMissedMs = 0;
  private readonly pendingRr: number[] = [];
  private readonly recentRr: Float64Array;
  private recentCount = 0;
  private recentPos = 0;
  private nextEmitMs = EMIT_INTERVAL_MS;
  private contactLostUntilMs = 0;
  private lastBpm: number;

  constructor(params: SimulatedViewerParams) {
    validateParams(params);
    this.params = { ...params };
    this.rng = new Prng(params.seed);
    this.alpha = 1 - Math.exp(-TICK_MS / (params.tauS * 1000));
    this.delayLine = new Float64Array(Math.max(1, Math.round((params.delayS * 1000) / TICK_MS)));
    this.recentRr = new Float64Array(BPM_WINDOW);
    this.hr = params.restingHr;
    this.lastBpm = Math.round(params.restingHr);
    // Random phase of the first beat so viewers are not beat-synchronous.
    this.nextBeatMs = this.rng.uniform(0, 60000 / params.restingHr);
  }

  /**
   * An independent copy of this viewer's whole state, for what-ifs: with the same future randomness,
   * or with `reseed` a fresh draw of it (beat noise, artifacts, startles, contact losses) from that
   * seed — the same viewer in the same state, another future of its noise.
   */
  fork(reseed?: number): ViewerSimulator {
    const copy = forkState(this);
    if (reseed !== undefined) copy.rng = new Prng(reseed >>> 0);
    return copy;
  }

  /** Ground-truth latent arousal 0–1 (tonic drive plus startle); for evaluation only. */
  get trueArousal(): number {
    return this.arousal;
  }

  /** Ground-truth instantaneous heart rate, bpm (for evaluation and tests). */
  get trueHeartRate(): number {
    return this.hr;
  }

  /** Simulated time elapsed, ms. */
  get timeMs(): number {
    return this.clockMs;
  }

  step(dtS: number, intensity: number): HeartSample[] {
    const out: HeartSample[] = [];
    if (!(dtS > 0) || !Number.isFinite(dtS)) return out;
    const level = Number.isFinite(intensity) ? clamp01(intensity) : 0;
    this.clockMs += dtS * 1000;
    // 1e-6 absorbs float error so that step(0.01) × 100 equals step(1).
    while ((this.ticks + 1) * TICK_MS <= this.clockMs + 1e-6) {
      this.ticks += 1;
      this.tick(this.ticks * TICK_MS, level, out);
    }
    return out;
  }

  private tick(t: number, intensity: number, out: HeartSample[]): void {
    const delayed = this.delayLine[this.delayPos] ?? 0;
    this.delayLine[this.delayPos] = intensity;
    this.delayPos = (this.delayPos + 1) % this.delayLine.length;

    if (intensity >= SCARE_MIN_INTENSITY && intensity - this.prevIntensity >= SCARE_MIN_JUMP) {
      this.onScare(t);
    }
    this.prevIntensity = intensity;

    this.sympathetic += (delayed - this.sympathetic) * this.alpha;
    const x = (t - this.startleStartMs) / STARTLE_PEAK_MS;
    const startle = x >= 0 && x < STARTLE_END_X ? this.startleAmp * x * Math.exp(1 - x) : 0;
    this.hr = this.params.restingHr + this.params.sensitivity * this.sympathetic + startle;
    // A 20 bpm startle counts as full arousal on its own.
    this.arousal = clamp01(this.sympathetic + startle / 20);

    if (t >= this.nextBeatMs) this.beat(t);
    if (t >= this.nextEmitMs) {
      this.nextEmitMs += EMIT_INTERVAL_MS;
      out.push(this.emit(t));
    }
  }

  private onScare(t: number): void {
    const weakening = Math.pow(1 - this.params.habituation, this.exposures);
    this.exposures += 1;
    if (this.rng.next() < this.params.startleProb) {
      this.startleStartMs = t;
      this.startleAmp = this.rng.uniform(8, 18) * weakening;
    }
  }

  private beat(t: number): void {
    const damp = 1 - 0.7 * this.arousal;
    const rsa = RSA_MS * damp * Math.sin((2 * Math.PI * RSA_HZ * t) / 1000);
    const noise = this.params.noiseMs * (1 - 0.5 * this.arousal) * this.rng.normal();
    const raw = 60000 / this.hr + rsa + noise;
    const rr = raw < RR_MIN_MS ? RR_MIN_MS : raw > RR_MAX_MS ? RR_MAX_MS : raw;
    this.nextBeatMs += rr;
    this.recentRr[this.recentPos] = rr;
    this.recentPos = (this.recentPos + 1) % BPM_WINDOW;
    this.recentCount = Math.min(BPM_WINDOW, this.recentCount + 1);

    // Detection errors: the artifact draw happens on every beat so the stream stays aligned.
    const u = this.rng.next();
    const kind = this.rng.next();
    if (this.pendingMissedMs > 0) {
      this.queueRr(this.pendingMissedMs + rr);
      this.pendingMissedMs = 0;
    } else if (u < this.params.artifactRate) {
      if (kind < 0.5) {
        this.pendingMissedMs = rr;
      } else {
        const f = 0.3 + 0.3 * kind;
        this.queueRr(f * rr);
        this.queueRr((1 - f) * rr);
      }
    } else {
      this.queueRr(rr);
    }
  }

  private queueRr(ms: number): void {
    if (this.pendingRr.length < MAX_PENDING_RR) this.pendingRr.push(quantiseRr(ms));
  }

  private emit(t: number): HeartSample {
    if (t >= this.contactLostUntilMs && this.rng.next() < this.params.contactLossRate) {
      this.contactLostUntilMs = t + this.rng.uniform(2000, 8000);
    }
    if (t < this.contactLostUntilMs) {
      this.pendingRr.length = 0;
      this.pendingMissedMs = 0;
      return { t, bpm: this.lastBpm, contact: false };
    }
    let sum = 0;
    for (let i = 0; i < this.recentCount; i++) sum += this.recentRr[i] ?? 0;
    const meanRr = this.recentCount > 0 ? sum / this.recentCount : 60000 / this.hr;
    this.lastBpm = Math.round(60000 / meanRr);
    const sample: HeartSample = { t, bpm: this.lastBpm, contact: true };
    if (this.pendingRr.length > 0) {
      sample.rr = this.pendingRr.slice();
      this.pendingRr.length = 0;
    }
    return sample;
  }
}

/**
 * Draws `n` plausible viewers from a seeded population (ranges from simulator-types.ts:
 * resting 55–85 bpm, sensitivity 8–30 bpm, delay 1–3 s, tau 10–20 s).
 *
 * @example
 * const audience = samplePopulation(7, 50).map((p) => new ViewerSimulator(p));
 */
export function samplePopulation(seed: number, n: number): SimulatedViewerParams[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer`);
  const rng = new Prng(seed);
  const out: SimulatedViewerParams[] = [];
  for (let i = 0; i < n; i++) {
    const restingHr = Math.min(85, Math.max(55, 70 + 7 * rng.normal()));
    out.push({
      seed: rng.nextUint32(),
      restingHr: Math.round(restingHr * 10) / 10,
      sensitivity: rng.uniform(8, 30),
      delayS: rng.uniform(1, 3),
      tauS: rng.uniform(10, 20),
      startleProb: rng.uniform(0.5, 0.95),
      habituation: rng.uniform(0, 0.2),
      noiseMs: rng.uniform(8, 20),
      artifactRate: rng.uniform(0, 0.02),
      contactLossRate: rng.uniform(0, 0.005),
    });
  }
  return out;
}
