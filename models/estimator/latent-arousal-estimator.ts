/**
 * Per-viewer latent-arousal estimator: what the viewer feels, from what their body shows, given
 * what the film showed them.
 *
 * The physiology is not arousal. Heart rate, skin conductance and HRV each show the viewer's
 * arousal through a gain of their own (cardiac and electrodermal reactivity differ between people
 * by an order of magnitude, and some people barely show it at all), with delays and lags of their
 * own, over baselines that drift. What the film does to a viewer's felt arousal differs too
 * (susceptibility). So the estimator does not map a reading to arousal; it identifies, per viewer,
 * a small state-space model with the film's own intensity history as the known input:
 *
 *   a(t)   = σ · F(t) + κ · S(t)                latent arousal
 *   F      = lag_τ(delay_d(u))                   the film's tonic drive (u = intensity on screen)
 *   S      = Σ scares p̄ (1−h̄)^k · x e^(1−x)     startle reflexes, x = (t − t_k) / 2.5 s
 *   y_c(t) = b_c + β_c·t + Σ_p g_p · P_p[a](t)   each channel c: heart rate, EDA, RMSSD
 *
 * P_p are the channels' pathways (cardiac: delay, lag and the signal stage's 5 s mean; EDA:
 * a slow tonic lag and the skin-conductance response kernel on rises; RMSSD: the cardiac pathway
 * through the 30 s window) and g_p = r_p · κ their gains. What identifies a viewer: the *shape* of a
 * response (startle peaks against tonic build-up) gives ρ = σ / κ in every channel at once; the
 * startle reflex is a fraction of a person's range that varies little between people (what range
 * correction in psychophysiology relies on, Lykken & Venables 1971), so its prior pins the scale
 * κ, and σ = ρ·κ. Where the body shows nothing (tiny gains, no contact), the data say nothing about
 * ρ, the posterior stays at the population prior, and the estimate is the typical viewer's response
 * to what was played — the author's curve — with a wide uncertainty.
 *
 * Inference: a bank of (τ) hypotheses × a grid over ρ; for each, every channel is a linear
 * regression (baseline, drift, gains) solved from sufficient statistics kept in 15 s blocks;
 * blocks whose residual is an outlier against the others (a settling strap, a movement burst) are
 * left out, so a bad start is forgotten as soon as later data disagree with it. Likelihoods are
 * tempered by each channel's autocorrelation time (1 Hz samples of a 5 s mean are not independent).
 * κ's posterior per grid point is a Gaussian in log space (prior × each gain ÷ its reactivity
 * prior). The estimate and its variance are the posterior mixture's.
 *
 * Cost: O(hypotheses × pathways²) per observation, O(hypotheses × grid × channels) per estimate
 * (cached per time step); ≈ 20 KB per viewer.
 */
import type { LatentForecast } from '../../contracts/director.js';
import { DelayLine, Lag, MovingAverage, ScrKernel } from './response-filters.js';
import { choleskyFactor, choleskySolveWith } from './small-linear-algebra.js';

/** A log-normal prior: median and the standard deviation of the natural log. */
export interface LogNormalPrior {
  median: number;
  logSd: number;
}

/** A normal prior (reactivities may be near zero or negative: a heart that slows with fear). */
export interface NormalPrior {
  mean: number;
  sd: number;
}

/**
 * What the estimator assumes about people before it has seen this one — the population the
 * director was trained on (sensors/simulator population `default`), summarised: the estimator must
 * know the typical viewer to fall back on the typical viewer's response when a body shows nothing.
 */
export interface EstimatorPrior {
  /** σ: latent arousal at sustained intensity 1 (fraction of the viewer's range). */
  susceptibility: LogNormalPrior;
  /** κ: latent size of a startle reflex. */
  startleReflex: LogNormalPrior;
  /** Probability that a scare triggers a startle, and its habituation per startle. */
  startleProb: number;
  habituation: number;
  /** Gains at latent arousal 1: heart rate (bpm), EDA tonic (µS), EDA phasic (µS per unit rise). */
  heartRateReactivity: NormalPrior;
  edaTonicReactivity: NormalPrior;
  edaPhasicReactivity: NormalPrior;
  /** RMSSD change at latent arousal 1 (ms; negative: vagal withdrawal). */
  rmssdReactivity: NormalPrior;
}

/**
 * The default population's ranges (sensors/simulator/population-presets.ts `default`) as moments:
 * σ log-normal (median 0.85, log-sd 0.35, 0.3–1.8), κ uniform 0.25–0.5, startle probability 0.5–0.95, habituation 0.05–0.3,
 * cardiac reactivity 0–15 bpm, EDA tonic 0–3 µS and phasic 0.3–2.5 µS (10 % non-responders),
 * vagal reactivity 0–0.6 of a ≈ 50 ms resting RMSSD. Spreads are widened by about a third so a
 * population a little outside these ranges is not ruled out a priori.
 */
export const DEFAULT_ESTIMATOR_PRIOR: EstimatorPrior = {
  susceptibility: { median: 0.85, logSd: 0.45 },
  startleReflex: { median: 0.37, logSd: 0.26 },
  startleProb: 0.72,
  habituation: 0.17,
  heartRateReactivity: { mean: 7.5, sd: 6 },
  edaTonicReactivity: { mean: 1.4, sd: 1.3 },
  edaPhasicReactivity: { mean: 1.3, sd: 1.1 },
  rmssdReactivity: { mean: -12, sd: 15 },
};

