/**
 * The learned director for every session of the process. Each session gets its own `Director`
 * (pacing state, personalisation bandit) but decisions requested in the same event-loop turn —
 * the session manager's tick asks every due session at once — are batched into one
 * `Director.decideMany`, i.e. one ONNX inference for all of them (venues: hundreds of seats, one
 * screen each show, many shows). If the batch path itself fails, the stateless threshold rule
 * answers each request, so a segment is never late because of the director.
 */
import {
  Director,
  createDirectorFactory,
  type DirectorFactory,
} from '../../models/director/director.js';
import type { DirectorDecision, PickContext } from '../../contracts/director.js';
import { ThresholdPicker } from '../../models/director/threshold-picker.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { SessionDirector } from './deadline-director.js';

interface Pending {
  director: Director;
  ctx: PickContext;
  resolve: (d: DirectorDecision) => void;
}

export class DirectorPool {
  private readonly factory: DirectorFactory;
  private readonly fallback = new ThresholdPicker();
  private queue: Pending[] = [];
  private scheduled = false;
  private batches = 0;
  private batchedDecisions = 0;

  constructor(opts: { modelPath: string; deadlineMs: number; personalise?: boolean }) {
    this.factory = createDirectorFactory({
      modelPath: opts.modelPath,
      deadlineMs: opts.deadlineMs,
      personalise: opts.personalise ?? true,
    });
  }

  /** Resolves true when the ONNX model loaded (false: the rule picker answers every decision). */
  get ready(): Promise<boolean> {
    return this.factory.ready;
  }

  /** Decisions per inference batch so far (for logs and metrics). */
  get stats(): { batches: number; decisions: number } {
    return { batches: this.batches, decisions: this.batchedDecisions };
  }

  create(story: PackagedStory): SessionDirector {
    const director = this.factory.create({ targetCurve: story.targetCurve });
    return {
      decide: (ctx) => this.enqueue(director, ctx),
      destroy: () => director.destroy(),
    };
  }

  async destroy(): Promise<void> {
    await this.factory.destroy();
  }

  private enqueue(director: Director, ctx: PickContext): Promise<DirectorDecision> {
    return new Promise((resolve) => {
      this.queue.push({ director, ctx, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const items = this.queue;
    this.queue = [];
    if (items.length === 0) return;
    this.batches++;
    this.batchedDecisions += items.length;
    const started = performance.now();
    Director.decideMany(items.map(({ director, ctx }) => ({ director, ctx }))).then(
      (decisions) => {
        items.forEach((it, i) => {
          const d = decisions[i];
          it.resolve(d ? { ...d } : this.fallbackFor(it.ctx, started, 'no decision'));
        });
      },
      (err: unknown) => {
        for (const it of items) it.resolve(this.fallbackFor(it.ctx, started, String(err)));
      },
    );
  }

  private fallbackFor(ctx: PickContext, started: number, why: string): DirectorDecision {
    const r = this.fallback.pickSync(ctx);
    return {
      ...r,
      reason: `fallback (director: ${why}): ${r.reason}`,
      fallback: true,
      latencyMs: performance.now() - started,
    };
  }
}
