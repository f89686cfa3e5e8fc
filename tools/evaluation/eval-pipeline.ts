/**
 * `frisson eval`: the same simulated audience (same viewer params, same story, same caps) watches
 * the story under each policy — fixed linear cut, random, rule, model, model + personalisation,
 * model + bandit, and on request the perfect-knowledge `oracle` reference (oracle-policy.ts) — in
 * the closed loop; returns tracking metrics per policy and the mean traces for the plot.
 */
import { readFile } from 'node:fs/promises';
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { ViewerSimulator, samplePopulation } from '../../sensors/simulator/viewer-simulator.js';
import { Prng } from '../../contracts/random.js';
import type { SimulatedViewerParams } from '../../sensors/simulator/simulator-types.js';
import { DeadlinePicker } from '../../models/director/deadline-picker.js';
import { Director } from '../../models/director/director.js';
import { ModelMetadataSchema, metadataPathFor } from '../../models/director/model-metadata.js';
import { OnnxPicker } from '../../models/director/onnx-picker.js';
import { RulePicker } from '../../models/director/rule-picker.js';
import {
  type ClosedLoopResult,
  type LoopPolicy,
  runClosedLoop,
} from '../closed-loop/closed-loop.js';
import { DirectorPolicy, LinearCutPolicy, RandomPolicy } from '../closed-loop/policies.js';
import { OraclePolicy, type OraclePolicyOptions } from './oracle-policy.js';
import { type TrackingMetrics, trackingMetrics } from './tracking-metrics.js';
import { targetAt } from '../../models/features/target-curve.js';
import { generateSyntheticStory, type LoopStory } from '../closed-loop/synthetic-story.js';

export const POLICY_NAMES = [
  'linear',
  'random',
  'rule',
  'model',
  'model+personalisation',
  'model+bandit',
] as const;
/** Also known, not run by default: `oracle` (oracle-policy.ts; `frisson eval --oracle`). */
export type PolicyName = (typeof POLICY_NAMES)[number] | 'oracle';

export interface EvalOptions {
  viewers: number;
  seed: number;
  modelPath: string;
  deadlineMs?: number;
  story?: LoopStory;
  policies?: readonly PolicyName[];
  /** Plan structure and noise draws of the `oracle` row (defaults: the planner's [1, 2], 36 s, 4). */
  oracle?: Pick<OraclePolicyOptions, 'blocks' | 'horizonSegments' | 'noiseDraws'>;
  onPolicy?(name: string, index: number, total: number): void;
}

export interface EvalTraces {
  times: number[];
  target: number[];
  /** Mean measured arousal over viewers per policy. */
  arousal: Record<string, number[]>;
}

export interface EvalReport {
  seed: number;
  viewers: number;
  story: string;
  durationS: number;
  arousalSource: string;
  metrics: TrackingMetrics[];
  ratios: { modelPersonalisedToRule: number; ruleToLinear: number };
  acceptance: {
    modelPersonalisedLe07Rule: boolean;
    ruleLe085Linear: boolean;
    zeroCapViolationsForCapped: boolean;
  };
  seconds: number;
  traces: EvalTraces;
}

/** Viewer caps: 70 % full intensity, 20 % at 0.67, 10 % at 0.34 (seeded). */
export function sampleMaxIntensities(seed: number, n: number): number[] {
  const rng = new Prng(seed ^ 0xca9);
  return Array.from({ length: n }, () => {
    const u = rng.next();
    return u < 0.7 ? 1 : u < 0.9 ? 0.67 : 0.34;
  });
}

function meanTrace(r: ClosedLoopResult): number[] {
  return r.times.map((_, k) => {
    let s = 0;
    for (const tr of r.traces) s += tr.arousal[k] ?? 0;
    return s / Math.max(1, r.traces.length);
  });
}

