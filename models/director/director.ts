/**
 * The director of one session: at every segment boundary it turns the viewer's state and the
 * story's candidates into one choice, in a fixed order that no learned part can reorder:
 *
 *   1. safety cap (safety-cap.ts): drop candidates above the viewer's max intensity; a heart rate
 *      over the ceiling forces relief (least intense candidate) and skips every picker;
 *   2. pacing (pacing.ts): Left 4 Dead style phase and desired intensity along the target curve;
 *   3. picker under a deadline (deadline-picker.ts): the ONNX model, or the rule picker on timeout,
 *      error or missing model;
 *   4. personalisation, only when the model answered (no fallback): by default the Thompson-sampling
 *      re-ranking of the model's predictions by this viewer's residuals (bandit.ts), which tracks
 *      the simulator's *latent* arousal best of the personalisers on every population measured
 *      (docs/director.md); `personaliser: 'planner'` plans level sequences against the target curve
 *      on the latent estimator's forecast (latent-planner.ts) or, without one, on dynamics
 *      identified from the reading (dynamics-planner.ts).
 *
 * `Director.decideMany` runs step 3 for every session due in one tick as one batch (one ONNX run).
 */
import { performance } from 'node:perf_hooks';
import { INTENSITY_EMA_TAUS_S, MODEL_HORIZONS_S } from '../features/feature-spec.js';
import { type TargetPoint, targetAt } from '../features/target-curve.js';
import { LinearThompsonBandit, type BanditOptions } from './bandit.js';
import { DynamicsPlanner, type DynamicsPlannerOptions } from './dynamics-planner.js';
import { LatentPlanner, type LatentPlannerOptions } from './latent-planner.js';

import {
  DeadlinePicker,
  type DeadlineCounters,
  type DeadlinePickResult,
} from './deadline-picker.js';
import { OnnxPicker } from './onnx-picker.js';
import { Pacing, type PacingOptions } from './pacing.js';
import { RulePicker } from './rule-picker.js';
import { SafetyCap, type SafetyCapOptions } from './safety-cap.js';
import type {
  DirectorDecision,
  PacingPhase,
  PickContext,
  PickResult,
  ScenePicker,
} from '../../contracts/director.js';

/** What a session passes at a segment boundary. */
export interface DecideContext extends PickContext {
  /**
   * Target arousal `horizonS` ahead; if omitted the Director computes it from its `targetCurve`
   * option, or uses `targetArousal`.
   */
  targetArousalAhead?: number;
}

/**
 * The Director's decision: a `DirectorDecision` (`index` never names a candidate above
 * `maxIntensity`; `picker` is 'safety' | 'rule' | 'onnx' | 'onnx+bandit' | …; `fallback` is true
 * when the deadline picker fell back to the rule picker) plus what safety and pacing decided.
 */
export interface PacedDecision extends DirectorDecision {
  candidateId: string;
  intensity: number;
  phase: PacingPhase;
  /** True while the heart-rate ceiling forces relief. */
  relief: boolean;
  /** Desired intensity proposed by pacing. */
  desiredIntensity: number;
}

export interface DirectorOptions {
  /** Primary picker, shared between sessions (a DeadlinePicker or a plain RulePicker). */
  picker?: ScenePicker;
  /** Enable per-viewer personalisation (needs a picker that returns `predictions`). */
  personalise?: boolean;
  bandit?: BanditOptions;
  /**
   * Personalisation method: 'bandit' (default: Thompson sampling over the model's predictions,
   * bandit.ts; microseconds; best on latent arousal, docs/director.md) or 'planner' (model-predictive
   * planning on the latent estimator's forecast, latent-planner.ts, or on dynamics identified from
   * the reading, dynamics-planner.ts; ≈ 0.5 ms CPU per decision).
   */
  personaliser?: 'planner' | 'bandit';
  planner?: DynamicsPlannerOptions;
  /** The latent planner's options (used when the viewer state provides a forecast). */
  latentPlanner?: LatentPlannerOptions;
  /**
   * Weight of the population model's own scores in the latent planner's cost (0–1, default 0):
   * blended as (1 − w·(1 − evidence)) · plan + w·(1 − evidence) · model, so the model speaks only
   * where the estimator has not identified the viewer.
   */
  latentModelWeight?: number;
  /**
   * Pseudo-count of the population model in the planner's cost: its weight is n0 / (n0 + n) after
   * n observations of this viewer (default 3: the model decides the first boundaries, the viewer's
   * identified model takes over as it learns; 0 = the identified model alone).
   */
  plannerModelWeight?: number;
  /** Segment duration used by the planner, seconds (default 2). */
  segmentS?: number;
  pacing?: PacingOptions;
  safety?: SafetyCapOptions;
  /** The story's target curve, to compute the look-ahead target. */
  targetCurve?: readonly TargetPoint[];
  /** Pacing/rule look-ahead in seconds (default 6). */
  horizonS?: number;
  /** Time constant of the recent-intensity average, seconds (default 15). */
  recentTauS?: number;
}