export interface EstimatorOptions {
  prior?: EstimatorPrior;
  /** Grid step, seconds. */
  stepS?: number;
  /** Latent build-up time constants to consider (one hypothesis each), seconds. */
  latentTausS?: number[];
  /** Latent pure delay (perception), seconds. */
  latentDelayS?: number;
  /** Cardiac pathway: delay, lag, and the signal stage's heart-rate window, seconds. */
  cardiac?: { delayS: number; tauS: number; windowS: number };
  /** EDA pathway: tonic lag, the signal stage's window, and the SCR kernel, seconds. */
  eda?: { tonicTauS: number; windowS: number; latencyS: number; riseS: number; recoveryS: number };
  /** The signal stage's RMSSD window, seconds. */
  rmssdWindowS?: number;
  /** Seconds of heart data before the first estimate ("calibrating"). */
  calibrationS?: number;
  /**
   * Seconds after the first observation whose data set nothing but the baselines (default 30): a
   * strap settling or a seat being sat on looks, at the start of a film, exactly like a response to
   * the film's first rise, and would set the viewer's gains for minutes (seen on real recordings).
   * A windowed channel (RMSSD) waits its window longer, so no window holds burn-in beats.
   */
  burnInS?: number;
  /** Statistics block length and memory, seconds. */
  blockS?: number;
  memoryS?: number;
  /** The model is refitted at most this often (and whenever a scare is judged), seconds. */
  refitEveryS?: number;
}

/** One observation from the signal stage (sensors/signal snapshot), null where unknown. */
export interface EstimatorObservation {
  /** ms */
  t: number;
  heartRate: number | null;
  eda: number | null;
  rmssd: number | null;
}

export interface ArousalEstimate {
  t: number;
  /** Posterior mean of latent arousal, 0–1. */
  arousal: number;
  /** Posterior standard deviation. */
  sd: number;
  /** Still collecting the resting data the baselines need. */
  calibrating: boolean;
  /** Seconds of heart data still needed before the first estimate (0 once calibrated). */
  calibrationRemainingS: number;
  /** 0 = the prior alone (nothing identified), 1 = the data alone set the viewer's susceptibility. */
  evidence: number;
  susceptibility: { mean: number; sd: number };
  /** Identified reactivities (channel gain ÷ κ), null where the channel is absent or silent. */
  reactivity: { heartRate: number | null; eda: number | null };
  /** The model's parts of the mean: the film's tonic drive and startles. */
  film: number;
  startle: number;
}

const SCARE_MIN_INTENSITY = 0.6;
const SCARE_MIN_JUMP = 0.3;
const STARTLE_PEAK_S = 2.5;
const STARTLE_END_X = 8;
/** Seconds an observation waits so that every scare before it can be judged from the body. */
const DECIDE_AFTER_S = 12;
/** Half-life of old blocks' weight, seconds (the viewer may change; the model adapts). */
const FORGET_HALF_LIFE_S = 300;
/** Grids of the susceptibility σ and the startle reflex κ (log-spaced). */
const SIGMA_GRID = logGrid(0.04, 3, 36);
const KAPPA_GRID = logGrid(0.1, 1, 12);

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / (n - 1)));
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** A channel's pathway: turns a latent component into what the channel shows of it. */
interface Pathway {
  /** Advances one step with the component's value and its rise over the step. */
  step(x: number, rise: number): number;
}

interface PathwaySpec {
  /** Prior of this pathway's gain (the channel's reactivity). */
  reactivity: NormalPrior;
  /** The pathway of the film's tonic drive. */
  create(): Pathway;
  /** The pathway of a startle, when it differs (the heart answers a startle without the lag). */
  createStartle?(): Pathway;
}

class CardiacPathway implements Pathway {
  private readonly delay: DelayLine;
  private readonly lag: Lag;
  private readonly ma: MovingAverage;
  private readonly extra: MovingAverage | null;
  constructor(
    c: { delayS: number; tauS: number; windowS: number },
    stepS: number,
    extraWindowS = 0,
  ) {
    this.delay = new DelayLine(c.delayS / stepS);
    this.lag = new Lag(c.tauS, stepS);
    this.ma = new MovingAverage(c.windowS / stepS);
    this.extra = extraWindowS > 0 ? new MovingAverage(extraWindowS / stepS) : null;
  }
  step(x: number): number {
    const v = this.ma.step(this.lag.step(this.delay.step(x)));
    return this.extra ? this.extra.step(v) : v;
  }
}

class EdaTonicPathway implements Pathway {
  private readonly lag: Lag;
  private readonly ma: MovingAverage;
  constructor(tauS: number, windowS: number, stepS: number) {
    this.lag = new Lag(tauS, stepS);
    this.ma = new MovingAverage(windowS / stepS);
  }
  step(x: number): number {
    return this.ma.step(this.lag.step(x));
  }
}

class EdaPhasicPathway implements Pathway {
  private readonly scr: ScrKernel;
  private readonly ma: MovingAverage;
  constructor(
    e: { latencyS: number; riseS: number; recoveryS: number; windowS: number },
    stepS: number,
  ) {
    this.scr = new ScrKernel({ ...e, stepS });
    this.ma = new MovingAverage(e.windowS / stepS);
  }
  step(_x: number, rise: number): number {
    return this.ma.step(this.scr.step(rise));
  }
}

interface ChannelSpec {
  name: 'heartRate' | 'eda' | 'rmssd';
  pathways: PathwaySpec[];
  /** Per pathway: its response to one unit startle pulse, per grid step after the event. */
  startleResponse: Float64Array[];
  /** Samples per independent observation (autocorrelation of the signal stage's windows). */
  temper: number;
  /** Standard deviation of the baseline's random walk per block (drift the model allows). */
  driftPerBlock: number;
  /** Seconds from the first observation before this channel's data may inform the gains. */
  burnInS: number;
}

