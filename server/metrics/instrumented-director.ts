/**
 * Wraps a SessionDirector so every decision's latency and fallback reach the metrics, without the
 * director (models/) knowing about Prometheus.
 */
import type { PickContext } from '../../contracts/director.js';
import type { DirectorDecision } from '../../contracts/director.js';
import type { SessionDirector } from '../session/deadline-director.js';
import type { FrissonMetrics } from './frisson-metrics.js';

export class InstrumentedDirector implements SessionDirector {
  private readonly inner: SessionDirector;
  private readonly metrics: FrissonMetrics;

  constructor(inner: SessionDirector, metrics: FrissonMetrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  async decide(ctx: PickContext): Promise<DirectorDecision> {
    const d = await this.inner.decide(ctx);
    this.metrics.decision(d.picker, d.latencyMs, d.fallback);
    return d;
  }

  async destroy(): Promise<void> {
    await this.inner.destroy?.();
  }
}
