/**
 * Runs a primary picker (usually the OnnxPicker) under a deadline. The rule answer is computed
 * first (synchronous, microseconds), then the primary races a timer: on timeout, rejection, an
 * out-of-range answer, or while a previous call of the primary is still hanging, the rule answer
 * is returned and the fallback is counted. A hung primary therefore costs at most one deadline,
 * once; later calls answer at once until it settles.
 *
 * Note: a primary that blocks the event loop synchronously cannot be pre-empted by any timer in
 * Node; onnxruntime's `run` blocks for tens of microseconds, which is why the model stays small.
 */
import { RulePicker } from './rule-picker.js';
import type { PickContext, PickResult, ScenePicker } from '../../contracts/director.js';

export interface DeadlinePickerOptions {
  /** Deadline per call (per batch for `pickBatch`), ms (default 5). */
  deadlineMs?: number;
  fallback?: RulePicker;
}

/** Counters for metrics (Prometheus-style monotonic). */
export interface DeadlineCounters {
  /** Decisions asked (one per context). */
  calls: number;
  /** Decisions answered by the primary. */
  primary: number;
  /** Decisions answered by the fallback, total and by cause. */
  fallbacks: number;
  timeouts: number;
  errors: number;
  busy: number;
  invalid: number;
}

export type FallbackCause = 'timeout' | 'error' | 'busy' | 'invalid';

/** A pick result that says whether the fallback answered. */
export interface DeadlinePickResult extends PickResult {
  fallback: boolean;
  fallbackCause?: FallbackCause;
}

export class DeadlinePicker implements ScenePicker {
  readonly name: string;
  readonly deadlineMs: number;
  private readonly fallbackPicker: RulePicker;
  private pending = 0;
  private readonly stats: DeadlineCounters = {
    calls: 0,
    primary: 0,
    fallbacks: 0,
    timeouts: 0,
    errors: 0,
    busy: 0,
    invalid: 0,
  };

  /**
   * @example
   *   const picker = new DeadlinePicker(new OnnxPicker('models/pacing.onnx'), { deadlineMs: 5 });
   *   const r = await picker.pick(ctx); // r.fallback === true when the rule answered
   */
  constructor(
    private readonly primary: ScenePicker,
    opts: DeadlinePickerOptions = {},
  ) {
    this.deadlineMs = opts.deadlineMs ?? 5;
    this.fallbackPicker = opts.fallback ?? new RulePicker();
    this.name = `deadline(${primary.name})`;
  }

  /** The wrapped picker. */
  get primaryPicker(): ScenePicker {
    return this.primary;
  }

  /** A snapshot of the counters. */
  get counters(): DeadlineCounters {
    return { ...this.stats };
  }

  async pick(ctx: PickContext): Promise<DeadlinePickResult> {
    const [r] = await this.pickBatch([ctx]);
    return r as DeadlinePickResult;
  }

  async pickBatch(ctxs: PickContext[]): Promise<DeadlinePickResult[]> {
    this.stats.calls += ctxs.length;
    const fallback = (cause: FallbackCause): DeadlinePickResult[] => {
      this.stats.fallbacks += ctxs.length;
      const key = cause === 'timeout' ? 'timeouts' : cause === 'error' ? 'errors' : cause;
      this.stats[key] += ctxs.length;
      return ctxs.map((c) => ({
        ...this.fallbackPicker.pickSync(c),
        fallback: true,
        fallbackCause: cause,
      }));
    };
    if (this.pending > 0) return fallback('busy');
    let primaryCall: Promise<PickResult[]>;
    try {
      primaryCall = this.primary.pickBatch
        ? this.primary.pickBatch(ctxs)
        : Promise.all(ctxs.map((c) => this.primary.pick(c)));
    } catch {
      return fallback('error');
    }
    this.pending++;
    const settled = primaryCall.finally(() => {
      this.pending--;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      // Expired timers run before setImmediate callbacks in Node's event loop, and onnxruntime
      // completes `run` in a setImmediate: resolving the timeout one check phase later lets a
      // primary that already finished (but was queued behind a busy loop) still win, while a hung
      // one still loses right after the deadline.
      timer = setTimeout(() => setImmediate(() => resolve('timeout')), this.deadlineMs);
    });
    try {
      const winner = await Promise.race([settled, timeout]);
      if (winner === 'timeout') {
        // Keep the late answer from becoming an unhandled rejection.
        settled.catch(() => undefined);
        return fallback('timeout');
      }
      const valid =
        winner.length === ctxs.length &&
        winner.every(
          (r, i) =>
            Number.isInteger(r.index) &&
            r.index >= 0 &&
            r.index < (ctxs[i]?.candidates.length ?? 0),
        );
      if (!valid) return fallback('invalid');
      this.stats.primary += ctxs.length;
      return winner.map((r) => ({ ...r, fallback: false }));
    } catch {
      return fallback('error');
    } finally {
      clearTimeout(timer);
    }
  }

  async destroy(): Promise<void> {
    await this.primary.destroy?.();
  }
}
