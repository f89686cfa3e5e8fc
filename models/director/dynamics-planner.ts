/**
 * Per-viewer personalisation as online system identification + model-predictive planning.
 *
 * The viewer's measured arousal (what the director sees) is modelled as a linear response to what
 * the director actually played:
 *
 *   a(t) ≈ b + g₁ · z₁(t − d) + g₂ · z₂(t − d) + Σⱼ kⱼ · qⱼ(t)
 *
 * z₁ is the played intensity through a first-order lag τ (the heart's sympathetic response,
 * Mokrane & Nadeau 1998), z₂ is z₁ through a second, slower lag (the 30 s RMSSD window of the
 * signal stage), d a pure delay (the heart's plus the 5 s heart-rate averaging), and qⱼ startle
 * bases (every jump to a scare — same rule as the simulator and the literature: +≥0.3 to ≥0.6 —
 * shaped x·e^(1−x), weakened by a habituation factor per exposure, one basis per factor). The
 * viewer's own (b, g₁, g₂, k) are fitted online by Bayesian linear regression around a population
 * prior; a bank of (τ, d) hypotheses runs in parallel and the one with the lowest recent one-step
 * prediction error is used, so the viewer's delay and time constant are identified too.
 *
 * Planning (receding horizon): at every boundary, every sequence of levels under move blocking
 * (default: the next segment, the two after, then held to the end of a 36 s look-ahead) is rolled
 * forward with the identified model plus the current residual (measured − modelled, decaying with
 * a 15 s time constant); the first move of the sequence whose predicted arousal lands closest to the
 * target curve (sum of squares at the future boundaries) is played, and everything is re-decided at
 * the next boundary. Updates use the arousal observed after what was really played, so there is no
 * "held for h seconds" credit-assignment bias (the Thompson bandit's weakness).
 *
 * It only ranks the levels it is given: the Director passes the candidates the safety cap allowed.
 */
import { Prng } from '../../contracts/random.js';
import { precisionNoise } from './gaussian-sample.js';
import { forEachPlan, moveStarts } from './move-blocks.js';

export interface PlannerPrior {
  /** Prior mean of [offset, fast gain, slow gain, startle size]. */
  mean: number[];
  /** Prior precision per parameter. */
  precision: number[];
}

export interface DynamicsPlannerOptions {
  /** Heart time constants to try, seconds. */
  tausS?: number[];
  /** Pure delays to try (incl. the processor's averaging), seconds. */
  delaysS?: number[];
  /** Time constant of the slow (RMSSD-window) component, seconds. */
  slowTauS?: number;
  prior?: PlannerPrior;
  /** Observation noise variance of measured arousal. */
  noiseVar?: number;
  /** Forgetting time of the model-selection error average, boundaries. */
  selectionMemory?: number;
  /** Planning look-ahead, seconds. */
  lookAheadS?: number;
  /** Time constant of the residual (disturbance) decay, seconds. */
  residualTauS?: number;
  /** Response used before any observation (the population's typical one). */
  typical?: { tauS: number; delayS: number };
  /** Cost added per planned scare (a startle is random: its variance is not in the mean model). */
  scarePenalty?: number;
  /** Habituation hypotheses: factors by which each scare weakens the next startle (one basis each). */
  startleWeakenings?: number[];
  /** Shift of the startle response in the measured arousal (the processor's averaging), seconds. */
  startleShiftS?: number;
  /** Exponential forgetting of old observations (1 = none), per observation. */
  forgetting?: number;
  /** Smoothing of the residual over boundaries: weight of the newest (1 = newest only). */
  residualAlpha?: number;
  /**
   * Move blocking: durations (in segments) of the planned moves before the last one, which is held
   * to the end of the look-ahead. Default [1, 2]: the next segment, the two after, then held.
   */
  blocks?: number[];
  /**
   * Thompson sampling: scale of the posterior sample of this viewer's parameters used for each
   * plan (0 = plan with the posterior mean; 1 = plain Thompson sampling). Default 0.15, as the
   * bandit: arousal feedback is slow and noisy, wide samples cost more tracking than they teach.
   */
  explore?: number;
  /** Seed of the Thompson samples. */
  seed?: number;
}

const STARTLE_PEAK_S = 2.5;
const STARTLE_END_X = 8;
const SCARE_MIN_INTENSITY = 0.6;
const SCARE_MIN_JUMP = 0.3;

export const DEFAULT_PLANNER_PRIOR: PlannerPrior = {
  mean: [0, 0.55, 0.3, 0.15, 0.1],
  precision: [20, 4, 8, 4, 4],
};

interface Played {
  t: number;
  u: number;
}

/** Two-pole state: z1 follows u with tau1, z2 follows z1 with tau2. */
interface Lag2 {
  z1: number;
  z2: number;
}

