/**
 * Rolls the simulator population through the closed loop with the exploration policy and turns
 * the visited states into a supervised data set of *counterfactual* outcomes: at a random share of
 * decision points, the viewer's simulator is `fork()`ed into one what-if future per candidate —
 * that candidate held — and each branch's **latent arousal** (what the viewer would feel, the
 * simulator's ground truth) at every model horizon, minus the estimate the director had at the
 * decision, is the label: the model learns to predict what a viewer will feel from what a server
 * can observe (its inputs stay the observable features). Branches of one state share the viewer's future
 * randomness (common random numbers), so the data isolates what the choice changes, for every
 * choice, not only the one the behaviour policy made (whose own hold rarely lasts the longest
 * horizon). The real rollout continues with what the behaviour policy picked.
 */
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { ViewerSimulator, samplePopulation } from '../../sensors/simulator/viewer-simulator.js';
import { Director } from '../../models/director/director.js';
import type { Candidate, ScenePicker } from '../../contracts/director.js';
import {
  FEATURE_DIM,
  MODEL_HORIZONS_S,
  buildFeatureRows,
} from '../../models/features/feature-spec.js';
import { runClosedLoop } from '../closed-loop/closed-loop.js';
import { DirectorPolicy } from '../closed-loop/policies.js';
import { ExplorationPicker } from './exploration-picker.js';
import { generateSyntheticStory, type LoopStory } from '../closed-loop/synthetic-story.js';

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
  /** Share of decision points that are branched and labelled (default 0.2). */
  recordProb?: number;
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
    const explorer = new ExplorationPicker(
      opts.seed * 7919 + b,
      maxH,
      opts.guide,
      opts.recordProb ?? 0.2,
    );
    const policy = new DirectorPolicy(
      'explore',
      () => new Director({ picker: explorer, targetCurve: story.targetCurve }),
    );
    const sims: ViewerSimulator[] = [];
    let labelled = 0;
    await runClosedLoop({
      story,
      viewers,
      policy,
      createSimulator: (p) => {
        const sim = new ViewerSimulator(p);
        sims.push(sim);
        return sim;
      },
      createSignal: () => new ViewerSignalProcessor(),
      // Called at the decision point, before the loop advances the viewers: branch here.
      onTick: () => {
        for (; labelled < explorer.records.length; labelled++) {
          const rec = explorer.records[labelled];
          if (!rec) continue;
          if (rec.storyTime + maxH > story.durationS) continue;
          const v = Number(rec.sessionId.slice('viewer-'.length));
          const sim = sims[v];
          if (!sim) continue;
          const ctx = rec.ctx;
          const now = ctx.viewer.arousal;
          const kept: Candidate[] = [];
          for (const cand of ctx.candidates) {
            const s = sim.fork();
            let t = 0;
            const labels: number[] = [];
            for (const h of horizons) {
              s.step(h - t, cand.intensity);
              t = h;
              labels.push(s.trueArousal - now);
            }
            kept.push(cand);
            ys.push(...labels);
            const c = cand.intensity;
            const recent = ctx.director?.recentIntensity ?? c;
            if (c > 0.3 && Math.abs(recent - c) < 0.05) {
              gainNum += now + (labels[labels.length - 1] ?? 0);
              gainDen += c;
            }
          }
          if (kept.length > 0) xs.push(buildFeatureRows([{ ...ctx, candidates: kept }]));
        }
      },
    });
    opts.onProgress?.(Math.min(population.length, start + batchSize), population.length);
  }
  const rows = xs.reduce((n, x) => n + x.length / FEATURE_DIM, 0);
  const x = new Float32Array(rows * FEATURE_DIM);
  let offset = 0;
  for (const row of xs) {
    x.set(row, offset);
    offset += row.length;
  }
  return {
    x,
    y: Float32Array.from(ys),
    rows,
    horizonsS: horizons,
    nominalGain: gainDen > 0 ? gainNum / gainDen : 1,
  };
}
