/**
 * The behaviour policy of training rollouts: it holds a level for a random time (2 s … horizon +
 * 12 s), half the time a uniformly random level and half the time the one nearest to what pacing
 * wants (plus noise), so the data covers both the director's operating region and its surroundings.
 * It only decides which states the data visits: a random share (`recordProb`) of its decision
 * points is recorded with the full context, and rollout-dataset.ts labels each recorded state with
 * the outcomes of several plans, measured on forks of the simulated viewer.
 */
import { Prng } from '../../contracts/random.js';
import type { PickContext, PickResult, ScenePicker } from '../../contracts/director.js';

export interface ExplorationRecord {
  sessionId: string;
  storyTime: number;
  /** The picker's full context at this decision (every eligible candidate). */
  ctx: PickContext;
}

export class ExplorationPicker implements ScenePicker {
  readonly name = 'explore';
  readonly records: ExplorationRecord[] = [];
  private readonly rng: Prng;
  private readonly holds = new Map<string, { until: number; intensity: number }>();
  /** Per session: the guide (a trained model) drives until this story time. */
  private readonly guided = new Map<string, number>();

  /**
   * @param guide optional trained picker for on-policy rounds (DAgger, Ross et al. 2011): it
   *   drives the loop freely for 10–30 s, then an exploration hold is recorded from the state it
   *   led to, so the data also covers the states the model itself visits.
   */
  constructor(
    seed: number,
    private readonly horizonS: number,
    private readonly guide?: ScenePicker,
    private readonly recordProb = 0.2,
  ) {
    this.rng = new Prng(seed);
  }

  pick(ctx: PickContext): Promise<PickResult> {
    return this.pickBatch([ctx]).then((r) => r[0] as PickResult);
  }

  async pickBatch(ctxs: PickContext[]): Promise<PickResult[]> {
    const guideIdx: number[] = [];
    if (this.guide) {
      ctxs.forEach((ctx, i) => {
        const t = ctx.storyTime;
        const hold = this.holds.get(ctx.sessionId);
        const holding = hold !== undefined && t < hold.until - 1e-9;
        let until = this.guided.get(ctx.sessionId);
        if (!holding && (until === undefined || t >= until + 1e-9)) {
          // Alternate: a guided stretch, then (at its end) one recorded exploration hold.
          if (until === undefined || this.rng.next() < 0.5) {
            until = t + this.rng.uniform(10, 30);
            this.guided.set(ctx.sessionId, until);
          }
        }
        if (!holding && until !== undefined && t < until - 1e-9) guideIdx.push(i);
      });
    }
    const guided =
      this.guide && guideIdx.length > 0
        ? await (this.guide.pickBatch
            ? this.guide.pickBatch(guideIdx.map((i) => ctxs[i] as PickContext))
            : Promise.all(
                guideIdx.map((i) => (this.guide as ScenePicker).pick(ctxs[i] as PickContext)),
              ))
        : [];
    const byIndex = new Map(guideIdx.map((i, k) => [i, guided[k]]));
    for (const ctx of ctxs) {
      if (this.rng.next() < this.recordProb) {
        this.records.push({ sessionId: ctx.sessionId, storyTime: ctx.storyTime, ctx });
      }
    }
    return ctxs.map((c, i) => {
      const g = byIndex.get(i);
      return g ? { ...g, picker: this.name, reason: 'guided' } : this.pickSync(c);
    });
  }

  private pickSync(ctx: PickContext): PickResult {
    const t = ctx.storyTime;
    let hold = this.holds.get(ctx.sessionId);
    if (!hold || t >= hold.until - 1e-9) {
      const n = ctx.candidates.length;
      let intensity: number;
      if (this.rng.next() < 0.5) {
        intensity = ctx.candidates[Math.floor(this.rng.next() * n)]?.intensity ?? 0;
      } else {
        intensity =
          (ctx.director?.desiredIntensity ?? ctx.targetArousal) + 0.25 * this.rng.normal();
      }
      hold = { until: t + this.rng.uniform(2, this.horizonS + 12), intensity };
      this.holds.set(ctx.sessionId, hold);
    }
    let index = 0;
    const want = hold.intensity;
    ctx.candidates.forEach((c, i) => {
      const best = ctx.candidates[index]?.intensity ?? 0;
      if (Math.abs(c.intensity - want) < Math.abs(best - want)) index = i;
    });
    // Snap the hold to the level actually played so later picks keep it.
    hold.intensity = ctx.candidates[index]?.intensity ?? want;
    return { index, picker: this.name, reason: 'exploration' };
  }
}