function advance(s: Lag2, u: number, dt: number, tau1: number, tau2: number): Lag2 {
  if (dt <= 0) return s;
  const e1 = s.z1 - u;
  const e2 = s.z2 - u;
  const a1 = Math.exp(-dt / tau1);
  const a2 = Math.exp(-dt / tau2);
  const d = Math.abs(tau1 - tau2) < 1e-6 ? 0 : (e1 * tau1) / (tau1 - tau2);
  const z2 =
    Math.abs(tau1 - tau2) < 1e-6 ? u + (e2 + (e1 * dt) / tau2) * a2 : u + (e2 - d) * a2 + d * a1;
  return { z1: u + e1 * a1, z2 };
}

/** Small Bayesian linear regression (dimension = prior length). */
class Blr {
  private readonly a: number[];
  private readonly b: number[];
  private readonly n: number;
  private cached: number[] | null = null;
  constructor(prior: PlannerPrior) {
    this.n = prior.mean.length;
    this.a = new Array<number>(this.n * this.n).fill(0);
    for (let i = 0; i < this.n; i++) this.a[i * this.n + i] = prior.precision[i] ?? 1;
    this.b = prior.mean.map((m, i) => m * (prior.precision[i] ?? 1));
  }
  mean(): number[] {
    if (this.cached) return this.cached;
    const n = this.n;
    const m = Array.from({ length: n }, (_, i) => [
      ...this.a.slice(i * n, i * n + n),
      this.b[i] ?? 0,
    ]);
    for (let c = 0; c < n; c++) {
      let piv = c;
      for (let r = c + 1; r < n; r++) {
        if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[piv]?.[c] ?? 0)) piv = r;
      }
      [m[c], m[piv]] = [m[piv] as number[], m[c] as number[]];
      const row = m[c] as number[];
      const p = row[c] ?? 1;
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const other = m[r] as number[];
        const f = (other[c] ?? 0) / p;
        for (let k = c; k <= n; k++) other[k] = (other[k] ?? 0) - f * (row[k] ?? 0);
      }
    }
    this.cached = m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
    return this.cached;
  }
  /** θ ~ N(μ, s²·A⁻¹) (A is the posterior precision; the draws fill z from the last index). */
  sample(rng: Prng, s: number): number[] {
    const z = new Array<number>(this.n);
    for (let i = this.n - 1; i >= 0; i--) z[i] = rng.normal();
    const x = precisionNoise(this.a, this.n, z);
    return this.mean().map((m, i) => m + s * (x[i] ?? 0));
  }

  observe(x: number[], y: number, w = 1, forget = 1, prior?: PlannerPrior): void {
    const n = this.n;
    if (forget < 1 && prior) {
      // Forget towards the prior: A ← f·A + (1−f)·A0, b ← f·b + (1−f)·b0.
      for (let i = 0; i < n * n; i++) this.a[i] = forget * (this.a[i] ?? 0);
      for (let i = 0; i < n; i++) {
        const p0 = prior.precision[i] ?? 1;
        this.a[i * n + i] = (this.a[i * n + i] ?? 0) + (1 - forget) * p0;
        this.b[i] = forget * (this.b[i] ?? 0) + (1 - forget) * p0 * (prior.mean[i] ?? 0);
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        this.a[i * n + j] = (this.a[i * n + j] ?? 0) + w * (x[i] ?? 0) * (x[j] ?? 0);
      }
      this.b[i] = (this.b[i] ?? 0) + w * (x[i] ?? 0) * y;
    }
    this.cached = null;
  }
}

interface Hypothesis {
  tau: number;
  delay: number;
  /** Index into the per-tau state caches. */
  ti: number;
  blr: Blr;
  err: number;
}

export interface PlanResult {
  /** Index of the chosen first move among `intensities`. */
  index: number;
  /** Predicted cost per first move. */
  costs: number[];
  /** Predicted arousal at the look-ahead boundaries for the chosen sequence. */
  predicted: number[];
}

export class DynamicsPlanner {
  private readonly hyps: Hypothesis[];
  private readonly played: Played[] = [];
  private readonly scares: number[] = [];
  private readonly taus: number[];
  private readonly slowTau: number;
  /** Lag state per tau at the start of each played entry (before its level applies). */
  private readonly states: Lag2[][];
  private readonly noiseVar: number;
  private readonly memory: number;
  private readonly lookAheadS: number;
  private readonly residualTauS: number;
  private readonly weakenings: number[];
  private readonly startleShift: number;
  private readonly scarePenalty: number;
  private readonly blocks: number[];
  private readonly forgetting: number;
  private readonly prior: PlannerPrior;
  private readonly residualAlpha: number;
  private residualEma: number | null = null;
  private readonly explore: number;
  private readonly rng: Prng;
  observations = 0;

