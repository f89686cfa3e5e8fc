/**
 * The closed loop used by training and evaluation, in accelerated simulated time (no timers):
 *
 *   simulator (sensors/simulator) → HeartSamples → real ViewerSignalProcessor (sensors/signal)
 *   → latent-arousal estimator (models/estimator, told what was played) → ViewerFeatureTracker
 *   → PickContext → policy → chosen intensity → back into the simulator and the estimator.
 *
 * The policy only ever sees what a server would: the reading, the estimate and its forecast; the
 * simulator's `trueArousal` is recorded for evaluation beside them, never passed to a policy. All viewers advance in
 * lockstep, one segment per tick, so a policy can decide the whole audience in one batch.
 */
import type { ViewerSignal } from '../../contracts/heart.js';
import type {
  SimulatedViewerParams,
  ViewerSimulatorLike,
} from '../../sensors/simulator/simulator-types.js';
import type { DecideContext } from '../../models/director/director.js';
import { CAP_EPSILON, SafetyCap, type SafetyCapOptions } from '../../models/director/safety-cap.js';
import { ViewerArousal } from '../../models/estimator/viewer-arousal.js';
import type { EstimatorOptions } from '../../models/estimator/latent-arousal-estimator.js';
import { ViewerFeatureTracker } from '../../models/features/viewer-feature-tracker.js';
import { targetAt } from '../../models/features/target-curve.js';
import type { LoopStory } from './synthetic-story.js';

export interface LoopChoice {
  index: number;
  fallback: boolean;
}

/** Anything that can choose for every viewer of one tick. */
export interface LoopPolicy {
  readonly name: string;
  /** True when the policy applies the safety cap (violations must then be zero). */
  readonly capped: boolean;
  decide(ctxs: DecideContext[]): Promise<LoopChoice[]>;
  destroy?(): void | Promise<void>;
}

export interface ClosedLoopOptions {
  story: LoopStory;
  viewers: SimulatedViewerParams[];
  /** Per-viewer max intensity (default 1 for everyone). */
  maxIntensity?: number[];
  policy: LoopPolicy;
  createSimulator(params: SimulatedViewerParams): ViewerSimulatorLike;
  createSignal(): ViewerSignal;
  /** Resting calibration before the story, seconds at intensity 0 (default 40). */
  calibrationS?: number;
  /** Options of every viewer's latent-arousal estimator (its prior, hypotheses). */
  estimator?: EstimatorOptions;
  /** Thresholds used to count heart-rate-ceiling violations (same defaults as the Director). */
  safety?: SafetyCapOptions;
  /** Called after every tick (training records its rows here). */
  onTick?(tick: { t: number; ctxs: DecideContext[]; choices: LoopChoice[] }): void;
}

export interface ViewerTrace {
  /** At every decision boundary (story time k · segmentS). */
  target: number[];
  /** What the director saw: the estimate (and its sd), and the signal stage's reading. */
  arousal: number[];
  arousalSd: number[];
  reading: number[];
  trueArousal: number[];
  contact: number[];
  /** Intensity chosen at the boundary (plays until the next one). */
  intensity: number[];
}

export interface ClosedLoopResult {
  policy: string;
  capped: boolean;
  times: number[];
  traces: ViewerTrace[];
  decisions: number;
  fallbacks: number;
  /** Picks above the viewer's max intensity, or not the least intense while over the HR ceiling. */
  capViolations: number;
  hrCeilingEvents: number;
}

/**
 * @example
 *   const r = await runClosedLoop({ story, viewers: samplePopulation(7, 200), policy,
 *     createSimulator: (p) => new ViewerSimulator(p), createSignal: () => new ViewerSignalProcessor() });
 */
export async function runClosedLoop(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { story, policy } = opts;
  const calibrationS = opts.calibrationS ?? 40;
  const checker = new SafetyCap(opts.safety);
  const viewers = opts.viewers.map((p, i) => {
    const sim = opts.createSimulator(p);
    const viewer = new ViewerArousal(opts.createSignal(), opts.estimator);
    viewer.play(0, 0);
    for (const s of sim.step(calibrationS, 0)) viewer.push(s);
    const trace: ViewerTrace = {
      target: [],
      arousal: [],
      arousalSd: [],
      reading: [],
      trueArousal: [],
      contact: [],
      intensity: [],
    };
    return {
      sim,
      viewer,
      tracker: new ViewerFeatureTracker(),
      max: opts.maxIntensity?.[i] ?? 1,
      intensity: 0,
      trace,
    };
  });
  const times: number[] = [];
  let decisions = 0;
  let fallbacks = 0;
  let capViolations = 0;
  let hrCeilingEvents = 0;
  const ticks = Math.floor(story.durationS / story.segmentS);
  for (let k = 0; k < ticks; k++) {
    const t = k * story.segmentS;
    times.push(t);
    const target = targetAt(story.targetCurve, t);
    const now = (calibrationS + t) * 1000;
    const candidates = story.candidatesAt(t);
    const ctxs: DecideContext[] = viewers.map((v, i) => {
      const { signal, estimate } = v.viewer.snapshot(now);
      const est = v.viewer.estimator;
      const features = v.tracker.update(signal, estimate, (plan, stepS) =>
        est.forecast(plan, stepS),
      );
      v.trace.target.push(target);
      v.trace.arousal.push(features.arousal);
      v.trace.arousalSd.push(features.arousalSd);
      v.trace.reading.push(features.reading);
      v.trace.trueArousal.push(v.sim.trueArousal);
      v.trace.contact.push(features.contact);
      return {
        sessionId: `viewer-${i}`,
        now,
        storyTime: t,
        storyProgress: t / story.durationS,
        scene: candidates[0]?.scene ?? '',
        segmentIndex: k,
        currentIntensity: v.intensity,
        targetArousal: target,
        maxIntensity: v.max,
        viewer: features,
        candidates,
      };
    });
    const choices = await policy.decide(ctxs);
    decisions += choices.length;
    viewers.forEach((v, i) => {
      const choice = choices[i] ?? { index: 0, fallback: false };
      if (choice.fallback) fallbacks++;
      const ctx = ctxs[i] as DecideContext;
      const chosen = candidates[choice.index] ?? candidates[0];
      const intensity = chosen?.intensity ?? 0;
      const eligible = candidates.filter((c) => c.intensity <= v.max + CAP_EPSILON);
      const lowest = Math.min(...(eligible.length ? eligible : candidates).map((c) => c.intensity));
      const over = checker.overCeiling(ctx.viewer);
      if (over) hrCeilingEvents++;
      if (intensity > v.max + CAP_EPSILON || (over && intensity > lowest + CAP_EPSILON)) {
        capViolations++;
      }
      v.intensity = intensity;
      v.viewer.play(ctx.now, intensity);
      v.trace.intensity.push(intensity);
    });
    opts.onTick?.({ t, ctxs, choices });
    for (const v of viewers) {
      for (const s of v.sim.step(story.segmentS, v.intensity)) v.viewer.push(s);
    }
  }
  return {
    policy: policy.name,
    capped: policy.capped,
    times,
    traces: viewers.map((v) => v.trace),
    decisions,
    fallbacks,
    capViolations,
    hrCeilingEvents,
  };
}
