/**
 * Small causal filters on a fixed time grid, the building blocks of the latent-arousal
 * estimator's response model (latent-arousal-estimator.ts): a pure delay, a first-order lag, a
 * moving average and the skin-conductance response kernel. Each owns a few numbers (no allocation
 * per step) and can be copied for what-if predictions.
 */

/** A pure delay of `steps` grid steps (a ring buffer). */
export class DelayLine {
  private readonly buf: Float64Array;
  private pos = 0;

  constructor(steps: number) {
    this.buf = new Float64Array(Math.max(1, Math.round(steps)));
  }

  /** Pushes the newest value, returns the one from `steps` steps ago. */
  step(x: number): number {
    const out = this.buf[this.pos] ?? 0;
    this.buf[this.pos] = x;
    this.pos = (this.pos + 1) % this.buf.length;
    return out;
  }

  copyFrom(o: DelayLine): void {
    this.buf.set(o.buf);
    this.pos = o.pos;
  }
}

/**
 * First-order lag y' = (x − y) / τ, exact for an input held constant over each step
 * (zero-order hold): y ← x + (y − x)·e^(−Δ/τ).
 */
export class Lag {
  y = 0;
  private readonly decay: number;

  constructor(tauS: number, stepS: number) {
    this.decay = Math.exp(-stepS / Math.max(1e-6, tauS));
  }

  step(x: number): number {
    this.y = x + (this.y - x) * this.decay;
    return this.y;
  }
}

/** Mean of the last `steps` values (the signal stage's averaging windows). */
export class MovingAverage {
  private readonly buf: Float64Array;
  private pos = 0;
  private sum = 0;

  constructor(steps: number) {
    this.buf = new Float64Array(Math.max(1, Math.round(steps)));
  }

  step(x: number): number {
    this.sum += x - (this.buf[this.pos] ?? 0);
    this.buf[this.pos] = x;
    this.pos = (this.pos + 1) % this.buf.length;
    return this.sum / this.buf.length;
  }

  copyFrom(o: MovingAverage): void {
    this.buf.set(o.buf);
    this.pos = o.pos;
    this.sum = o.sum;
  }
}

/**
 * Skin-conductance response to an impulse: a latency, then a rise and a recovery — the
 * difference of two exponentials (Bateman function; Boucsein 2012: latency 1–3 s, rise 1–3 s,
 * recovery half-time 2–10 s). Normalised so that a unit impulse peaks at 1.
 */
export class ScrKernel {
  private readonly delay: DelayLine;
  private readonly fast: Lag;
  private readonly slow: Lag;
  private readonly gain: number;

  constructor(opts: { latencyS: number; riseS: number; recoveryS: number; stepS: number }) {
    const { latencyS, riseS, recoveryS, stepS } = opts;
    this.delay = new DelayLine(latencyS / stepS);
    this.fast = new Lag(riseS, stepS);
    this.slow = new Lag(recoveryS, stepS);
    // Peak of the cascade's response to a unit impulse (the difference of two exponentials).
    const probe = { fast: new Lag(riseS, stepS), slow: new Lag(recoveryS, stepS) };
    let peak = 0;
    for (let k = 0; k < Math.ceil((10 * (riseS + recoveryS)) / stepS); k++) {
      peak = Math.max(peak, probe.slow.step(probe.fast.step(k === 0 ? 1 : 0)));
    }
    this.gain = peak > 0 ? 1 / peak : 1;
  }

  /** `impulse`: the size of the event at this step (0 on most steps). */
  step(impulse: number): number {
    return this.slow.step(this.fast.step(this.delay.step(impulse))) * this.gain;
  }

  copyFrom(o: ScrKernel): void {
    this.delay.copyFrom(o.delay);
    this.fast.y = o.fast.y;
    this.slow.y = o.slow.y;
  }
}
