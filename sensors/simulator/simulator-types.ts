/**
 * Contract of the physiological viewer simulator (implemented in viewer-simulator.ts).
 * It drives `--simulate`, tests, director training and evaluation, so it is seeded and
 * deterministic: the same params and the same inputs give the same samples.
 *
 * A viewer has a latent arousal a(t) ∈ [0, 1] — what the film makes them feel, the ground truth
 * (`trueArousal`) — and channels that show it, each with its own, independent gain: heart rate,
 * beat-to-beat variability, skin conductance. Allowed ranges are in viewer-params.ts (`PARAM_BOUNDS`),
 * population ranges with their sources in population-presets.ts.
 */
import type { HeartSample } from '../../contracts/heart.js';

export interface SimulatedViewerParams {
  seed: number;

  // ── Latent arousal a = clamp01(a_film + a_startle + a_ext) ─────────────────────────────────
  /**
   * σ: latent arousal per unit of (delayed, lagged) screen intensity — how strongly the film drives
   * this viewer. 0.2 barely reacts, 1.2 is frightened by a medium scene. Latent: no channel shows
   * it directly.
   */
  susceptibility: number;
  /**
   * ψ per scare seen: σ_eff = σ · clamp(1 + ψ·n, 0.5, 1.5). Negative habituates the tonic fear
   * (most viewers, as in exposure), positive sensitises it.
   */
  sensitisation: number;
  /** Pure delay from screen to tonic arousal, s (1–3; Mokrane & Nadeau 1998). */
  delayS: number;
  /** Time constant of the tonic build-up, s (10–20; Mokrane & Nadeau 1998). */
  tauS: number;
  /** Probability that a scare (a jump of ≥ 0.3 to ≥ 0.6) triggers a startle. */
  startleProb: number;
  /**
   * κ: latent startle amplitude as a fraction of the viewer's own arousal range (× w ~ U(0.8, 1.2)
   * per event). Independent of σ: the startle is a brainstem reflex (the premise of range
   * correction, Lykken & Venables 1971). Shape x·e^(1−x), peak 2.5 s after the scare.
   */
  startleReflex: number;
  /** Each startle weakens the next by this fraction: amplitude × (1 − habituation)^k. */
  habituation: number;
  /** Episodes of arousal unrelated to the film (talking, a phone, shifting), per minute. */
  extRatePerMin: number;
  /** Typical amplitude of such an episode (each draws U(0.5, 1.5) × this); 5–30 s long. */
  extAmp: number;

  // ── Heart: HR = restingHr + drift + r_h·a_c + movement (+ settling at a bad start) ──────────
  /** Resting heart rate, bpm. */
  restingHr: number;
  /** r_h: heart-rate rise at a_c = 1, bpm. Independent of σ. */
  cardiacReactivity: number;
  /** Extra pure delay from latent arousal to heart rate, s (sympathetic 1–3 s). */
  cardiacDelayS: number;
  /**
   * Lag of the tonic part of arousal on its way to heart rate, s. The startle part takes the
   * delay but not this lag (vagal release acts within a beat), so its heart-rate peak lands
   * 3.5–5.5 s after the scare, inside the 5 s window cardiac startle is scored in.
   */
  cardiacTauS: number;
  /** SD of a slow random wander of heart rate (Ornstein–Uhlenbeck, τ 3 min), bpm. */
  hrDriftBpm: number;
  /** Breathing rate, Hz (wanders ±10 %); sets the RSA rhythm in the beat intervals. */
  breathHz: number;
  /**
   * Resting vagal tone, as the RMSSD it gives at rest at 70 bpm, ms. The viewer's own resting
   * RMSSD is this × (70 / restingHr)²: beat-to-beat variability in ms grows steeply with the beat
   * interval (the heart-rate dependence of HRV, Sacha 2013; physio: 123 ms at 54 bpm, 25 ms at
   * 85 bpm). The RSA amplitude is solved from it, with the noise and LF parts.
   */
  vagalToneMs: number;
  /** Vagal withdrawal: RSA amplitude × (1 − vagalReactivity · a_c). */
  vagalReactivity: number;
  /** Amplitude of the ≈ 0.1 Hz (Mayer wave) oscillation of RR, ms. */
  lfMs: number;
  /** White beat-to-beat noise, ms SD. */
  noiseMs: number;
  /** Premature beats per beat (0.6–0.8 × RR, then a compensatory pause: the pair ≈ 2 × RR). */
  ectopicRate: number;

  // ── Sensor ────────────────────────────────────────────────────────────────────────────────
  /** Isolated detection errors per beat (missed or extra beat). */
  artifactRate: number;
  /** Movement bursts per minute: 2–10 s, 30–50 % of beats corrupted, heart rate +2–8 bpm. */
  burstRatePerMin: number;
  /** Probability per emitted sample of losing sensor contact for 2–8 s. */
  contactLossRate: number;
  /** Settling strap at the start, s (0 = a clean start): erratic beats, an EDA step. */
  badStartS: number;
  /** Heart rate above rest while settling (after walking in, sitting down), bpm. */
  badStartHrBpm: number;

  // ── Skin conductance (EDA) ────────────────────────────────────────────────────────────────
  /** Whether the seat measures skin conductance (otherwise samples carry no `eda`). */
  hasEda: boolean;
  /** Skin conductance level at the start, µS. */
  edaLevelUs: number;
  /** Linear drift of the level, µS per minute. */
  edaTrendUsPerMin: number;
  /** SD of the level's random walk after 10 min, µS. */
  edaWalkUs: number;
  /** Tonic rise at sustained a = 1 (a through a slow lag, below), µS. */
  edaTonicReactivity: number;
  /** Lag of the tonic EDA part, s (20–40). */
  edaTonicTauS: number;
  /** SCR amplitude per unit of latent pulse (a startle, or a 0.1 step up of a_film + a_ext), µS. */
  edaPhasicReactivity: number;
  /** SCR onset latency after its cause, s (1–3; Boucsein 2012), ±20 % per response. */
  scrLatencyS: number;
  /** SCR rise time, onset to peak, s (1–2). */
  scrRiseS: number;
  /** SCR recovery time constant, s (4–10). */
  scrRecoveryS: number;
  /** Non-specific SCRs per minute (0.05–0.3 µS each), whatever the film does. */
  nsScrPerMin: number;
  /** Electrode step artifacts per minute (±0.5–3 µS, persistent). */
  edaStepRatePerMin: number;
}

/** The latent parts of arousal, for tests and evaluation only (never for a policy). */
export interface ArousalParts {
  film: number;
  startle: number;
  ext: number;
}

export interface ViewerSimulatorLike {
  readonly params: SimulatedViewerParams;
  /**
   * Advance the simulation by `dtS` seconds while the screen shows `intensity` (0–1); returns the
   * samples a device would have emitted in that interval (BLE-like: bpm + RR list, ~1 Hz, with
   * contact flag and, when the seat has it, `eda`), timestamps `t` in ms from simulation start.
   */
  step(dtS: number, intensity: number): HeartSample[];
  /** Ground-truth latent arousal 0–1 (for evaluation only, never for the director). */
  readonly trueArousal: number;
  /** An independent copy with the same state and future randomness (what-if branching). */
  fork?(): ViewerSimulatorLike;
}
