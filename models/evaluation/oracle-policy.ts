/**
 * A reference, not a director: the `oracle` row of `frisson eval --oracle`, to measure how much
 * tracking error any policy could still remove. It knows what no real director can — every
 * simulated viewer's true parameters and current state (it forks the viewer's simulator and signal
 * processor) — but not the future: each candidate plan is scored over `noiseDraws` reseeded futures
 * of the viewer's noise (beats, artifacts, startles), so it plans on the expected outcome, like a
 * causal policy with a perfect model.
 *
 * Plans (receding horizon): the first move is one eligible level for one segment, the second one
 * eligible level held to the end of `horizonSegments` (levels² plans); the first move of the plan
 * with the lowest mean squared error of the measured arousal to the target is played. It obeys the
 * same safety cap as the Director (viewer's maximum; least intense level over the heart-rate
 * ceiling), so its cap violations are zero too.
 */
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import type { SimulatedViewerParams } from '../../sensors/simulator/simulator-types.js';
import { ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import type { DecideContext } from '../director/director.js';
import { CAP_EPSILON, SafetyCap } from '../director/safety-cap.js';
import type { LoopChoice, LoopPolicy } from './closed-loop.js';

export interface OraclePolicyOptions {
  /** Decision period, seconds (the story's segment). */
  segmentS: number;
  /** Target arousal at story time t. */
  target(t: number): number;
  /** Look-ahead in segments (default 12: 24 s with 2 s segments). */
  horizonSegments?: number;
  /** Reseeded noise futures per plan (default 4). */
  noiseDraws?: number;
  /** Seed of the noise futures. */
  seed?: number;
}

export class OraclePolicy implements LoopPolicy {
  readonly name = 'oracle';
  readonly capped = true;
  private readonly viewers: Array<{ sim: ViewerSimulator; signal: ViewerSignalProcessor }> = [];
  private readonly cap = new SafetyCap();
  private readonly horizon: number;
  private readonly draws: number;
  private readonly seed: number;

  constructor(private readonly opts: OraclePolicyOptions) {
    this.horizon = opts.horizonSegments ?? 12;
    this.draws = opts.noiseDraws ?? 4;
    this.seed = opts.seed ?? 1;
  }

  /**
   * The closed loop's viewer factories (`runClosedLoop`'s `createSimulator` / `createSignal`) with
   * every viewer they create shown to this oracle, in order.
   */
  factories(): {
    createSimulator(p: SimulatedViewerParams): ViewerSimulator;
    createSignal(): ViewerSignalProcessor;
  } {
    let sims = 0;
    let signals = 0;
    return {
      createSimulator: (p) => {
        const sim = new ViewerSimulator(p);
        this.watch(sims++, { sim });
        return sim;
      },
      createSignal: () => {
        const signal = new ViewerSignalProcessor();
        this.watch(signals++, { signal });
        return signal;
      },
    };
  }

  private watch(
    i: number,
    part: { sim: ViewerSimulator } | { signal: ViewerSignalProcessor },
  ): void {
    this.viewers[i] = { ...this.viewers[i], ...part } as {
      sim: ViewerSimulator;
      signal: ViewerSignalProcessor;
    };
  }

  decide(ctxs: DecideContext[]): Promise<LoopChoice[]> {
    return Promise.resolve(ctxs.map((ctx, i) => ({ index: this.choose(ctx, i), fallback: false })));
  }

  private choose(ctx: DecideContext, i: number): number {
    const eligible = ctx.candidates
      .map((c, index) => ({ index, u: c.intensity }))
      .filter((c) => c.u <= ctx.maxIntensity + CAP_EPSILON);
    const pool =
      eligible.length > 0
        ? eligible
        : ctx.candidates.map((c, index) => ({ index, u: c.intensity }));
    const lowest = pool.reduce((a, b) => (b.u < a.u ? b : a));
    if (this.cap.overCeiling(ctx.viewer)) return lowest.index;
    const viewer = this.viewers[i];
    if (!viewer?.sim || !viewer.signal) throw new Error(`oracle: viewer ${i} was not watched`);
    let best = lowest.index;
    let bestCost = Infinity;
    for (const first of pool) {
      for (const then of pool) {
        let cost = 0;
        for (let k = 0; k < this.draws; k++) {
          cost += this.rollout(
            viewer,
            ctx,
            first.u,
            then.u,
            this.seed * 7919 + ctx.segmentIndex * 131 + k * 17 + i * 100_003,
          );
        }
        if (cost < bestCost) {
          bestCost = cost;
          best = first.index;
        }
      }
    }
    return best;
  }

  private rollout(
    v: { sim: ViewerSimulator; signal: ViewerSignalProcessor },
    ctx: DecideContext,
    first: number,
    then: number,
    seed: number,
  ): number {
    const sim = v.sim.fork(seed);
    const signal = v.signal.fork();
    const seg = this.opts.segmentS;
    let cost = 0;
    for (let h = 1; h <= this.horizon; h++) {
      for (const s of sim.step(seg, h === 1 ? first : then)) signal.push(s);
      const snap = signal.snapshot(ctx.now + h * seg * 1000);
      if (snap.contact === 'ok' && snap.calibrated)
        cost += (snap.arousal - this.opts.target(ctx.storyTime + h * seg)) ** 2;
    }
    return cost;
  }
}