export async function runEvaluation(opts: EvalOptions): Promise<EvalReport> {
  const t0 = performance.now();
  const story = opts.story ?? generateSyntheticStory(opts.seed);
  // Population seed offset so that `--seed S` never reuses the training population of seed S.
  const viewers = samplePopulation(opts.seed + 0x10000, opts.viewers);
  const caps = sampleMaxIntensities(opts.seed, opts.viewers);
  let nominalGain = 1;
  try {
    const meta = ModelMetadataSchema.parse(
      JSON.parse(await readFile(metadataPathFor(opts.modelPath), 'utf8')),
    );
    nominalGain = meta.nominalGain;
  } catch {
    // No or bad metadata: the model policies will fall back to the rule (counted).
  }
  const pacing = { nominalGain };
  const onnx = new OnnxPicker(opts.modelPath);
  await onnx.ready;
  const make = (name: PolicyName): LoopPolicy => {
    switch (name) {
      case 'oracle':
        return new OraclePolicy({
          segmentS: story.segmentS,
          target: (t) => targetAt(story.targetCurve, t),
          seed: opts.seed,
          ...opts.oracle,
        });
      case 'linear':
        return new LinearCutPolicy(story.linearIntensity);
      case 'random':
        return new RandomPolicy(opts.seed);
      case 'rule':
        return new DirectorPolicy(
          'rule',
          () => new Director({ picker: new RulePicker(), targetCurve: story.targetCurve, pacing }),
        );
      case 'model':
      case 'model+personalisation':
      case 'model+bandit': {
        const picker = new DeadlinePicker(onnx, { deadlineMs: opts.deadlineMs ?? 5 });
        return new DirectorPolicy(name, (sessionId) => {
          const i = Number(sessionId.replace(/\D+/g, '')) || 0;
          const seed = opts.seed * 7919 + i;
          return new Director({
            picker,
            targetCurve: story.targetCurve,
            pacing,
            // model+personalisation: the Director's default personalisation (per-viewer identified
            // dynamics, Thompson-sampled, planned, blended with the model's scores);
            // model+bandit: the Thompson-sampling bandit re-ranking the model's predictions.
            personalise: name !== 'model',
            personaliser: name === 'model+bandit' ? 'bandit' : 'planner',
            bandit: { seed },
            planner: { seed },
          });
        });
      }
    }
  };
  const names = opts.policies ?? POLICY_NAMES;
  const metrics: TrackingMetrics[] = [];
  const arousal: Record<string, number[]> = {};
  let times: number[] = [];
  let target: number[] = [];
  for (const [i, name] of names.entries()) {
    opts.onPolicy?.(name, i, names.length);
    const policy = make(name);
    // The oracle is shown each viewer's simulator and signal processor (and nothing else is).
    const factories =
      policy instanceof OraclePolicy
        ? policy.factories()
        : {
            createSimulator: (p: SimulatedViewerParams) => new ViewerSimulator(p),
            createSignal: () => new ViewerSignalProcessor(),
          };
    const result = await runClosedLoop({
      story,
      viewers,
      maxIntensity: caps,
      policy,
      ...factories,
    });
    metrics.push(trackingMetrics(result));
    arousal[name] = meanTrace(result);
    times = result.times;
    target = result.traces[0]?.target ?? [];
  }
  await onnx.destroy();
  const by = (n: string): TrackingMetrics | undefined => metrics.find((m) => m.policy === n);
  const rule = by('rule')?.rmse ?? NaN;
  const linear = by('linear')?.rmse ?? NaN;
  const mp = by('model+personalisation')?.rmse ?? NaN;
  const ratios = { modelPersonalisedToRule: mp / rule, ruleToLinear: rule / linear };
  return {
    seed: opts.seed,
    viewers: opts.viewers,
    story: story.id,
    durationS: story.durationS,
    arousalSource:
      'rmse/withinBand: ViewerSignalProcessor arousal (what the director sees); rmseTrue: simulator trueArousal',
    metrics,
    ratios,
    acceptance: {
      modelPersonalisedLe07Rule: ratios.modelPersonalisedToRule <= 0.7,
      ruleLe085Linear: ratios.ruleToLinear <= 0.85,
      zeroCapViolationsForCapped: metrics.every((m) => !m.capped || m.capViolations === 0),
    },
    seconds: (performance.now() - t0) / 1000,
    traces: { times, target, arousal },
  };
}
