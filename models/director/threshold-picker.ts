import type { PickContext, PickResult, ScenePicker } from '../../contracts/director.js';

/**
 * The foundation's rule, kept as the simplest honest baseline: the higher the viewer's reading
 * (the signal stage's arousal against their resting baseline), the more intense the variant (calm below `tenseAt`, the most
 * intense allowed level above `scareAt`). It never exceeds the viewer's cap (the caller filters
 * candidates) and has no state, so it is also a safe last-resort fallback.
 *
 * @example
 *   const picker = new ThresholdPicker({ tenseAt: 0.2, scareAt: 0.5 });
 *   const { index } = await picker.pick(ctx);
 */
export class ThresholdPicker implements ScenePicker {
  readonly name = 'threshold';
  private readonly tenseAt: number;
  private readonly scareAt: number;

  constructor(opts: { tenseAt?: number; scareAt?: number } = {}) {
    this.tenseAt = opts.tenseAt ?? 0.2;
    this.scareAt = opts.scareAt ?? 0.5;
  }

  pick(ctx: PickContext): Promise<PickResult> {
    return Promise.resolve(this.pickSync(ctx));
  }

  pickSync(ctx: PickContext): PickResult {
    // The signal stage's reading, not the latent estimate: this picker measures the pipeline's
    // stimulus → variant path (bench latency, the player e2e), where a heart-rate burst must show
    // within seconds; the estimator deliberately waits (burn-in, 12 s scare judgement).
    const a = ctx.viewer.contact > 0 ? ctx.viewer.reading : 0;
    const desired = a >= this.scareAt ? 1 : a >= this.tenseAt ? 0.5 : 0;
    let best = 0;
    let bestDistance = Infinity;
    ctx.candidates.forEach((c, i) => {
      const d = Math.abs(c.intensity - desired);
      if (d < bestDistance - 1e-9) {
        best = i;
        bestDistance = d;
      }
    });
    return {
      index: best,
      picker: this.name,
      reason: `reading ${a.toFixed(2)} → desired intensity ${desired}`,
    };
  }
}
