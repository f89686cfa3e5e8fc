/**
 * Per-viewer personalisation: a linear-Gaussian contextual bandit with Thompson sampling
 * (Agrawal & Goyal 2013, "Thompson Sampling for Contextual Bandits with Linear Payoffs") over the
 * model's predictions. The population model predicts an arousal change δ̂ for each candidate; this
 * viewer's actual change is modelled per horizon h as δ_h = θ_h·φ with φ = [1, δ̂_h, c − ī]
 * (c candidate intensity, ī recent intensity) and prior θ ≈ [0, 1, 0] ("trust the model"). Each
 * decision samples every θ_h from its posterior, picks the candidate whose corrected predictions land
 * closest to the target curve, and h seconds later the observed change updates head h. It learns, during the show, how much more or
 * less than average this viewer responds.
 *
 * The bandit only re-ranks candidates the safety cap already allowed.
 */
import { Prng } from '../../contracts/random.js';
import { precisionNoise } from './gaussian-sample.js';

export interface BanditOptions {
  seed?: number;
  /** Prior precision (larger = trust the population model longer), default 4. */
  priorPrecision?: number;
  /** Observation noise variance of arousal changes, default 0.01. */
  noiseVar?: number;
  /**
   * Scale of posterior samples (1 = plain Thompson sampling), default 0.15: arousal feedback is
   * slow and noisy, so wide samples cost more tracking error than they teach.
   */
  explore?: number;
}

export const BANDIT_DIM = 3;

export interface BanditChoice {
  index: number;
  /** Corrected predicted arousal per candidate per horizon. */
  corrected: number[][];
  /** Context vector of each candidate per horizon, for `observe`. */
  contexts: number[][][];
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

function solve3(a: Mat3, b: number[]): number[] {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  const det = a0 * (a4 * a8 - a5 * a7) - a1 * (a3 * a8 - a5 * a6) + a2 * (a3 * a7 - a4 * a6);
  const inv = [
    (a4 * a8 - a5 * a7) / det,
    (a2 * a7 - a1 * a8) / det,
    (a1 * a5 - a2 * a4) / det,
    (a5 * a6 - a3 * a8) / det,
    (a0 * a8 - a2 * a6) / det,
    (a2 * a3 - a0 * a5) / det,
    (a3 * a7 - a4 * a6) / det,
    (a1 * a6 - a0 * a7) / det,
    (a0 * a4 - a1 * a3) / det,
  ];
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  const b2 = b[2] ?? 0;
  return [0, 1, 2].map(
    (r) => (inv[r * 3] ?? 0) * b0 + (inv[r * 3 + 1] ?? 0) * b1 + (inv[r * 3 + 2] ?? 0) * b2,
  );
}

/** One Bayesian linear regression (ridge prior around [0, 1, 0]) with Thompson samples. */
class LinearHead {
  /** Posterior precision matrix A (row-major) and vector b, so that μ = A⁻¹ b. */
  private readonly a: Mat3;
  private readonly b: number[];
  n = 0;

  constructor(priorPrecision: number) {
    const p = priorPrecision;
    this.a = [p, 0, 0, 0, p, 0, 0, 0, p];
    // Prior mean [0, 1, 0]: b = A·μ0.
    this.b = [0, p, 0];
  }

  get mean(): number[] {
    return solve3(this.a, this.b);
  }

  /** θ ~ N(μ, s²·A⁻¹): θ = μ + s·L⁻ᵀ z where A = L Lᵀ. */
  sample(rng: Prng, s: number): number[] {
    const mu = this.mean;
    const x = precisionNoise(this.a, 3, [rng.normal(), rng.normal(), rng.normal()]);
    return mu.map((m, i) => m + s * (x[i] ?? 0));
  }

  observe(context: number[], y: number): void {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        this.a[i * 3 + j] = (this.a[i * 3 + j] ?? 0) + (context[i] ?? 0) * (context[j] ?? 0);
      }
      this.b[i] = (this.b[i] ?? 0) + (context[i] ?? 0) * y;
    }
    this.n++;
  }
}

export class LinearThompsonBandit {
  private readonly rng: Prng;
  private readonly heads: LinearHead[];
  private readonly noiseSd: number;
  private readonly explore: number;

  /**
   * One linear head per model horizon.
   *
   * @example
   *   const bandit = new LinearThompsonBandit(3, { seed: 1 });
   *   const { index, contexts } = bandit.choose(deltas, intensities, recent, arousal, targets);
   *   // h seconds later, for each horizon h:
   *   bandit.observe(h, contexts[index][h], observedDelta);
   */
  constructor(horizons: number, opts: BanditOptions = {}) {
    this.rng = new Prng(opts.seed ?? 1);
    const p = opts.priorPrecision ?? 4;
    this.noiseSd = Math.sqrt(opts.noiseVar ?? 0.01);
    this.explore = opts.explore ?? 0.15;
    this.heads = Array.from({ length: horizons }, () => new LinearHead(p));
  }

  /** Number of observations so far (all heads). */
  get observations(): number {
    return this.heads.reduce((s, h) => s + h.n, 0);
  }

  /** Posterior mean θ of one head. */
  mean(head = 0): number[] {
    return this.heads[head]?.mean ?? [0, 1, 0];
  }

  /** Context vector for one candidate at one horizon. */
  static context(predDelta: number, intensity: number, recentIntensity: number): number[] {
    return [1, predDelta, intensity - recentIntensity];
  }

  /**
   * Samples θ per head and picks the candidate whose corrected arousal is closest to the targets
   * (sum of squares over horizons). `deltas[c][h]` is the model's predicted change for candidate
   * c at horizon h; `targets[h]` the target arousal at horizon h.
   */
  choose(
    deltas: number[][],
    intensities: number[],
    recentIntensity: number,
    arousal: number,
    targets: number[],
  ): BanditChoice {
    const s = this.noiseSd * this.explore;
    const thetas = this.heads.map((h) => h.sample(this.rng, s));
    const contexts = deltas.map((row, c) =>
      row.map((d) => LinearThompsonBandit.context(d, intensities[c] ?? 0, recentIntensity)),
    );
    const corrected = contexts.map((row) =>
      row.map((ctx, h) => arousal + ctx.reduce((acc, v, i) => acc + v * (thetas[h]?.[i] ?? 0), 0)),
    );
    const cost = corrected.map((row) =>
      row.reduce((acc, v, h) => acc + (v - (targets[h] ?? 0)) ** 2, 0),
    );
    let index = 0;
    cost.forEach((v, i) => {
      if (v < (cost[index] ?? Infinity)) index = i;
    });
    return { index, corrected, contexts };
  }

  /** Bayesian linear-regression update of head `head` with one observed arousal change. */
  observe(head: number, context: number[], observedDelta: number): void {
    if (!Number.isFinite(observedDelta)) return;
    this.heads[head]?.observe(context, observedDelta);
  }
}
