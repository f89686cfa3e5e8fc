/**
 * Contract of the physiological viewer simulator (implemented in viewer-simulator.ts).
 * It drives `--simulate`, tests, director training and evaluation, so it is seeded and
 * deterministic: the same params and the same inputs give the same samples.
 */
import type { HeartSample } from '../../contracts/heart.js';

export interface SimulatedViewerParams {
  seed: number;
  /** Resting heart rate, bpm (typ. 55–85). */
  restingHr: number;
  /** Heart-rate rise in bpm at sustained intensity 1 (typ. 8–30). */
  sensitivity: number;
  /** Sympathetic response delay, seconds (1–3). */
  delayS: number;
  /** Response time constant, seconds (10–20). */
  tauS: number;
  /** Probability that a jump to a scare produces a startle (cardiac peak within 5 s). */
  startleProb: number;
  /** Habituation per repeated exposure (0 = none, 0.1 = each scare 10 % weaker). */
  habituation: number;
  /** Beat-to-beat noise, ms SD. */
  noiseMs: number;
  /** Fraction of beats corrupted (missed/extra beats). */
  artifactRate: number;
  /** Probability per second of losing sensor contact (for a few seconds). */
  contactLossRate: number;
}

export interface ViewerSimulatorLike {
  readonly params: SimulatedViewerParams;
  /**
   * Advance the simulation by `dtS` seconds while the screen shows `intensity` (0–1); returns the
   * samples a device would have emitted in that interval (BLE-like: bpm + RR list, ~1 Hz, with
   * contact flag), timestamps `t` in ms from simulation start.
   */
  step(dtS: number, intensity: number): HeartSample[];
  /** Ground-truth latent arousal 0–1 (for evaluation only, never for the director). */
  readonly trueArousal: number;
  /** An independent copy with the same state and future randomness (what-if branching). */
  fork?(): ViewerSimulatorLike;
}