/** Default pseudo-count of the population model in the planner's cost (see DirectorOptions). */
export const DEFAULT_PLANNER_MODEL_WEIGHT = 3;

interface PendingObservation {
  due: number;
  head: number;
  arousal: number;
  context: number[];
}

interface Prepared {
  director: Director;
  ctx: DecideContext;
  start: number;
  /** Set when safety decided without a picker. */
  immediate?: PacedDecision;
  /** Filtered context for the picker, with original indices. */
  pickCtx?: PickContext;
  map?: number[];
  phase: PacingPhase;
  desired: number;
  relief: boolean;
  safetyReason: string;
}

export class Director {
  private readonly picker: ScenePicker;
  private readonly pacing: Pacing;
  private readonly safety: SafetyCap;
  private readonly bandit: LinearThompsonBandit | null;
  private readonly planner: DynamicsPlanner | null;
  private readonly latentPlanner: LatentPlanner | null;
  private readonly latentModelWeight: number;
  private readonly segmentS: number;
  private readonly plannerModelWeight: number;
  private readonly targetCurve: readonly TargetPoint[] | undefined;
  /** Pacing/rule look-ahead, seconds. */
  readonly horizonS: number;
  private readonly recentTauS: number;
  private recentIntensity: number | null = null;
  private intensityEmas: number[] | null = null;
  private lastTime: number | null = null;
  private readonly lastPlayedAt: Record<string, number> = {};
  private readonly pending: PendingObservation[] = [];
  private decisions = 0;

  /**
   * @example
   *   const director = new Director({ picker: new RulePicker(), targetCurve: story.targetCurve });
   *   const d = await director.decide({ ...ctx, candidates });
   *   play(ctx.candidates[d.index]);
   */
  constructor(opts: DirectorOptions = {}) {
    this.picker = opts.picker ?? new RulePicker();
    this.pacing = new Pacing(opts.pacing);
    this.safety = new SafetyCap(opts.safety);
    const usePlanner = opts.personalise === true && (opts.personaliser ?? 'bandit') === 'planner';
    this.bandit =
      opts.personalise && !usePlanner
        ? new LinearThompsonBandit(MODEL_HORIZONS_S.length, opts.bandit)
        : null;
    this.planner = usePlanner ? new DynamicsPlanner(opts.planner) : null;
    this.latentPlanner = usePlanner ? new LatentPlanner(opts.latentPlanner) : null;
    this.latentModelWeight = opts.latentModelWeight ?? 0;
    this.segmentS = opts.segmentS ?? 2;
    this.plannerModelWeight = opts.plannerModelWeight ?? DEFAULT_PLANNER_MODEL_WEIGHT;

    this.targetCurve = opts.targetCurve;
    this.horizonS = opts.horizonS ?? 6;
    this.recentTauS = opts.recentTauS ?? 15;
  }

  get primary(): ScenePicker {
    return this.picker;
  }

  /** The personalisation planner's current viewer model (null without it). */
  get personalModel(): ReturnType<DynamicsPlanner['describe']> | null {
    return this.planner?.describe() ?? null;
  }

  /** The bandit's observation count (0 without personalisation). */
  get banditObservations(): number {
    return this.bandit?.observations ?? this.planner?.observations ?? 0;
  }

  /**
   * Ends the session. The picker is shared between sessions and is not destroyed here (its
   * owner — createDirector's caller or the server — destroys it once).
   */
  destroy(): void {
    this.pending.length = 0;
  }

  /** Decides one boundary. */
  async decide(ctx: DecideContext): Promise<PacedDecision> {
    const [d] = await Director.decideMany([{ director: this, ctx }]);
    return d as PacedDecision;
  }