/**
 * Sufficient statistics of one channel under one hypothesis, per block of `blockS` seconds:
 * Σ v vᵀ (upper triangle) for v = [1, F_1…F_P, S_1…S_P, y].
 */
class BlockStats {
  readonly data: Float64Array;
  readonly start: Float64Array;
  head = -1;
  used = 0;
  constructor(
    readonly dim: number,
    readonly blocks: number,
  ) {
    this.data = new Float64Array(blocks * dim * dim);
    this.start = new Float64Array(blocks);
  }
  add(blockStartS: number, v: Float64Array): void {
    const d = this.dim;
    if (this.head < 0 || this.start[this.head] !== blockStartS) {
      this.head = (this.head + 1) % this.blocks;
      this.used = Math.min(this.blocks, this.used + 1);
      this.start[this.head] = blockStartS;
      this.data.fill(0, this.head * d * d, (this.head + 1) * d * d);
    }
    const base = this.head * d * d;
    for (let i = 0; i < d; i++) {
      const vi = v[i] ?? 0;
      for (let j = i; j < d; j++) {
        this.data[base + i * d + j] = (this.data[base + i * d + j] ?? 0) + vi * (v[j] ?? 0);
      }
    }
  }
}

interface Hypothesis {
  tauS: number;
  delay: DelayLine;
  lag: Lag;
  f: number;
  /** Per channel, per pathway: the pathway applied to F, and its latest outputs (flattened). */
  paths: Pathway[][];
  out: Float64Array;
  stats: BlockStats[];
}

/** A scare: when, its nominal startle size ((1 − h̄)^k), and the weight the data gave it. */
interface ScareEvent {
  t: number;
  nominal: number;
  /** Expected occurrence × size factor: p̄ until judged, then from the body's answer. */
  weight: number;
  decided: boolean;
}

/** An observation waiting for the scares before it to be judged. */
interface Pending {
  t: number;
  y: Array<number | null>;
  /** Per hypothesis, per channel, per pathway: B_F at the observation time. */
  fBasis: Float64Array;
}

/** One channel's fit under one hypothesis. */
interface ChannelFit {
  /** Per pathway: gains of the film's drive (r·σ) and of a startle (r·κ), and their covariance. */
  gF: number[];
  gS: number[];
  cov: Array<[number, number, number]>;
  /** The newest block's baseline. */
  baseline: number;
  /** Residual variance and weighted sample count. */
  noiseVar: number;
  n: number;
  logLik: number;
}

interface Fit {
  /** Posterior weight of each hypothesis. */
  hypWeight: number[];
  /** Per hypothesis, per channel. */
  channels: Array<Array<ChannelFit | null>>;
  /** Joint posterior over (hypothesis, σ, κ) as moments per hypothesis. */
  sigma: Array<{ mean: number; second: number }>;
  kappa: Array<{ mean: number; second: number }>;
  /** E[σ·κ] per hypothesis, for the variance of the mixture. */
  sigmaKappa: number[];
  evidence: number;
  best: number;
}

/**
 * @example
 *   const est = new LatentArousalEstimator();
 *   est.play(0, 0);                                   // what the screen shows from t = 0 ms
 *   est.observe({ t: 1000, heartRate: 71, eda: 5.2, rmssd: 48 });
 *   est.estimate(1000); // { arousal, sd, calibrating, susceptibility, … }
 */
export class LatentArousalEstimator {
  private readonly prior: EstimatorPrior;
  private readonly stepS: number;
  private readonly blockS: number;
  private readonly memoryBlocks: number;
  private readonly calibrationS: number;
  private readonly burnInS: number;
  private readonly refitEveryS: number;
  private readonly channels: ChannelSpec[];
  private readonly hyps: Hypothesis[];
  private readonly latentDelaySteps: number;
  private readonly pathwayCount: number;
  /** Time of the grid step the filters have reached, s (NaN before the first input). */
  private gridT = Number.NaN;
  private originS = Number.NaN;
  private intensity = 0;
  private prevIntensity = 0;
  private scares = 0;
  private readonly events: ScareEvent[] = [];
  private readonly pending: Pending[] = [];
  private committedHeartS = 0;
  private lastHeartT = Number.NaN;
  private fit: Fit | null = null;
  private fitT = Number.NEGATIVE_INFINITY;
  private dirty = true;
  private readonly v: Float64Array;
  private readonly work: { a: Float64Array; l: Float64Array; b: Float64Array; x: Float64Array };
  /** Log prior over the (σ, κ) grid, row-major σ × κ. */
  private readonly logPrior: Float64Array;

