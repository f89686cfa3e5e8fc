/**
 * Asks a ScenePicker for a decision under a deadline. A picker that is slow, throws or hangs never
 * delays a segment: the fallback picker (synchronous, stateless) answers instead and the fallback
 * is reported with the decision. The director issue supplies richer pickers behind the same seam.
 */
import type { PickContext, PickResult, ScenePicker } from '../../models/director/scene-picker.js';

export interface DirectorDecision extends PickResult {
  fallback: boolean;
  latencyMs: number;
}

export interface SessionDirector {
  decide(ctx: PickContext): Promise<DirectorDecision>;
  destroy?(): void | Promise<void>;
}

export interface SyncPicker {
  readonly name: string;
  pickSync(ctx: PickContext): PickResult;
}

export class DeadlineDirector implements SessionDirector {
  private readonly primary: ScenePicker;
  private readonly fallback: SyncPicker;
  private readonly deadlineMs: number;

  constructor(opts: { primary: ScenePicker; fallback: SyncPicker; deadlineMs: number }) {
    this.primary = opts.primary;
    this.fallback = opts.fallback;
    this.deadlineMs = opts.deadlineMs;
  }

  async decide(ctx: PickContext): Promise<DirectorDecision> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.deadlineMs);
    });
    let result: PickResult | 'timeout' | 'error';
    try {
      result = await Promise.race([this.primary.pick(ctx).catch(() => 'error' as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (
      typeof result === 'object' &&
      Number.isInteger(result.index) &&
      result.index >= 0 &&
      result.index < ctx.candidates.length
    ) {
      return { ...result, fallback: false, latencyMs: performance.now() - started };
    }
    const fb = this.fallback.pickSync(ctx);
    const why = typeof result === 'string' ? result : 'invalid index';
    return {
      ...fb,
      reason: `fallback (${this.primary.name}: ${why}): ${fb.reason}`,
      fallback: true,
      latencyMs: performance.now() - started,
    };
  }

  async destroy(): Promise<void> {
    await this.primary.destroy?.();
  }
}