  constructor(opts: DynamicsPlannerOptions = {}) {
    this.taus = opts.tausS ?? [9, 13, 18, 25];
    const delays = opts.delaysS ?? [2, 3.5, 5];
    this.slowTau = opts.slowTauS ?? 15;
    const prior = opts.prior ?? DEFAULT_PLANNER_PRIOR;
    this.prior = prior;
    this.hyps = [];
    this.taus.forEach((tau, ti) => {
      for (const delay of delays) this.hyps.push({ tau, delay, ti, blr: new Blr(prior), err: 0 });
    });
    // Before any data, the population's typical response is used (ties go to the lowest error).
    const typical = opts.typical ?? { tauS: 13, delayS: 5 };
    let first = this.hyps[0] as Hypothesis;
    for (const h of this.hyps) {
      const d = Math.abs(h.tau - typical.tauS) + Math.abs(h.delay - typical.delayS);
      if (d < Math.abs(first.tau - typical.tauS) + Math.abs(first.delay - typical.delayS))
        first = h;
    }
    first.err = -1e-9;
    this.states = this.taus.map(() => []);
    this.noiseVar = opts.noiseVar ?? 0.0016;
    this.memory = opts.selectionMemory ?? 30;
    this.lookAheadS = opts.lookAheadS ?? 36;
    this.residualTauS = opts.residualTauS ?? 15;
    this.blocks = opts.blocks ?? [1, 2];
    this.forgetting = opts.forgetting ?? 1;
    this.residualAlpha = opts.residualAlpha ?? 1;
    this.weakenings = opts.startleWeakenings ?? [1, 0.8];
    this.startleShift = opts.startleShiftS ?? 2;
    this.scarePenalty = opts.scarePenalty ?? 0;
    this.explore = opts.explore ?? 0.15;
    this.rng = new Prng(opts.seed ?? 1);
  }

  /** Records what plays from story time `t` on (call at every boundary, safety picks included). */
  play(t: number, u: number): void {
    const n = this.played.length;
    const last = this.played[n - 1];
    if (last && last.t === t) {
      last.u = u;
      if (this.scares[this.scares.length - 1] === t) this.scares.pop();
    } else {
      this.taus.forEach((tau, j) => {
        const st = this.states[j] as Lag2[];
        const prev = st[n - 1];
        st.push(
          last && prev ? advance(prev, last.u, t - last.t, tau, this.slowTau) : { z1: 0, z2: 0 },
        );
      });
      this.played.push({ t, u });
    }
    const m = this.played.length;
    const before = m >= 2 ? (this.played[m - 2]?.u ?? 0) : 0;
    if (u >= SCARE_MIN_INTENSITY && u - before >= SCARE_MIN_JUMP) this.scares.push(t);
  }

  /** Index of the last played entry starting at or before x (0 if none). */
  private startIndex(x: number): number {
    let i = this.played.length - 1;
    while (i > 0 && (this.played[i]?.t ?? 0) > x) i--;
    return Math.max(0, i);
  }

  /** Lag state at time x following `seq` from state `s0` at seq[0].t. */
  private lagAt(seq: readonly Played[], s0: Lag2, tau: number, x: number): Lag2 {
    let s = s0;
    const first = seq[0];
    if (!first || x <= first.t) return s;
    let prevT = first.t;
    let u = first.u;
    for (let i = 1; i < seq.length; i++) {
      const p = seq[i] as Played;
      if (p.t >= x) break;
      s = advance(s, u, p.t - prevT, tau, this.slowTau);
      prevT = p.t;
      u = p.u;
    }
    return advance(s, u, x - prevT, tau, this.slowTau);
  }

  private startleBases(scares: readonly number[], x: number): number[] {
    const q = this.weakenings.map(() => 0);
    for (let n = scares.length - 1; n >= 0; n--) {
      const y = (x - (scares[n] ?? 0) - this.startleShift) / STARTLE_PEAK_S;
      if (y >= STARTLE_END_X) break;
      if (y > 0) {
        const shape = y * Math.exp(1 - y);
        this.weakenings.forEach((w, j) => {
          q[j] = (q[j] ?? 0) + Math.pow(w, n) * shape;
        });
      }
    }
    return q;
  }

  private features(h: Hypothesis, x: number): number[] {
    const i = this.startIndex(x - h.delay);
    const s0 = this.states[h.ti]?.[i] ?? { z1: 0, z2: 0 };
    const s = this.lagAt(this.played.slice(i, i + 2), s0, h.tau, x - h.delay);
    return [1, s.z1, s.z2, ...this.startleBases(this.scares, x)];
  }