  constructor(opts: EstimatorOptions = {}) {
    this.prior = opts.prior ?? DEFAULT_ESTIMATOR_PRIOR;
    this.stepS = opts.stepS ?? 0.5;
    this.blockS = opts.blockS ?? 15;
    this.memoryBlocks = Math.max(2, Math.round((opts.memoryS ?? 300) / this.blockS));
    this.calibrationS = opts.calibrationS ?? 15;
    this.burnInS = opts.burnInS ?? 30;
    this.refitEveryS = opts.refitEveryS ?? 4;
    const cardiac = opts.cardiac ?? { delayS: 2, tauS: 5, windowS: 5 };
    const eda = opts.eda ?? { tonicTauS: 30, windowS: 5, latencyS: 2, riseS: 1.5, recoveryS: 7 };
    const rmssdWindowS = opts.rmssdWindowS ?? 30;
    const step = this.stepS;
    const p = this.prior;
    const startleCardiac = { ...cardiac, tauS: 0 };
    const spec = (
      name: ChannelSpec['name'],
      pathways: PathwaySpec[],
      temper: number,
      driftPerBlock: number,
    ): ChannelSpec => ({
      name,
      pathways,
      temper,
      driftPerBlock,
      burnInS: this.burnInS + (name === 'rmssd' ? rmssdWindowS : 0),
      startleResponse: pathways.map((pw) =>
        startleResponse(() => (pw.createStartle ?? pw.create)(), step, 120),
      ),
    });
    this.channels = [
      spec(
        'heartRate',
        [
          {
            reactivity: p.heartRateReactivity,
            create: () => new CardiacPathway(cardiac, step),
            // A startle reaches the heart through the delay only (vagal release is fast).
            createStartle: () => new CardiacPathway(startleCardiac, step),
          },
        ],
        cardiac.windowS,
        0.8,
      ),
      spec(
        'eda',
        [
          {
            reactivity: p.edaTonicReactivity,
            create: () => new EdaTonicPathway(eda.tonicTauS, eda.windowS, step),
          },
          { reactivity: p.edaPhasicReactivity, create: () => new EdaPhasicPathway(eda, step) },
        ],
        2 * eda.windowS,
        0.3,
      ),
      spec(
        'rmssd',
        [
          {
            reactivity: p.rmssdReactivity,
            create: () => new CardiacPathway(cardiac, step, rmssdWindowS),
            createStartle: () => new CardiacPathway(startleCardiac, step, rmssdWindowS),
          },
        ],
        rmssdWindowS,
        6,
      ),
    ];
    this.pathwayCount = this.channels.reduce((n, c) => n + c.pathways.length, 0);
    this.latentDelaySteps = Math.max(1, Math.round((opts.latentDelayS ?? 2) / step));
    this.hyps = (opts.latentTausS ?? [10, 14, 19]).map((tauS) => ({
      tauS,
      delay: new DelayLine(this.latentDelaySteps),
      lag: new Lag(tauS, step),
      f: 0,
      paths: this.channels.map((c) => c.pathways.map((pw) => pw.create())),
      out: new Float64Array(this.pathwayCount),
      stats: this.channels.map(
        (c) => new BlockStats(1 + 2 * c.pathways.length + 1, this.memoryBlocks),
      ),
    }));
    const maxP = Math.max(...this.channels.map((c) => c.pathways.length));
    this.v = new Float64Array(2 + 2 * maxP);
    const n = this.memoryBlocks + 2 * maxP;
    this.work = {
      a: new Float64Array(n * n),
      l: new Float64Array(n * n),
      b: new Float64Array(n),
      x: new Float64Array(n),
    };
    const ls = (x: number, q: LogNormalPrior): number =>
      -((Math.log(x) - Math.log(q.median)) ** 2) / (2 * q.logSd * q.logSd);
    this.logPrior = new Float64Array(SIGMA_GRID.length * KAPPA_GRID.length);
    SIGMA_GRID.forEach((sg, i) =>
      KAPPA_GRID.forEach((kp, j) => {
        this.logPrior[i * KAPPA_GRID.length + j] =
          ls(sg, p.susceptibility) + ls(kp, p.startleReflex);
      }),
    );
  }

  /** The screen shows `intensity` (0–1) from time `t` (ms) on. */
  play(t: number, intensity: number): void {
    this.advanceTo(t / 1000);
    this.intensity = clamp01(Number.isFinite(intensity) ? intensity : 0);
  }

  /** One observation of the signal stage. Observations must come in time order. */
  observe(o: EstimatorObservation): void {
    const tS = o.t / 1000;
    this.advanceTo(tS);
    if (Number.isNaN(this.originS)) this.originS = tS;
    const y = [o.heartRate, o.eda, o.rmssd].map((x) =>
      x !== null && Number.isFinite(x) ? x : null,
    );
    if (y.every((x) => x === null)) return;
    const fBasis = new Float64Array(this.hyps.length * this.pathwayCount);
    this.hyps.forEach((h, hi) => fBasis.set(h.out, hi * this.pathwayCount));
    this.pending.push({ t: tS, y, fBasis });
    this.settle(tS);
  }

  /** Judges the scares whose window is complete, then commits what no unjudged scare affects. */
  private settle(nowS: number): void {
    for (const ev of this.events) {
      if (!ev.decided && nowS - ev.t >= DECIDE_AFTER_S) this.decide(ev);
    }
    while (this.pending.length > 0) {
      const first = this.pending[0] as Pending;
      if (nowS - first.t < DECIDE_AFTER_S) break;
      this.commit(first);
      this.pending.shift();
    }
  }

  /** Σ over scares of weight × nominal × a pathway's unit response at time tS. */
  private startleBasis(ci: number, pi: number, tS: number, skip?: ScareEvent): number {
    const table = this.channels[ci]?.startleResponse[pi] as Float64Array;
    let s = 0;
    for (const ev of this.events) {
      if (ev === skip || ev.t > tS) continue;
      const k = Math.round((tS - ev.t) / this.stepS);
      if (k < table.length) s += ev.weight * ev.nominal * (table[k] ?? 0);
    }
    return s;
  }

  private commit(o: Pending): void {
    const blockStart = Math.floor((o.t - this.originS) / this.blockS) * this.blockS;
    if (o.y[0] !== null) {
      const dt = Number.isNaN(this.lastHeartT)
        ? 1
        : Math.min(3, Math.max(0, o.t - this.lastHeartT));
      this.committedHeartS += dt;
      this.lastHeartT = o.t;
    }
    this.hyps.forEach((h, hi) => {
      let off = hi * this.pathwayCount;
      this.channels.forEach((c, ci) => {
        const y = o.y[ci];
        const P = c.pathways.length;
        if (y !== null && y !== undefined && o.t - this.originS >= c.burnInS) {
          const v = this.v;
          v[0] = 1;
          for (let p = 0; p < P; p++) {
            v[1 + p] = o.fBasis[off + p] ?? 0;
            v[1 + P + p] = this.startleBasis(ci, p, o.t);
          }
          v[1 + 2 * P] = y;
          (h.stats[ci] as BlockStats).add(blockStart, v);
        }
        off += P;
      });
    });
    this.dirty = true;
  }