  /**
   * Decides for many sessions at once: sessions sharing a picker are scored in one `pickBatch`
   * (one ONNX inference for the whole tick).
   */
  static async decideMany(
    items: { director: Director; ctx: DecideContext }[],
  ): Promise<PacedDecision[]> {
    const prepared = items.map(({ director, ctx }) => director.prepare(ctx));
    const groups = new Map<ScenePicker, Prepared[]>();
    for (const p of prepared) {
      if (p.immediate || !p.pickCtx) continue;
      const g = groups.get(p.director.picker) ?? [];
      g.push(p);
      groups.set(p.director.picker, g);
    }
    const results = new Map<Prepared, PickResult>();
    await Promise.all(
      [...groups.entries()].map(async ([picker, group]) => {
        const ctxs = group.map((p) => p.pickCtx as PickContext);
        const rs = picker.pickBatch
          ? await picker.pickBatch(ctxs)
          : await Promise.all(ctxs.map((c) => picker.pick(c)));
        group.forEach((p, i) => {
          const r = rs[i];
          if (r) results.set(p, r);
        });
      }),
    );
    return prepared.map((p) => p.immediate ?? p.director.finish(p, results.get(p)));
  }

  private prepare(ctx: DecideContext): Prepared {
    const start = performance.now();
    const t = ctx.storyTime;
    // Recent intensity: exponential average of what played since the last boundary.
    const dt = this.lastTime === null ? 0 : Math.max(0, t - this.lastTime);
    this.lastTime = t;
    const cur = ctx.currentIntensity;
    if (this.recentIntensity === null || this.intensityEmas === null) {
      this.recentIntensity = cur;
      this.intensityEmas = INTENSITY_EMA_TAUS_S.map(() => cur);
    } else {
      this.recentIntensity += (1 - Math.exp(-dt / this.recentTauS)) * (cur - this.recentIntensity);
      this.intensityEmas = this.intensityEmas.map(
        (e, j) => e + (1 - Math.exp(-dt / (INTENSITY_EMA_TAUS_S[j] ?? 1))) * (cur - e),
      );
    }
    const contact = ctx.viewer.contact > 0;
    if (this.planner && contact) this.planner.observe(t, ctx.viewer.arousal);
    if (this.bandit) {
      // Pending observations are few (horizons × boundaries in flight); keep the not-yet-due.
      let kept = 0;
      for (const p of this.pending) {
        if (p.due <= t + 1e-9) {
          if (contact) this.bandit.observe(p.head, p.context, ctx.viewer.arousal - p.arousal);
        } else {
          this.pending[kept++] = p;
        }
      }
      this.pending.length = kept;
    }
    const horizonS = this.horizonS;
    const ahead =
      ctx.targetArousalAhead ??
      (this.targetCurve ? targetAt(this.targetCurve, t + horizonS) : ctx.targetArousal);
    // The estimate stands without contact (the typical viewer's response to what was played); an
    // audience aggregate without quorum has no estimate and is taken as on target.
    const arousal = contact || ctx.viewer.forecast ? ctx.viewer.arousal : ctx.targetArousal;
    const safety = this.safety.apply(ctx.candidates, ctx.maxIntensity, ctx.viewer, t);
    const pace = this.pacing.update({
      storyTime: t,
      arousal,
      targetArousal: ctx.targetArousal,
      targetArousalAhead: ahead,
      currentIntensity: ctx.currentIntensity,
      maxIntensity: Math.max(0, ctx.maxIntensity),
    });
    const base: Prepared = {
      director: this,
      ctx,
      start,
      phase: pace.phase,
      desired: pace.desiredIntensity,
      relief: safety.relief,
      safetyReason: safety.reason,
    };
    if (safety.relief || safety.eligible.length === 1) {
      const index = safety.relief ? safety.lowest : (safety.eligible[0] ?? 0);
      base.immediate = this.record(base, index, {
        picker: 'safety',
        fallback: false,
        reason: safety.reason,
      });
      return base;
    }
    base.map = safety.eligible;
    base.pickCtx = {
      ...ctx,
      candidates: safety.eligible.map((i) => ctx.candidates[i]!),
      director: {
        phase: pace.phase,
        desiredIntensity: pace.desiredIntensity,
        targetArousalAhead: ahead,
        horizonS,
        targetAhead: MODEL_HORIZONS_S.map((h) =>
          this.targetCurve ? targetAt(this.targetCurve, t + h) : ahead,
        ),
        horizonsS: [...MODEL_HORIZONS_S],
        recentIntensity: this.recentIntensity,
        intensityEmas: this.intensityEmas,
        lastPlayedAt: this.lastPlayedAt,
        ...(pace.preferredMood !== undefined ? { preferredMood: pace.preferredMood } : {}),
      },
    };
    return base;
  }

