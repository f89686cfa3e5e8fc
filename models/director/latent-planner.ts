/**
 * Personalisation as model-predictive control on the viewer's latent arousal: at every boundary,
 * every short level sequence (move blocking: the next segment, the two after, then held to the end
 * of the look-ahead) is rolled forward with the viewer-state stage's forecast — the latent-arousal
 * estimator's identified model of this viewer (models/estimator: susceptibility, startle reflex,
 * build-up time constant, what was played so far) — and the first move of the sequence whose
 * forecast lands closest to the target curve (sum of squares at the future boundaries) is played;
 * everything is re-decided at the next boundary (receding horizon).
 *
 * What this viewer is like is the estimator's business, not the planner's: the planner holds no
 * state. When the body shows nothing, the forecast is the typical viewer's response and the plan
 * follows the author's curve for a typical viewer — the fallback the director owes a viewer it
 * cannot read.
 */
import type { LatentForecast } from '../../contracts/director.js';
import { forEachPlan, moveStarts } from './move-blocks.js';

export interface LatentPlannerOptions {
  /** Planning look-ahead, seconds (default 36). */
  lookAheadS?: number;
  /**
   * Move blocking: durations (in segments) of the planned moves before the last one, which is held
   * to the end of the look-ahead. Default [1, 2]: the next segment, the two after, then held.
   */
  blocks?: number[];
  /** Weight of the forecast's variance in the cost (1 = expected squared error; default 1). */
  uncertaintyWeight?: number;
}

export interface LatentPlan {
  /** Index (into the given intensities) of the first move to play. */
  index: number;
  /** Best sequence cost per first move (mean squared error to the target). */
  costs: number[];
  /** The chosen sequence's forecast at the future boundaries. */
  predicted: number[];
}

/**
 * @example
 *   const plan = new LatentPlanner().plan(t, 2, [0, 1/3, 2/3, 1], (x) => targetAt(curve, x), forecast);
 *   play(candidates[plan.index]);
 */
export class LatentPlanner {
  private readonly lookAheadS: number;
  private readonly blocks: number[];
  private readonly uncertaintyWeight: number;

  constructor(opts: LatentPlannerOptions = {}) {
    this.lookAheadS = opts.lookAheadS ?? 36;
    this.blocks = opts.blocks ?? [1, 2];
    this.uncertaintyWeight = opts.uncertaintyWeight ?? 1;
  }

  plan(
    t: number,
    segmentS: number,
    intensities: readonly number[],
    target: (x: number) => number,
    forecast: (plan: readonly number[], stepS: number) => LatentForecast,
  ): LatentPlan {
    const steps = Math.max(1, Math.round(this.lookAheadS / segmentS));
    const targets = Array.from({ length: steps }, (_, j) => target(t + (j + 1) * segmentS));
    const levels = [...new Set(intensities)];
    const starts = moveStarts(this.blocks);
    const nMoves = starts.length;
    const seq = new Array<number>(steps).fill(0);
    const bestByLevel = new Map<number, number>();
    let bestCost = Infinity;
    let bestPred: number[] = [];
    forEachPlan(levels, nMoves, (moves) => {
      let m = 0;
      for (let j = 0; j < steps; j++) {
        while (m + 1 < nMoves && j >= (starts[m + 1] ?? Infinity)) m++;
        seq[j] = moves[m] ?? 0;
      }
      const { mean: pred, variance } = forecast(seq, segmentS);
      // Expected squared error: the forecast's miss plus what is not yet known about the viewer
      // (an unidentified viewer is driven less hard: E[(σF − T)²] is smallest below T / E[σ]).
      let cost = 0;
      for (let j = 0; j < steps; j++) {
        cost +=
          ((pred[j] ?? 0) - (targets[j] ?? 0)) ** 2 + this.uncertaintyWeight * (variance[j] ?? 0);
      }
      cost /= steps;
      const first = moves[0] ?? 0;
      if (cost < (bestByLevel.get(first) ?? Infinity)) bestByLevel.set(first, cost);
      if (cost < bestCost) {
        bestCost = cost;
        bestPred = pred;
      }
    });
    const costs = intensities.map((u) => bestByLevel.get(u) ?? Infinity);
    let index = 0;
    costs.forEach((cost, i) => {
      if (cost < (costs[index] ?? Infinity)) index = i;
    });
    return { index, costs, predicted: bestPred };
  }
}
