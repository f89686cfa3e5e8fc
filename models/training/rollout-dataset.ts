/**
 * Rolls the simulator population through the closed loop with the exploration policy and turns
 * the recorded picks into a supervised data set: features = (state ⊕ candidate) per the feature
 * spec, labels = measured arousal h seconds later minus measured arousal now, for each model horizon h (both from the real
 * ViewerSignalProcessor; the simulator's true arousal is not used).
 */
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { ViewerSimulator, samplePopulation } from '../../sensors/simulator/viewer-simulator.js';
import { Director } from '../director/director.js';
import type { ScenePicker } from '../director/scene-picker.js';
import { FEATURE_DIM, MODEL_HORIZONS_S, buildFeatureRows } from '../features/feature-spec.js';
import { runClosedLoop } from '../evaluation/closed-loop.js';
import { DirectorPolicy } from '../evaluation/policies.js';
import { ExplorationPicker } from './exploration-picker.js';
import { generateSyntheticStory, type LoopStory } from './synthetic-story.js';

export interface RolloutOptions {
  seed: number;
  viewers: number;
  /** Label look-aheads, seconds (default MODEL_HORIZONS_S). */
  horizonsS?: readonly number[];
  /** Viewers per closed-loop batch (each batch gets its own synthetic story). */
  batchSize?: number;
  story?: LoopStory;
  /** A trained picker for on-policy (DAgger) rollouts. */
  guide?: ScenePicker;
  onProgress?(done: number, total: number): void;
}

export interface RolloutDataset {
  x: Float32Array;
  /** Row-major [rows, horizons] arousal changes. */
  y: Float32Array;
  rows: number;
  horizonsS: number[];
  /** Population steady-state measured arousal per unit intensity. */
  nominalGain: number;
}

export async function buildRolloutDataset(opts: RolloutOptions): Promise<RolloutDataset> {
  const batchSize = opts.batchSize ?? 50;
  const horizons = [...(opts.horizonsS ?? MODEL_HORIZONS_S)];
  const maxH = Math.max(...horizons);
  const population = samplePopulation(opts.seed, opts.viewers);
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  let gainNum = 0;
  let gainDen = 0;
  for (let start = 0, b = 0; start < population.length; start += batchSize, b++) {
    const viewers = population.slice(start, start + batchSize);
    const story = opts.story ?? generateSyntheticStory(opts.seed * 1000 + b);
    const explorer = new ExplorationPicker(opts.seed * 7919 + b, maxH, opts.guide);
    const policy = new DirectorPolicy(
      'explore',
      () => new Director({ picker: explorer, targetCurve: story.targetCurve }),
    );
    const result = await runClosedLoop({
      story,
      viewers,
      policy,
      createSimulator: (p) => new ViewerSimulator(p),
      createSignal: () => new ViewerSignalProcessor(),
    });
    const steps = horizons.map((h) => Math.round(h / story.segmentS));
    const maxSteps = Math.max(...steps);
    for (const rec of explorer.records) {
      const v = Number(rec.sessionId.slice('viewer-'.length));
      const tr = result.traces[v];
      const k = Math.round(rec.storyTime / story.segmentS);
      if (!tr || rec.ctx.viewer.contact <= 0 || k + maxSteps >= tr.arousal.length) continue;
      if (steps.some((s) => (tr.contact[k + s] ?? 0) <= 0)) continue;
      xs.push(buildFeatureRows([rec.ctx]));
      const now = rec.ctx.viewer.arousal;
      for (const s of steps) ys.push((tr.arousal[k + s] ?? now) - now);
      const c = rec.ctx.candidates[0]?.intensity ?? 0;
      const recent = rec.ctx.director?.recentIntensity ?? c;
      if (c > 0.3 && Math.abs(recent - c) < 0.05) {
        gainNum += tr.arousal[k + maxSteps] ?? 0;
        gainDen += c;
      }
    }
    opts.onProgress?.(Math.min(population.length, start + batchSize), population.length);
  }
  const x = new Float32Array(xs.length * FEATURE_DIM);
  xs.forEach((row, i) => x.set(row, i * FEATURE_DIM));
  return {
    x,
    y: Float32Array.from(ys),
    rows: xs.length,
    horizonsS: horizons,
    nominalGain: gainDen > 0 ? gainNum / gainDen : 1,
  };
}
