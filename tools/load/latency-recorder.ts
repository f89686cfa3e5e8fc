/**
 * Collects latency observations (ms) and reports percentiles. Values are kept in a growable
 * Float64Array: 8,000 events/s for 10 minutes is 4.8 M values, 38 MB — acceptable for a benchmark
 * run, and exact percentiles need no bucketing assumptions.
 */
import { quantileOfSorted } from '../quantile.js';
export interface LatencySummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export class LatencyRecorder {
  private buf = new Float64Array(1024);
  private n = 0;

  record(ms: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = ms;
  }

  /** The recorded values, in recording order (to merge recorders across processes). */
  values(): number[] {
    return Array.from(this.buf.subarray(0, this.n));
  }

  /** A recorder holding `values` (e.g. several load processes' values merged). */
  static from(values: Iterable<number>): LatencyRecorder {
    const r = new LatencyRecorder();
    for (const v of values) r.record(v);
    return r;
  }

  get count(): number {
    return this.n;
  }

  summary(): LatencySummary {
    if (this.n === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
    const sorted = this.buf.slice(0, this.n).sort();
    const at = (q: number): number => round(quantileOfSorted(sorted, q));
    return { count: this.n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