  /**
   * Did this scare startle the viewer, and how strongly? The body's answer in the `DECIDE_AFTER_S`
   * after it (pending observations), against what the current fit predicts without it, gives a
   * least-squares size; against the prior (no startle with 1 − p̄, else a size around 1) that is
   * the probability that it startled, the scare's weight. Without an informative channel it stays p̄.
   */
  private decide(ev: ScareEvent): void {
    ev.decided = true;
    if (this.committedHeartS < this.calibrationS) return;
    const fit = this.refit();
    const hi = fit.best;
    let num = 0;
    let den = 0;
    this.channels.forEach((c, ci) => {
      const cf = fit.channels[hi]?.[ci];
      if (!cf || !(cf.noiseVar > 0)) return;
      const off = hi * this.pathwayCount + this.offsetOf(ci);
      for (const o of this.pending) {
        const y = o.y[ci];
        if (y === null || y === undefined || o.t < ev.t) continue;
        if (o.t - this.originS < c.burnInS) continue;
        let pred = cf.baseline;
        let unit = 0;
        const k = Math.round((o.t - ev.t) / this.stepS);
        for (let p = 0; p < c.pathways.length; p++) {
          const gS = cf.gS[p] ?? 0;
          pred +=
            (cf.gF[p] ?? 0) * (o.fBasis[off + p] ?? 0) + gS * this.startleBasis(ci, p, o.t, ev);
          unit += gS * ev.nominal * (c.startleResponse[p]?.[k] ?? 0);
        }
        const w = 1 / (cf.noiseVar * c.temper);
        num += w * unit * (y - pred);
        den += w * unit * unit;
      }
    });
    if (!(den > 0)) return;
    const size = num / den;
    const sizeVar = 1 / den;
    // Prior: no startle (1 − p̄) or a size ~ N(1, 0.3²) (per-event variation, habituation).
    const p = this.prior.startleProb;
    const v1 = 0.09 + sizeVar;
    // Log-likelihoods of the size under "startled" and "not": compared in logs (both may underflow).
    const ll1 = -((size - 1) ** 2) / (2 * v1) - 0.5 * Math.log(v1);
    const ll0 = -(size * size) / (2 * sizeVar) - 0.5 * Math.log(sizeVar);
    // The weight is the probability that it startled at all: its size stays the nominal one, so a
    // scare's weight and the channels' startle gains never trade off against each other.
    ev.weight = 1 / (1 + ((1 - p) / p) * Math.exp(Math.min(700, ll0 - ll1)));
    this.dirty = true;
  }

  private offsetOf(ci: number): number {
    let off = 0;
    for (let i = 0; i < ci; i++) off += this.channels[i]?.pathways.length ?? 0;
    return off;
  }

  /** Advances every filter to the grid step at or before `tS`. */
  private advanceTo(tS: number): void {
    if (Number.isNaN(this.gridT)) {
      this.gridT = Math.floor(tS / this.stepS) * this.stepS;
      return;
    }
    while (this.gridT + this.stepS <= tS + 1e-9) {
      this.gridT += this.stepS;
      this.stepOnce();
    }
  }

  private stepOnce(): void {
    const u = this.intensity;
    if (u >= SCARE_MIN_INTENSITY && u - this.prevIntensity >= SCARE_MIN_JUMP) {
      this.events.push({
        t: this.gridT,
        nominal: Math.pow(1 - this.prior.habituation, this.scares * this.prior.startleProb),
        weight: this.prior.startleProb,
        decided: false,
      });
      this.scares += 1;
    }
    this.prevIntensity = u;
    while (this.events.length > 0 && this.gridT - (this.events[0] as ScareEvent).t > 120) {
      this.events.shift();
    }
    for (const h of this.hyps) {
      const prev = h.f;
      h.f = h.lag.step(h.delay.step(u));
      const rise = Math.max(0, h.f - prev);
      let i = 0;
      for (const paths of h.paths) for (const path of paths) h.out[i++] = path.step(h.f, rise);
    }
  }

  /** Seconds of heart data still needed before estimating (0 when calibrated). */
  get calibrationRemainingS(): number {
    const waiting =
      this.pending.length > 0
        ? Math.min(DECIDE_AFTER_S, this.gridT - (this.pending[0]?.t ?? this.gridT))
        : 0;
    return Math.max(0, this.calibrationS - this.committedHeartS - waiting);
  }

  /** The latent startle now: Σ weight × nominal × pulse (unjudged scares at p̄). */
  private startleNow(): number {
    let s = 0;
    for (const ev of this.events) {
      const x = (this.gridT - ev.t) / STARTLE_PEAK_S;
      if (x >= 0 && x < STARTLE_END_X) s += ev.weight * ev.nominal * x * Math.exp(1 - x);
    }
    return s;
  }