  private finish(p: Prepared, result: PickResult | undefined): PacedDecision {
    const pickCtx = p.pickCtx as PickContext;
    const map = p.map as number[];
    const r: PickResult = result ?? new RulePicker().pickSync(pickCtx);
    const fallback = (r as Partial<DeadlinePickResult>).fallback ?? false;
    let local = r.index;
    let picker = r.picker;
    let reason = r.reason;
    let contexts: number[][] | null = null;
    const arousal = pickCtx.viewer.contact > 0 ? pickCtx.viewer.arousal : pickCtx.targetArousal;
    const byHorizon = r.predictionsByHorizon;
    const h = pickCtx.director;
    const forecast = pickCtx.viewer.forecast;
    if (this.latentPlanner && forecast && h && !fallback) {
      const curve = this.targetCurve;
      const t0 = pickCtx.storyTime;
      const target = (x: number): number =>
        curve ? targetAt(curve, x) : (h.targetAhead?.[0] ?? h.targetArousalAhead);
      const plan = this.latentPlanner.plan(
        t0,
        this.segmentS,
        pickCtx.candidates.map((c) => c.intensity),
        target,
        forecast,
      );
      const wm = this.latentModelWeight * (1 - pickCtx.viewer.evidence);
      const total = plan.costs.map(
        (c, i) => (1 - wm) * c + wm * (-(r.scores?.[i] ?? 0) / MODEL_HORIZONS_S.length),
      );
      local = 0;
      total.forEach((c, i) => {
        if (c < (total[local] ?? Infinity)) local = i;
      });
      picker = `${r.picker}+planner`;
      reason = `${reason}; plan for this viewer → ${plan.predicted
        .slice(0, 5)
        .map((x) => x.toFixed(2))
        .join('/')} (evidence ${pickCtx.viewer.evidence.toFixed(2)})`;
    } else if (this.planner && byHorizon && h && !fallback) {
      const curve = this.targetCurve;
      const horizons = [0, ...MODEL_HORIZONS_S];
      const known = [pickCtx.targetArousal, ...(h.targetAhead ?? [])];
      const t0 = pickCtx.storyTime;
      const target = (x: number): number => {
        if (curve) return targetAt(curve, x);
        const dx = x - t0;
        for (let j = 1; j < horizons.length; j++) {
          const h0 = horizons[j - 1] ?? 0;
          const h1 = horizons[j] ?? 0;
          if (dx <= h1) {
            const y0 = known[j - 1] ?? h.targetArousalAhead;
            const y1 = known[j] ?? y0;
            return y0 + ((y1 - y0) * (dx - h0)) / Math.max(1e-9, h1 - h0);
          }
        }
        return known[known.length - 1] ?? h.targetArousalAhead;
      };
      const plan = this.planner.plan(
        t0,
        this.segmentS,
        pickCtx.candidates.map((c) => c.intensity),
        target,
        pickCtx.viewer.contact > 0 ? pickCtx.viewer.arousal : null,
      );
      // Blend in the population model's own scores (mean squared error over its horizons), fading
      // as observations of this viewer accumulate: before the planner has identified the viewer
      // its prior model is a poor guide (validation seeds: n0 = 3 → 0.69 × rule, n0 = 0 → 0.71).
      const n0 = this.plannerModelWeight;
      const w = n0 > 0 ? n0 / (n0 + this.planner.observations) : 0;
      const steps = Math.max(1, plan.predicted.length);
      const total = plan.costs.map(
        (c, i) => (1 - w) * (c / steps) + w * (-(r.scores?.[i] ?? 0) / MODEL_HORIZONS_S.length),
      );
      local = 0;
      total.forEach((c, i) => {
        if (c < (total[local] ?? Infinity)) local = i;
      });
      picker = `${r.picker}+planner`;
      reason = `${reason}; personalised plan → ${plan.predicted
        .slice(0, 5)
        .map((x) => x.toFixed(2))
        .join('/')} (n=${this.planner.observations})`;
    }
    if (this.bandit && byHorizon && h) {
      const deltas = byHorizon.map((row) => row.map((x) => x - arousal));
      if (!fallback) {
        const targets = h.targetAhead ?? MODEL_HORIZONS_S.map(() => h.targetArousalAhead);
        const choice = this.bandit.choose(
          deltas,
          pickCtx.candidates.map((c) => c.intensity),
          h.recentIntensity,
          arousal,
          targets,
        );
        local = choice.index;
        contexts = choice.contexts[local] ?? null;
        picker = `${r.picker}+bandit`;
        const corrected = (choice.corrected[local] ?? []).map((x) => x.toFixed(2)).join('/');
        reason = `${reason}; personalised → ${corrected} (n=${this.bandit.observations})`;
      } else {
        contexts = (deltas[local] ?? []).map((d) =>
          LinearThompsonBandit.context(
            d,
            pickCtx.candidates[local]?.intensity ?? 0,
            h.recentIntensity,
          ),
        );
      }
    }
    if (contexts && pickCtx.viewer.contact > 0) {
      contexts.forEach((context, head) => {
        const due = pickCtx.storyTime + (MODEL_HORIZONS_S[head] ?? 0);
        this.pending.push({ due, head, arousal, context });
      });
    }
    const index = map[local] ?? map[0] ?? 0;
    return this.record(p, index, { picker, fallback, reason: `${reason}; ${p.safetyReason}` });
  }