  /** Updates every hypothesis with the arousal measured at story time `t`. */
  observe(t: number, arousal: number): void {
    if (!Number.isFinite(arousal) || this.played.length === 0) return;
    const decay = 1 - 1 / this.memory;
    for (const h of this.hyps) {
      const x = this.features(h, t);
      const th = h.blr.mean();
      const pred = x.reduce((s, v, i) => s + v * (th[i] ?? 0), 0);
      h.err = decay * h.err + (arousal - pred) ** 2;
      h.blr.observe(x, arousal, 1 / (this.noiseVar * 100), this.forgetting, this.prior);
    }
    this.observations++;
  }

  /** The currently selected (τ, delay), its fitted parameters and recent prediction RMSE. */
  describe(): { tauS: number; delayS: number; theta: number[]; rmse: number } {
    const h = this.best();
    return {
      tauS: h.tau,
      delayS: h.delay,
      theta: h.blr.mean(),
      rmse: Math.sqrt(h.err / this.memory),
    };
  }

  private best(): Hypothesis {
    let best = this.hyps[0] as Hypothesis;
    for (const h of this.hyps) if (h.err < best.err) best = h;
    return best;
  }

  /**
   * Chooses the first move. `intensities` are the eligible levels; `target(x)` the target arousal
   * at story time x; `arousal` the measured arousal now (or null without contact).
   */
  plan(
    t: number,
    segmentS: number,
    intensities: number[],
    target: (x: number) => number,
    arousal: number | null,
  ): PlanResult {
    const h = this.best();
    const [b = 0, g1 = 0, g2 = 0, ...ks] =
      this.explore > 0 ? h.blr.sample(this.rng, this.explore) : h.blr.mean();
    const n = this.played.length;
    const i0 = Math.max(0, Math.min(this.startIndex(t - h.delay - 1e-9), n - 1));
    const tail = this.played.slice(i0).filter((p) => p.t < t);
    const s0 = this.states[h.ti]?.[i0] ?? { z1: 0, z2: 0 };
    const model = (seq: readonly Played[], scares: readonly number[], x: number): number => {
      const s = this.lagAt(seq, s0, h.tau, x - h.delay);
      const q = this.startleBases(scares, x);
      return b + g1 * s.z1 + g2 * s.z2 + q.reduce((acc, v, j) => acc + v * (ks[j] ?? 0), 0);
    };
    const now =
      arousal === null || tail.length === 0 ? null : arousal - model(tail, this.scares, t);
    if (now !== null) {
      this.residualEma =
        this.residualEma === null
          ? now
          : this.residualEma + this.residualAlpha * (now - this.residualEma);
    }
    const residual = this.residualEma ?? 0;
    const steps = Math.max(1, Math.round(this.lookAheadS / segmentS));
    const targets = Array.from({ length: steps }, (_, j) => target(t + (j + 1) * segmentS));
    const levels = [...new Set(intensities)];
    const lastU = tail[tail.length - 1]?.u ?? this.played[n - 1]?.u ?? 0;
    const costs = intensities.map(() => Infinity);
    let bestCost = Infinity;
    let bestPred: number[] = [];
    const base = tail.length > 0 ? tail : [{ t, u: lastU }];
    const starts = moveStarts(this.blocks);
    forEachPlan(levels, starts.length, (moves) => {
      const u1 = moves[0] ?? 0;
      const future = moves.map((u, m) => ({ t: t + (starts[m] ?? 0) * segmentS, u }));
      const seq = tail.length > 0 ? [...base, ...future] : future;
      const scares = [...this.scares];
      let prev = lastU;
      for (const p of future) {
        if (p.u >= SCARE_MIN_INTENSITY && p.u - prev >= SCARE_MIN_JUMP) scares.push(p.t);
        prev = p.u;
      }
      let cost = this.scarePenalty * (scares.length - this.scares.length);
      const pred: number[] = [];
      for (let j = 1; j <= steps; j++) {
        const x = t + j * segmentS;
        const raw =
          model(seq, scares, x) + residual * Math.exp(-(j * segmentS) / this.residualTauS);
        const a = raw < 0 ? 0 : raw > 1 ? 1 : raw;
        pred.push(a);
        cost += (a - (targets[j - 1] ?? 0)) ** 2;
      }
      intensities.forEach((ci, i) => {
        if (ci === u1 && cost < (costs[i] ?? Infinity)) costs[i] = cost;
      });
      if (cost < bestCost) {
        bestCost = cost;
        bestPred = pred;
      }
    });
    let index = 0;
    costs.forEach((c, i) => {
      if (c < (costs[index] ?? Infinity)) index = i;
    });
    return { index, costs, predicted: bestPred };
  }
}