  /** The current fit, recomputed when stale (new blocks, a judged scare, or every few seconds). */
  private refit(): Fit {
    if (this.fit && !(this.dirty && this.gridT - this.fitT >= this.refitEveryS)) {
      if (!this.dirty || this.gridT - this.fitT < this.refitEveryS) return this.fit;
    }
    const calibrated = this.committedHeartS >= this.calibrationS;
    const channels = this.hyps.map((h) =>
      this.channels.map((c, ci) =>
        calibrated ? this.fitChannel(h.stats[ci] as BlockStats, c) : null,
      ),
    );
    const nS = SIGMA_GRID.length;
    const nK = KAPPA_GRID.length;
    const logPost = this.hyps.map(() => new Float64Array(nS * nK));
    let max = -Infinity;
    this.hyps.forEach((_, hi) => {
      let hypLik = 0;
      for (const cf of channels[hi] ?? []) if (cf) hypLik += cf.logLik;
      const lp = logPost[hi] as Float64Array;
      for (let i = 0; i < nS; i++) {
        const sg = SIGMA_GRID[i] ?? 0;
        for (let j = 0; j < nK; j++) {
          const kp = KAPPA_GRID[j] ?? 0;
          let ll = (this.logPrior[i * nK + j] ?? 0) + hypLik;
          (channels[hi] ?? []).forEach((cf, ci) => {
            if (!cf) return;
            this.channels[ci]?.pathways.forEach((pw, p) => {
              ll += gainLogLik(
                cf.gF[p] ?? 0,
                cf.gS[p] ?? 0,
                cf.cov[p] ?? [1, 0, 1],
                sg,
                kp,
                pw.reactivity,
              );
            });
          });
          lp[i * nK + j] = ll;
          if (ll > max) max = ll;
        }
      }
    });
    const hypWeight = this.hyps.map(() => 0);
    const sigma = this.hyps.map(() => ({ mean: 0, second: 0 }));
    const kappa = this.hyps.map(() => ({ mean: 0, second: 0 }));
    const sigmaKappa = this.hyps.map(() => 0);
    let total = 0;
    let logSig = 0;
    let logSig2 = 0;
    this.hyps.forEach((_, hi) => {
      const lp = logPost[hi] as Float64Array;
      for (let i = 0; i < nS; i++) {
        const sg = SIGMA_GRID[i] ?? 0;
        for (let j = 0; j < nK; j++) {
          const kp = KAPPA_GRID[j] ?? 0;
          const w = Math.exp((lp[i * nK + j] ?? -Infinity) - max);
          hypWeight[hi] = (hypWeight[hi] ?? 0) + w;
          const s = sigma[hi] as { mean: number; second: number };
          const k = kappa[hi] as { mean: number; second: number };
          s.mean += w * sg;
          s.second += w * sg * sg;
          k.mean += w * kp;
          k.second += w * kp * kp;
          sigmaKappa[hi] = (sigmaKappa[hi] ?? 0) + w * sg * kp;
          logSig += w * Math.log(sg);
          logSig2 += w * Math.log(sg) ** 2;
          total += w;
        }
      }
    });
    let best = 0;
    this.hyps.forEach((_, hi) => {
      const w = hypWeight[hi] ?? 0;
      const s = sigma[hi] as { mean: number; second: number };
      const k = kappa[hi] as { mean: number; second: number };
      if (w > 0) {
        s.mean /= w;
        s.second /= w;
        k.mean /= w;
        k.second /= w;
        sigmaKappa[hi] = (sigmaKappa[hi] ?? 0) / w;
      }
      hypWeight[hi] = w / total;
      if ((hypWeight[hi] ?? 0) > (hypWeight[best] ?? 0)) best = hi;
    });
    const varLog = Math.max(0, logSig2 / total - (logSig / total) ** 2);
    const priorVar = this.prior.susceptibility.logSd ** 2;
    this.fit = {
      hypWeight,
      channels,
      sigma,
      kappa,
      sigmaKappa,
      evidence: clamp01(1 - varLog / priorVar),
      best,
    };
    this.fitT = this.gridT;
    this.dirty = false;
    return this.fit;
  }

