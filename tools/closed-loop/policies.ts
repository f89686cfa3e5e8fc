/**
 * The policies `frisson eval` compares: the fixed linear cut, random, and Director-based ones
 * (rule, model, model + personalisation). Linear and random are deliberately uncapped baselines:
 * they show what the safety cap prevents.
 */
import { Prng } from '../../contracts/random.js';
import { Director } from '../../models/director/director.js';
import type { DecideContext } from '../../models/director/director.js';
import type { LoopChoice, LoopPolicy } from './closed-loop.js';

/** Always the same level: the film as one fixed cut (ignores viewers and their caps). */
export class LinearCutPolicy implements LoopPolicy {
  readonly name = 'linear';
  readonly capped = false;
  constructor(private readonly intensity: number) {}

  decide(ctxs: DecideContext[]): Promise<LoopChoice[]> {
    return Promise.resolve(
      ctxs.map((ctx) => {
        let index = 0;
        ctx.candidates.forEach((c, i) => {
          const best = ctx.candidates[index]?.intensity ?? 0;
          if (Math.abs(c.intensity - this.intensity) < Math.abs(best - this.intensity)) index = i;
        });
        return { index, fallback: false };
      }),
    );
  }
}

/** Uniformly random candidate each segment (seeded; uncapped). */
export class RandomPolicy implements LoopPolicy {
  readonly name = 'random';
  readonly capped = false;
  private readonly rng: Prng;
  constructor(seed: number) {
    this.rng = new Prng(seed);
  }

  decide(ctxs: DecideContext[]): Promise<LoopChoice[]> {
    return Promise.resolve(
      ctxs.map((ctx) => ({
        index: Math.min(
          ctx.candidates.length - 1,
          Math.floor(this.rng.next() * ctx.candidates.length),
        ),
        fallback: false,
      })),
    );
  }
}

/** One Director per viewer; every tick is one `Director.decideMany` (one batched inference). */
export class DirectorPolicy implements LoopPolicy {
  readonly capped = true;
  private readonly directors = new Map<string, Director>();

  /**
   * @param view what the director is shown of each context (default: all of it) — e.g. the
   *   foundation's rule sees the signal stage's reading where a director now sees the estimate.
   */
  constructor(
    readonly name: string,
    private readonly create: (sessionId: string) => Director,
    private readonly view: (ctx: DecideContext) => DecideContext = (ctx) => ctx,
  ) {}

  async decide(ctxs: DecideContext[]): Promise<LoopChoice[]> {
    const items = ctxs.map((shown) => {
      const ctx = this.view(shown);
      let director = this.directors.get(ctx.sessionId);
      if (!director) {
        director = this.create(ctx.sessionId);
        this.directors.set(ctx.sessionId, director);
      }
      return { director, ctx };
    });
    const ds = await Director.decideMany(items);
    return ds.map((d) => ({ index: d.index, fallback: d.fallback }));
  }

  director(sessionId: string): Director | undefined {
    return this.directors.get(sessionId);
  }
}
