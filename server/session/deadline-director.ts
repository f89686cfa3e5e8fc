/**
 * The session's seam to the director: `decide(ctx)` → a pick plus whether a fallback answered and
 * how long it took. The learned director (`DirectorPool` over models/director) bounds its model by
 * the DeadlinePicker; the foundation's pickers (`threshold`, `fixed`) are synchronous and need no
 * deadline, so `PickerDirector` only guards against a picker that throws or answers out of range.
 */
import type { DirectorDecision, PickContext, PickResult } from '../../contracts/director.js';

export interface SessionDirector {
  decide(ctx: PickContext): Promise<DirectorDecision>;
  destroy?(): void | Promise<void>;
}

export interface SyncPicker {
  readonly name: string;
  pickSync(ctx: PickContext): PickResult;
}

/** A synchronous picker as a SessionDirector, with a synchronous fallback for bad answers. */
export class PickerDirector implements SessionDirector {
  private readonly primary: SyncPicker;
  private readonly fallback: SyncPicker;

  constructor(opts: { primary: SyncPicker; fallback: SyncPicker }) {
    this.primary = opts.primary;
    this.fallback = opts.fallback;
  }

  decide(ctx: PickContext): Promise<DirectorDecision> {
    const started = performance.now();
    let why: string;
    try {
      const r = this.primary.pickSync(ctx);
      if (Number.isInteger(r.index) && r.index >= 0 && r.index < ctx.candidates.length) {
        return Promise.resolve({ ...r, fallback: false, latencyMs: performance.now() - started });
      }
      why = 'invalid index';
    } catch {
      why = 'error';
    }
    const fb = this.fallback.pickSync(ctx);
    return Promise.resolve({
      ...fb,
      reason: `fallback (${this.primary.name}: ${why}): ${fb.reason}`,
      fallback: true,
      latencyMs: performance.now() - started,
    });
  }
}