  /**
   * One channel's regression: a baseline per block that may drift as a random walk between blocks,
   * and per pathway a gain on the film's drive and one on startles — solved jointly (MAP with weak
   * priors on the gains); the gains' covariance is inflated by the channel's autocorrelation.
   */
  private fitChannel(stats: BlockStats, c: ChannelSpec): ChannelFit | null {
    const d = stats.dim;
    const P = c.pathways.length;
    const blocks: Array<{ b: number; w: number; start: number }> = [];
    for (let age = stats.used - 1; age >= 0; age--) {
      const b = (stats.head - age + stats.blocks) % stats.blocks;
      const n = stats.data[b * d * d] ?? 0;
      if (n < 1) continue;
      blocks.push({
        b,
        w: Math.pow(0.5, (age * this.blockS) / FORGET_HALF_LIFE_S),
        start: stats.start[b] ?? 0,
      });
    }
    const K = blocks.length;
    const N = K + 2 * P;
    const nOf = (k: number): number => stats.data[(blocks[k]?.b ?? 0) * d * d] ?? 0;
    let nAll = 0;
    for (let k = 0; k < K; k++) nAll += (blocks[k]?.w ?? 0) * nOf(k);
    if (K === 0 || nAll < 2 * P + 6) return null;
    const { a, l, b: rhs, x } = this.work;
    const at = (base: number, i: number, j: number): number =>
      (i <= j ? stats.data[base + i * d + j] : stats.data[base + j * d + i]) ?? 0;
    const yIdx = d - 1;
    /** Residual sum of squares of block k under the solution in `x`. */
    const blockRss = (k: number): number => {
      const base = (blocks[k]?.b ?? 0) * d * d;
      const bk = x[k] ?? 0;
      let r = at(base, yIdx, yIdx) - 2 * bk * at(base, 0, yIdx) + bk * bk * at(base, 0, 0);
      for (let i = 0; i < 2 * P; i++) {
        const gi = x[K + i] ?? 0;
        r += -2 * gi * at(base, 1 + i, yIdx) + 2 * bk * gi * at(base, 0, 1 + i);
        for (let j = 0; j < 2 * P; j++) r += gi * (x[K + j] ?? 0) * at(base, 1 + i, 1 + j);
      }
      return Math.max(0, r);
    };
    // Robustness: a block the model cannot explain (a strap settling, a seat being sat on, a burst
    // of movement) would otherwise pull the gains — a 20 s start-up artifact inflated σ ×2.5 for the
    // whole first 5 minutes on real recordings. So: solve, then down-weight every block whose mean
    // squared residual exceeds 4× the median block's (a Huber-type rule at block level), solve again.
    const robust = new Float64Array(K).fill(1);
    let nTotal = nAll;
    for (let pass = 0; pass < 2; pass++) {
      const w = (k: number): number => (blocks[k]?.w ?? 0) * (robust[k] ?? 1);
      a.fill(0, 0, N * N);
      rhs.fill(0, 0, N);
      let syy = 0;
      let sy = 0;
      nTotal = 0;
      for (let k = 0; k < K; k++) {
        const wk = w(k);
        const base = (blocks[k]?.b ?? 0) * d * d;
        nTotal += wk * at(base, 0, 0);
        a[k * N + k] = (a[k * N + k] ?? 0) + wk * at(base, 0, 0);
        rhs[k] = wk * at(base, 0, yIdx);
        sy += wk * at(base, 0, yIdx);
        syy += wk * at(base, yIdx, yIdx);
        for (let i = 0; i < 2 * P; i++) {
          const v = wk * at(base, 0, 1 + i);
          a[k * N + K + i] = v;
          a[(K + i) * N + k] = v;
          rhs[K + i] = (rhs[K + i] ?? 0) + wk * at(base, 1 + i, yIdx);
          for (let j = 0; j < 2 * P; j++) {
            a[(K + i) * N + K + j] = (a[(K + i) * N + K + j] ?? 0) + wk * at(base, 1 + i, 1 + j);
          }
        }
      }
      const varY = Math.max(1e-9, syy / nTotal - (sy / nTotal) ** 2);
      // Baselines: a random walk between consecutive blocks (drift), weakly anchored at the first.
      a[0] = (a[0] ?? 0) + 1e-9 * nTotal;
      for (let k = 1; k < K; k++) {
        const gap = Math.max(
          1,
          ((blocks[k]?.start ?? 0) - (blocks[k - 1]?.start ?? 0)) / this.blockS,
        );
        const lambda = varY / (c.driftPerBlock * c.driftPerBlock * gap);
        a[k * N + k] = (a[k * N + k] ?? 0) + lambda;
        a[(k - 1) * N + k - 1] = (a[(k - 1) * N + k - 1] ?? 0) + lambda;
        a[k * N + k - 1] = (a[k * N + k - 1] ?? 0) - lambda;
        a[(k - 1) * N + k] = (a[(k - 1) * N + k] ?? 0) - lambda;
      }
      // Gains: weak priors around the typical viewer (mean reactivity × median σ or κ).
      for (let p = 0; p < P; p++) {
        const r = c.pathways[p]?.reactivity as NormalPrior;
        const scale = Math.abs(r.mean) + 2 * r.sd;
        const prec = varY / (scale * scale);
        const iF = K + p;
        const iS = K + P + p;
        a[iF * N + iF] = (a[iF * N + iF] ?? 0) + prec;
        a[iS * N + iS] = (a[iS * N + iS] ?? 0) + prec;
        rhs[iF] = (rhs[iF] ?? 0) + prec * r.mean * this.prior.susceptibility.median;
        rhs[iS] = (rhs[iS] ?? 0) + prec * r.mean * this.prior.startleReflex.median;
      }
      if (!choleskyFactor(a, N, l)) return null;
      choleskySolveWith(l, N, rhs, x);
      if (pass === 1 || K < 3) break;
      const msr: number[] = [];
      for (let k = 0; k < K; k++) msr.push(blockRss(k) / Math.max(1, nOf(k)));
      const scale = [...msr].sort((p, q) => p - q)[Math.floor(K / 2)] ?? 0;
      if (!(scale > 0)) break;
      for (let k = 0; k < K; k++)
        robust[k] = Math.min(1, (4 * scale) / Math.max(1e-12, msr[k] ?? 0));
    }
    // Residual sum of squares of the data term, block by block.
    let rss = 0;
    for (let k = 0; k < K; k++) rss += (blocks[k]?.w ?? 0) * (robust[k] ?? 1) * blockRss(k);
    rss = Math.max(1e-9 * nTotal, rss);
    const noiseVar = rss / Math.max(1, nTotal - 2 * P - 1);
    const gF: number[] = [];
    const gS: number[] = [];
    const cov: Array<[number, number, number]> = [];
    const col = new Float64Array(N);
    const unit = new Float64Array(N);
    const inv = (i: number, j: number): number => {
      unit.fill(0);
      unit[j] = 1;
      choleskySolveWith(l, N, unit, col);
      return col[i] ?? 0;
    };
    for (let p = 0; p < P; p++) {
      const iF = K + p;
      const iS = K + P + p;
      gF.push(x[iF] ?? 0);
      gS.push(x[iS] ?? 0);
      const s = noiseVar * c.temper;
      cov.push([s * inv(iF, iF), s * inv(iF, iS), s * inv(iS, iS)]);
    }
    return {
      gF,
      gS,
      cov,
      baseline: x[K - 1] ?? 0,
      noiseVar,
      n: nTotal,
      logLik: -0.5 * (nTotal / c.temper) * Math.log(rss / nTotal),
    };
  }