  private record(
    p: Prepared,
    index: number,
    r: { picker: string; fallback: boolean; reason: string },
  ): PacedDecision {
    const c = p.ctx.candidates[index];
    if (c) this.lastPlayedAt[c.id] = p.ctx.storyTime;
    this.planner?.play(p.ctx.storyTime, c?.intensity ?? 0);
    this.decisions++;
    return {
      index,
      candidateId: c?.id ?? '',
      intensity: c?.intensity ?? 0,
      picker: r.picker,
      fallback: r.fallback,
      reason: r.reason,
      latencyMs: performance.now() - p.start,
      phase: p.phase,
      relief: p.relief,
      desiredIntensity: p.desired,
    };
  }
}

export interface CreateDirectorOptions extends Omit<DirectorOptions, 'picker'> {
  /** ONNX scorer; when omitted (or unloadable) the rule picker decides. */
  modelPath?: string;
  /** Deadline for the model, ms (default 5). */
  deadlineMs?: number;
  /** Share one primary picker between sessions instead of loading `modelPath`. */
  picker?: ScenePicker;
}

/**
 * Builds a Director. With `modelPath`, the model loads in the background and the rule picker
 * answers until it is ready (or forever, counted as fallbacks, if it cannot load). For many
 * sessions, build one `DeadlinePicker` and pass it as `picker` so the model loads once.
 *
 * @example
 *   const director = createDirector({ modelPath: 'models/pacing.onnx', personalise: true,
 *     targetCurve: story.targetCurve });
 *   // at each segment boundary:
 *   const d = await director.decide({ ...pickContext });
 */
export function createDirector(opts: CreateDirectorOptions = {}): Director {
  const { modelPath, deadlineMs, picker, ...rest } = opts;
  const primary =
    picker ??
    (modelPath !== undefined
      ? new DeadlinePicker(new OnnxPicker(modelPath), { deadlineMs: deadlineMs ?? 5 })
      : new RulePicker());
  return new Director({ ...rest, picker: primary });
}

/** One model load shared by many per-session Directors (what a server wants). */
export interface DirectorFactory {
  /** The shared primary picker (a DeadlinePicker around the OnnxPicker, or a RulePicker). */
  readonly picker: ScenePicker;
  /** Resolves when the model has loaded (true) or failed to (false; the rule answers). */
  readonly ready: Promise<boolean>;
  /** A new Director for one session (its own pacing, safety hysteresis and bandit). */
  create(opts?: Omit<DirectorOptions, 'picker'>): Director;
  /** Deadline/fallback counters of the shared picker (null without a model). */
  counters(): DeadlineCounters | null;
  destroy(): Promise<void>;
}

/**
 * @example
 *   const directors = createDirectorFactory({ modelPath: defaultModelPath(), personalise: true });
 *   const director = directors.create({ targetCurve: story.targetCurve }); // per session
 *   const d = await director.decide(ctx);                                  // per boundary
 *   await directors.destroy();                                             // at shutdown
 */
export function createDirectorFactory(opts: CreateDirectorOptions = {}): DirectorFactory {
  const { modelPath, deadlineMs, picker: given, ...defaults } = opts;
  const onnx = given === undefined && modelPath !== undefined ? new OnnxPicker(modelPath) : null;
  const picker: ScenePicker =
    given ?? (onnx ? new DeadlinePicker(onnx, { deadlineMs: deadlineMs ?? 5 }) : new RulePicker());
  return {
    picker,
    ready: onnx ? onnx.ready : Promise.resolve(given !== undefined),
    create(sessionOpts = {}): Director {
      const nominalGain = onnx?.metadata?.nominalGain;
      const pacing = {
        ...(nominalGain !== undefined ? { nominalGain } : {}),
        ...defaults.pacing,
        ...sessionOpts.pacing,
      };
      return new Director({ ...defaults, ...sessionOpts, pacing, picker });
    },
    counters: () => (picker instanceof DeadlinePicker ? picker.counters : null),
    destroy: async () => {
      await picker.destroy?.();
    },
  };
}
