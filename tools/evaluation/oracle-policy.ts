/**
 * A reference, not a director: the `oracle` row of `frisson eval --oracle`, to measure how much
 * tracking error any policy could still remove. It knows what no real director can — every
 * simulated viewer's true parameters and current state (it forks the viewer's simulator)
 * — but not the future: each candidate plan is scored over `noiseDraws` reseeded futures
 * of the viewer's noise (beats, artifacts, startles), so it plans on the expected outcome, like a
 * causal policy with a perfect model.
 *
 * Plans (receding horizon) have the same structure as the personalisation planner's
 * (dynamics-planner.ts): under move blocking `blocks` (default [1, 2]: the next segment, the two
 * after, then held to the end of `horizonSegments`), every sequence of eligible levels is rolled out
 * — as a tree of forks, so shared prefixes are simulated once — and the first move of the sequence
 * with the lowest mean squared error of the latent arousal to the target is played. `blocks: [1]`
 * is the earlier two-step reference (one segment, then one level held). It plans only over what the
 * Director's own safety cap (`SafetyCap.apply`, one per viewer) leaves eligible and plays its least
 * intense level during heart-rate relief, so its cap violations are zero too.
 */
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import type { SimulatedViewerParams } from '../../sensors/simulator/simulator-types.js';
import { ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import type { DecideContext } from '../../models/director/director.js';
import { SafetyCap } from '../../models/director/safety-cap.js';
import type { LoopChoice, LoopPolicy } from '../closed-loop/closed-loop.js';

export interface OraclePolicyOptions {
  /** Decision period, seconds (the story's segment). */
  segmentS: number;
  /** Target arousal at story time t. */
  target(t: number): number;
  /** Look-ahead in segments (default 18: 36 s with 2 s segments, as the planner). */
  horizonSegments?: number;
  /**
   * Move blocking: durations (in segments) of the planned moves before the last one, which is held
   * to the end of the look-ahead (default [1, 2], as the planner; [1] = one segment, then held).
   */
  blocks?: number[];
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
  /** One Director safety cap per viewer (relief is stateful). */
  private readonly caps: SafetyCap[] = [];
  private readonly horizon: number;
  /** Segment index at which each planned move starts (the last move runs to the horizon). */
  private readonly starts: number[];
  private readonly draws: number;
  private readonly seed: number;

  constructor(private readonly opts: OraclePolicyOptions) {
    this.horizon = opts.horizonSegments ?? 18;
    const blocks = opts.blocks ?? [1, 2];
    if (blocks.some((b) => !Number.isInteger(b) || b < 1)) {
      throw new RangeError(`oracle: blocks must be positive integers, got ${blocks.join(',')}`);
    }
    this.starts = [0];
    for (const b of blocks) this.starts.push((this.starts[this.starts.length - 1] ?? 0) + b);
    if ((this.starts[this.starts.length - 1] ?? 0) >= this.horizon) {
      throw new RangeError(
        `oracle: the move blocks (${blocks.join(',')} segments) must end before the horizon (${this.horizon} segments)`,
      );
    }
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
      createSignal: () => new ViewerSignalProcessor(),
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
    if (!sim) throw new Error(`oracle: viewer ${i} was not watched`);
    const levels = safe.eligible.map((index) => ({
      index,
      u: ctx.candidates[index]?.intensity ?? 0,
    }));
    // Summed over the noise draws: cost of each full sequence, in enumeration order.
    const costs: number[] = [];
    for (let k = 0; k < this.draws; k++) {
      const seed = this.seed * 7919 + ctx.segmentIndex * 131 + k * 17 + i * 100_003;
      let n = 0;
      this.expand(sim.fork(seed), ctx, levels, 0, 0, (cost) => {
        costs[n] = (costs[n] ?? 0) + cost;
        n++;
      });
    }
    // Sequences are enumerated first move outermost: each first move owns a contiguous block.
    const perFirst = costs.length / Math.max(1, levels.length);
    let best = safe.lowest;
    let bestCost = Infinity;
    costs.forEach((c, n) => {
      if (c < bestCost) {
        bestCost = c;
        best = levels[Math.floor(n / perFirst)]?.index ?? safe.lowest;
      }
    });
    return best;
  }

  /**
   * Rolls planned move `m` (every eligible level) forward from the forked state, then the next
   * moves recursively; reports each full sequence's squared error in enumeration order.
   */
  private expand(
    sim: ViewerSimulator,
    ctx: DecideContext,
    levels: readonly { u: number }[],
    m: number,
    costSoFar: number,
    report: (cost: number) => void,
  ): void {
    const from = this.starts[m] ?? 0;
    const last = m === this.starts.length - 1;
    const to = last ? this.horizon : (this.starts[m + 1] ?? this.horizon);
    const seg = this.opts.segmentS;
    levels.forEach((level, li) => {
      // The last level can use the parent's state itself: nothing else needs it afterwards.
      const mine = li === levels.length - 1;
      const s = mine ? sim : sim.fork();
      let cost = costSoFar;
      // What counts is what the viewer feels: the latent arousal the oracle can see.
      for (let h = from + 1; h <= to; h++) {
        s.step(seg, level.u);
        cost += (s.trueArousal - this.opts.target(ctx.storyTime + h * seg)) ** 2;
      }
      if (last) report(cost);
      else this.expand(s, ctx, levels, m + 1, cost, report);
    });
  }
}
