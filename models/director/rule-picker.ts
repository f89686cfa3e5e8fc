import type { PickContext, PickResult, ScenePicker } from '../../contracts/director.js';

export interface RulePickerOptions {
  /** Weight of |candidate intensity − desired intensity| (default 1). */
  distanceWeight?: number;
  /** Weight of the least-recently-seen bonus, 0–1 over `lrsHorizonS` (default 0.05). */
  leastRecentWeight?: number;
  lrsHorizonS?: number;
  /** Bonus when the candidate's mood matches the pacing phase's preferred mood (default 0.05). */
  moodWeight?: number;
}

/**
 * The deterministic director: scores every candidate the way Yarn Spinner's storylet saliency
 * strategies do (best score wins, least recently seen breaks near-ties) — closeness of its
 * intensity to what pacing wants, a least-recently-seen bonus and a mood match. Stateless and
 * synchronous, so it is also the fallback answer of the deadline picker.
 *
 * Without director hints the desired intensity is the target arousal itself.
 *
 * @example
 *   const rule = new RulePicker();
 *   const { index, reason } = rule.pickSync(ctx);
 */
export class RulePicker implements ScenePicker {
  readonly name = 'rule';
  private readonly wDist: number;
  private readonly wLrs: number;
  private readonly lrsHorizonS: number;
  private readonly wMood: number;

  constructor(opts: RulePickerOptions = {}) {
    this.wDist = opts.distanceWeight ?? 1;
    this.wLrs = opts.leastRecentWeight ?? 0.05;
    this.lrsHorizonS = opts.lrsHorizonS ?? 60;
    this.wMood = opts.moodWeight ?? 0.05;
  }

  pick(ctx: PickContext): Promise<PickResult> {
    return Promise.resolve(this.pickSync(ctx));
  }

  pickBatch(ctxs: PickContext[]): Promise<PickResult[]> {
    return Promise.resolve(ctxs.map((c) => this.pickSync(c)));
  }

  /** Scores every candidate (higher is better). */
  score(ctx: PickContext): number[] {
    const h = ctx.director;
    const desired = h?.desiredIntensity ?? ctx.targetArousal;
    return ctx.candidates.map((c) => {
      const last = h?.lastPlayedAt[c.id];
      const lrs =
        last === undefined ? 1 : Math.min(1, Math.max(0, ctx.storyTime - last) / this.lrsHorizonS);
      const mood = h?.preferredMood !== undefined && c.mood === h.preferredMood ? 1 : 0;
      return -this.wDist * Math.abs(c.intensity - desired) + this.wLrs * lrs + this.wMood * mood;
    });
  }

  pickSync(ctx: PickContext): PickResult {
    const scores = this.score(ctx);
    let best = 0;
    scores.forEach((s, i) => {
      if (s > (scores[best] ?? -Infinity) + 1e-12) best = i;
    });
    const desired = ctx.director?.desiredIntensity ?? ctx.targetArousal;
    const c = ctx.candidates[best];
    return {
      index: best,
      picker: this.name,
      reason: `desired intensity ${desired.toFixed(2)} → ${c?.id ?? '?'} (${c?.intensity.toFixed(2) ?? '?'})`,
      scores,
    };
  }
}