  estimate(tMs: number): ArousalEstimate {
    this.advanceTo(tMs / 1000);
    const fit = this.refit();
    const s = this.startleNow();
    let mean = 0;
    let second = 0;
    let sMean = 0;
    let sSecond = 0;
    let film = 0;
    let startle = 0;
    this.hyps.forEach((h, hi) => {
      const w = fit.hypWeight[hi] ?? 0;
      const sg = fit.sigma[hi] as { mean: number; second: number };
      const kp = fit.kappa[hi] as { mean: number; second: number };
      const m = sg.mean * h.f + kp.mean * s;
      const m2 =
        sg.second * h.f * h.f + 2 * (fit.sigmaKappa[hi] ?? 0) * h.f * s + kp.second * s * s;
      mean += w * m;
      second += w * m2;
      sMean += w * sg.mean;
      sSecond += w * sg.second;
      film += w * sg.mean * h.f;
      startle += w * kp.mean * s;
    });
    const best = fit.channels[fit.best] ?? [];
    const kBest = fit.kappa[fit.best]?.mean ?? this.prior.startleReflex.median;
    const reactivity = (ci: number): number | null => {
      const cf = best[ci];
      return cf ? (cf.gS[ci === 1 ? 1 : 0] ?? 0) / kBest : null;
    };
    const remaining = this.calibrationRemainingS;
    return {
      t: tMs,
      arousal: clamp01(mean),
      sd: Math.sqrt(Math.max(0, second - mean * mean)),
      calibrating: remaining > 0,
      calibrationRemainingS: Math.ceil(remaining),
      evidence: fit.evidence,
      susceptibility: { mean: sMean, sd: Math.sqrt(Math.max(0, sSecond - sMean * sMean)) },
      reactivity: { heartRate: reactivity(0), eda: reactivity(1) },
      film,
      startle,
    };
  }

  /**
   * Latent arousal if the screen showed `plan[i]` during step i (each `stepS` seconds) from now:
   * the posterior (per hypothesis: the moments of σ and κ) rolled forward on copies of the filters —
   * the planner's model of this viewer. The variance is what is not yet known about the viewer
   * (its σ and κ), not the noise of its future startles.
   */
  forecast(plan: readonly number[], stepS: number): LatentForecast {
    const fit = this.refit();
    const mean = new Array<number>(plan.length).fill(0);
    const second = new Array<number>(plan.length).fill(0);
    const sub = Math.max(1, Math.round(stepS / this.stepS));
    this.hyps.forEach((h, hi) => {
      const w = fit.hypWeight[hi] ?? 0;
      if (w < 1e-6) return;
      const sg = fit.sigma[hi] as { mean: number; second: number };
      const kp = fit.kappa[hi] as { mean: number; second: number };
      const sk = fit.sigmaKappa[hi] ?? 0;
      const delay = new DelayLine(this.latentDelaySteps);
      delay.copyFrom(h.delay);
      const lag = new Lag(h.tauS, this.stepS);
      lag.y = h.lag.y;
      let prev = this.prevIntensity;
      let scares = this.scares;
      const events = this.events.map((ev) => ({ t: ev.t, w: ev.weight * ev.nominal }));
      let t = this.gridT;
      plan.forEach((u, i) => {
        for (let k = 0; k < sub; k++) {
          t += this.stepS;
          if (u >= SCARE_MIN_INTENSITY && u - prev >= SCARE_MIN_JUMP) {
            const nominal = Math.pow(1 - this.prior.habituation, scares * this.prior.startleProb);
            events.push({ t, w: this.prior.startleProb * nominal });
            scares += 1;
          }
          prev = u;
          lag.step(delay.step(u));
        }
        let s = 0;
        for (const ev of events) {
          const x = (t - ev.t) / STARTLE_PEAK_S;
          if (x >= 0 && x < STARTLE_END_X) s += ev.w * x * Math.exp(1 - x);
        }
        const f = lag.y;
        mean[i] = (mean[i] ?? 0) + w * (sg.mean * f + kp.mean * s);
        second[i] = (second[i] ?? 0) + w * (sg.second * f * f + 2 * sk * f * s + kp.second * s * s);
      });
    });
    return {
      mean: mean.map(clamp01),
      variance: mean.map((m, i) => Math.max(0, (second[i] ?? 0) - m * m)),
    };
  }
}

/** Response of a pathway to one unit startle pulse (x·e^(1−x), impulse at the event), per step. */
function startleResponse(create: () => Pathway, stepS: number, lengthS: number): Float64Array {
  const path = create();
  const out = new Float64Array(Math.ceil(lengthS / stepS));
  for (let k = 0; k < out.length; k++) {
    const x = (k * stepS) / STARTLE_PEAK_S;
    const pulse = x < STARTLE_END_X ? x * Math.exp(1 - x) : 0;
    out[k] = path.step(pulse, k === 0 ? 1 : 0);
  }
  return out;
}

/**
 * log N(ĝ; μ_r·m, s_r²·m·mᵀ + C) for m = (σ, κ): how well a channel's gains on the film's drive and
 * on startles (ĝ_F, ĝ_S, covariance C) fit a viewer of susceptibility σ and startle κ, the
 * channel's reactivity r ~ N(μ_r, s_r²) integrated out (the gains are r·σ and r·κ).
 */
function gainLogLik(
  gF: number,
  gS: number,
  cov: readonly [number, number, number],
  sigma: number,
  kappa: number,
  r: NormalPrior,
): number {
  const v = r.sd * r.sd;
  const a = v * sigma * sigma + cov[0];
  const b = v * sigma * kappa + cov[1];
  const c = v * kappa * kappa + cov[2];
  const det = a * c - b * b;
  if (!(det > 0)) return 0;
  const dF = gF - r.mean * sigma;
  const dS = gS - r.mean * kappa;
  return -0.5 * ((c * dF * dF - 2 * b * dF * dS + a * dS * dS) / det + Math.log(det));
}
