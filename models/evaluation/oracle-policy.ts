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
 * with the lowest mean squared error of the measured arousal to the target is played. It plans only
 * over what the Director's own safety cap (`SafetyCap.apply`, one per viewer) leaves eligible and
 * plays its least intense level during heart-rate relief, so its cap violations are zero too.
 */
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import type { SimulatedViewerParams } from '../../sensors/simulator/simulator-types.js';
import { ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import type { DecideContext } from '../director/director.js';
import { SafetyCap } from '../director/safety-cap.js';
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
  /** The closed loop's viewers, by index (filled by `factories()`). */
  private readonly sims: ViewerSimulator[] = [];
  private readonly signals: ViewerSignalProcessor[] = [];
  /** One Director safety cap per viewer (relief is stateful). */
  private readonly caps: SafetyCap[] = [];
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
    return {
      createSimulator: (p) => {
        const sim = new ViewerSimulator(p);
        this.sims.push(sim);
        return sim;
      },
      createSignal: () => {
        const signal = new ViewerSignalProcessor();
        this.signals.push(signal);
        return signal;
      },
    };
  }

  decide(ctxs: DecideContext[]): Promise<LoopChoice[]> {
    return Promise.resolve(ctxs.map((ctx, i) => ({ index: this.choose(ctx, i), fallback: false })));
  }

  private choose(ctx: DecideContext, i: number): number {
    const cap = (this.caps[i] ??= new SafetyCap());
    const safe = cap.apply(ctx.candidates, ctx.maxIntensity, ctx.viewer, ctx.storyTime);
    if (safe.relief) return safe.lowest;
    const sim = this.sims[i];
    const signal = this.signals[i];
    if (!sim || !signal) throw new Error(`oracle: viewer ${i} was not watched`);
    const levels = safe.eligible.map((index) => ({
      index,
      u: ctx.candidates[index]?.intensity ?? 0,
    }));
    let best = safe.lowest;
    let bestCost = Infinity;
    for (const first of levels) {
      for (const then of levels) {
        let cost = 0;
        for (let k = 0; k < this.draws; k++) {
          const seed = this.seed * 7919 + ctx.segmentIndex * 131 + k * 17 + i * 100_003;
          cost += this.rollout(sim, signal, ctx, first.u, then.u, seed);
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
    viewerSim: ViewerSimulator,
    viewerSignal: ViewerSignalProcessor,
    ctx: DecideContext,
    first: number,
    then: number,
    seed: number,
  ): number {
    const sim = viewerSim.fork(seed);
    const signal = viewerSignal.fork();
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
