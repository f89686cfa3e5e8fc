/**
 * `frisson bench signal`: cost of the signal stage per sample. Samples come from the simulator
 * (with artifacts and contact loss) and are generated before timing starts, so only
 * ViewerSignalProcessor.push / snapshot are measured.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { HeartSample } from '../../contracts/heart.js';
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { samplePopulation, ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import { json, type CommandOutput } from '../command-output.js';

export interface BenchSignalResult {
  viewers: number;
  seconds: number;
  samples: number;
  beats: number;
  pushUsPerSample: number;
  snapshotUsPerCall: number;
  heapBytesPerViewer: number;
  node: string;
}

/** A GC handle for an honest heap-per-viewer figure (the documented v8 flag + vm idiom). */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

export function runSignalBench(viewers: number, seconds: number, seed = 1): BenchSignalResult {
  const streams: HeartSample[][] = samplePopulation(seed, viewers).map((p) => {
    const sim = new ViewerSimulator({ ...p, artifactRate: 0.02, contactLossRate: 0.002 });
    const out: HeartSample[] = [];
    for (let s = 0; s < seconds; s++) out.push(...sim.step(1, (Math.floor(s / 60) % 2) * 0.8));
    return out;
  });
  const samples = streams.reduce((n, s) => n + s.length, 0);
  const beats = streams.reduce((n, s) => n + s.reduce((m, x) => m + (x.rr?.length ?? 0), 0), 0);

  // Warm-up so the JIT has compiled the hot paths before measuring.
  const warm = new ViewerSignalProcessor();
  for (const s of streams[0] ?? []) warm.push(s);

  const gc = exposeGc();
  gc?.();
  gc?.();
  const memBefore = process.memoryUsage();
  // Typed-array backing stores live outside the JS heap: count them too.
  const heapBefore = memBefore.heapUsed + memBefore.arrayBuffers;
  const procs = streams.map(() => new ViewerSignalProcessor());
  const t0 = performance.now();
  for (let i = 0; i < streams.length; i++) {
    const p = procs[i]!;
    for (const s of streams[i]!) p.push(s);
  }
  const t1 = performance.now();
  let sink = 0;
  const snapCalls = viewers * 100;
  for (let k = 0; k < 100; k++) {
    for (let i = 0; i < procs.length; i++) sink += procs[i]!.snapshot(seconds * 1000).arousal;
  }
  const t2 = performance.now();
  gc?.();
  gc?.();
  const memAfter = process.memoryUsage();
  const heapAfter = memAfter.heapUsed + memAfter.arrayBuffers;
  // Touch the processors after the measurement so they cannot be collected before it.
  if (Number.isNaN(sink) || procs.some((p) => p === undefined) || streams.some((s) => !s)) {
    throw new Error('unreachable: keeps the snapshot loop and the processors alive');
  }
  return {
    viewers,
    seconds,
    samples,
    beats,
    pushUsPerSample: ((t1 - t0) * 1000) / samples,
    snapshotUsPerCall: ((t2 - t1) * 1000) / snapCalls,
    heapBytesPerViewer: Math.round((heapAfter - heapBefore) / viewers),
    node: process.version,
  };
}

export function benchSignalCommand(
  opts: { json?: boolean; viewers?: number; seconds?: number },
  io: CommandOutput,
): number {
  const r = runSignalBench(opts.viewers ?? 200, opts.seconds ?? 600);
  if (!opts.json) {
    const rows: Array<[string, string]> = [
      ['viewers × seconds', `${r.viewers} × ${r.seconds}`],
      ['samples (beats)', `${r.samples} (${r.beats})`],
      ['push µs/sample', r.pushUsPerSample.toFixed(2)],
      ['snapshot µs/call', r.snapshotUsPerCall.toFixed(2)],
      ['heap bytes/viewer', String(r.heapBytesPerViewer)],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) io.out(`${k.padEnd(w)}  ${v}\n`);
  }
  io.out(opts.json ? json(r) : `${JSON.stringify(r)}\n`);
  return 0;
}
