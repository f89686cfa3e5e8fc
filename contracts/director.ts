/**
 * The seam between viewer/audience state and the playlist: given what the viewer feels and the
 * candidates the story allows at this boundary, pick one. Implementations: ThresholdPicker (the
 * foundation rule), RulePicker and OnnxPicker (the director, models/director), all behind the
 * `ScenePicker` interface; the session (server/session) asks for a `DirectorDecision` and the
 * playlist (media/playlist) lists the `Candidate`s.
 */

/** Pacing phases (Left 4 Dead style), in the feature spec's one-hot order. */
export const PACING_PHASES = ['build-up', 'sustain-peak', 'fade', 'relax'] as const;
export type PacingPhase = (typeof PACING_PHASES)[number];

/**
 * Viewer (or audience aggregate) features at decision time, from the viewer-state stage: the
 * latent-arousal estimate (models/estimator) — what the director steers — and the signal stage's
 * reading beside it (sensors/signal).
 */
export interface ViewerFeatures {
  /**
   * Estimated latent arousal 0–1 (what the viewer feels; models/estimator). Before the viewer is
   * identified it is the typical viewer's response to what was played.
   */
  arousal: number;
  /** Posterior standard deviation of `arousal`. */
  arousalSd: number;
  /** 0 = the population prior alone, 1 = the data alone identify this viewer's susceptibility. */
  evidence: number;
  /** True while the baselines are still being collected (no estimate from data yet). */
  calibrating: boolean;
  /** The signal stage's reading (arousal index against the resting baseline): a diagnostic. */
  reading: number;
  /** Reading change per second. */
  arousalSlope: number;
  /** Relative RMSSD change vs baseline (negative = more aroused). */
  rmssdChange: number;
  heartRate: number | null;
  baselineHeartRate: number | null;
  /** 1 when a sensor is in contact and calibrated, 0 otherwise. */
  contact: number;
  /** Clicks and pauses in the last 10 s. */
  clicks: number;
  pauses: number;
  /** Seconds since the last arousal peak (capped). */
  sinceLastPeak: number;
  /**
   * The estimator's model of this viewer: latent arousal (mean and variance over what is not yet
   * known about the viewer) at the end of each step if the screen showed `plan[i]` during step i
   * (each `stepS` seconds) from now. The planner's forecast; absent for an audience aggregate.
   */
  forecast?: (plan: readonly number[], stepS: number) => LatentForecast;
}

/** A forecast of latent arousal along a plan (see ViewerFeatures.forecast). */
export interface LatentForecast {
  mean: number[];
  variance: number[];
}

/** One thing that could play next. */
export interface Candidate {
  /** Stable id, e.g. "s3/tense" or "branch:b1->s5/calm". */
  id: string;
  kind: 'variant' | 'branch';
  scene: string;
  level: string;
  /** Numeric intensity 0–1 of this level / branch candidate. */
  intensity: number;
  mood?: string;
  tags: string[];
  /** For branch candidates: the author's intensity tag of the scene it leads to (0–1). */
  sceneIntensity?: number;
}

/** Everything a picker may look at for one decision. */
export interface PickContext {
  sessionId: string;
  /** Wall clock, ms. */
  now: number;
  /** Seconds of story already published (position along the story timeline). */
  storyTime: number;
  /** Fraction of the expected story length, 0–1. */
  storyProgress: number;
  scene: string;
  segmentIndex: number;
  /** Intensity currently playing. */
  currentIntensity: number;
  /** Author's target arousal at this story time (0–1). */
  targetArousal: number;
  /** Viewer's chosen maximum intensity (0–1): candidates above it are never eligible. */
  maxIntensity: number;
  viewer: ViewerFeatures;
  /** Eligible candidates (already filtered by preconditions and the safety cap); never empty. */
  candidates: Candidate[];
  /**
   * Optional hints filled in by the Director (models/director/director.ts) before it asks a
   * picker; pickers must work without them (they then fall back to `targetArousal`).
   */
  director?: DirectorHints;
}

/** What the director's pacing stage wants at this boundary (see models/director/pacing.ts). */
export interface DirectorHints {
  /** Pacing phase (Left 4 Dead style): build-up, sustain-peak, fade or relax. */
  phase: PacingPhase;
  /** Intensity the pacing stage would like to play (0–1, already under the viewer's cap). */
  desiredIntensity: number;
  /** Target arousal `horizonS` seconds ahead (arousal lags the screen by several seconds). */
  targetArousalAhead: number;
  /** The look-ahead used for `targetArousalAhead`, seconds. */
  horizonS: number;
  /** Target arousal at each of `horizonsS` (the model's look-aheads), when known. */
  targetAhead?: number[];
  horizonsS?: number[];
  /** Exponential moving average of the intensity played over the last ~15 s. */
  recentIntensity: number;
  /** Further intensity averages, time constants per models/features INTENSITY_EMA_TAUS_S. */
  intensityEmas?: number[];
  /** Story time (s) each candidate id was last played, for least-recently-seen saliency. */
  lastPlayedAt: Record<string, number>;
  /** Mood the pacing stage prefers for this phase, if any. */
  preferredMood?: string;
}

export interface PickResult {
  /** Index into `ctx.candidates`. */
  index: number;
  /** Which picker produced it (for metrics and the decision log). */
  picker: string;
  /** Human-readable reason for the decision log. */
  reason: string;
  scores?: number[];
  /**
   * Model pickers only: predicted arousal `horizonS` ahead if each candidate were played, aligned
   * with `ctx.candidates` (consumed by the per-viewer bandit).
   */
  predictions?: number[];
  /** Model pickers only: predicted arousal per candidate (outer) per horizon (inner). */
  predictionsByHorizon?: number[][];
}

/**
 * What a session gets back for one boundary: the pick, whether a fallback answered and how long
 * it took (server/session/deadline-director.ts, the director pool, the models' Director).
 */
export interface DirectorDecision extends PickResult {
  /** True when a fallback (the rule picker, the threshold rule) answered instead of the primary. */
  fallback: boolean;
  latencyMs: number;
}

export interface ScenePicker {
  readonly name: string;
  pick(ctx: PickContext): Promise<PickResult>;
  /** Optional batched form for venues: one inference call for every session due in one tick. */
  pickBatch?(ctxs: PickContext[]): Promise<PickResult[]>;
  destroy?(): void | Promise<void>;
}
