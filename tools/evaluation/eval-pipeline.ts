/**
 * `frisson eval`: the same simulated audience (same viewer params, same story, same caps) watches
 * the story under each policy — fixed linear cut, random, rule, model, model + personalisation,
 * model + bandit, and on request the perfect-knowledge `oracle` reference (oracle-policy.ts) — in
 * the closed loop; returns tracking metrics per policy (what the viewers felt first: `rmseTrue`
 * against the simulator's latent arousal; the reading and the estimator's error as diagnostics) and
 * the traces for the plot. `population` draws the audience from another population (a file of
 * parameter ranges, sensors/simulator/population-spec.ts) than the training one.
 */
import { readFile } from 'node:fs/promises';
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { ViewerSimulator, samplePopulation } from '../../sensors/simulator/viewer-simulator.js';
import type { PopulationSpec } from '../../sensors/simulator/population-spec.js';
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
  'rule (reading)',
  'rule',
  'model',
  'model+personalisation',
  'model+planner',
] as const;
/** Also known, not run by default: `oracle` (oracle-policy.ts; `frisson eval --oracle`). */
export type PolicyName = (typeof POLICY_NAMES)[number] | 'oracle';

export interface EvalOptions {
  viewers: number;
  seed: number;
  modelPath: string;
  deadlineMs?: number;
  story?: LoopStory;
  /** The audience's population (default: the built-in `default`, the training population). */
  population?: PopulationSpec;
  policies?: readonly PolicyName[];
  /** Plan structure and noise draws of the `oracle` row (defaults: the planner's [1, 2], 36 s, 4). */
  oracle?: Pick<OraclePolicyOptions, 'blocks' | 'horizonSegments' | 'noiseDraws'>;
  onPolicy?(name: string, index: number, total: number): void;
}

/** Viewer types the plot draws apart (a mean over everybody hides who was over- or under-served). */
export const VIEWER_TYPES = [
  'barely reacts (σ < 0.4)',
  'typical',
  'strongly reacts (σ > 0.8)',
] as const;
export type ViewerType = (typeof VIEWER_TYPES)[number];

export function viewerType(p: SimulatedViewerParams): ViewerType {
  return p.susceptibility < 0.4
    ? VIEWER_TYPES[0]
    : p.susceptibility > 0.8
      ? VIEWER_TYPES[2]
      : VIEWER_TYPES[1];
}

/** Mean traces of one group of viewers under one policy. */
export interface GroupTrace {
  viewers: number;
  latent: number[];
  estimate: number[];
  reading: number[];
}

export interface EvalTraces {
  times: number[];
  target: number[];
  /** Per policy, per viewer type (and `all`): mean latent, estimate and reading. */
  groups: Record<string, Record<string, GroupTrace>>;
}

export interface EvalReport {
  seed: number;
  viewers: number;
  population: string;
  story: string;
  durationS: number;
  arousalSource: string;
  metrics: TrackingMetrics[];
  /** Ratios of `rmseTrue` (what the viewers felt). */
  ratios: {
    modelPersonalisedToRule: number;
    modelPersonalisedToLinear: number;
    ruleToLinear: number;
  };
  acceptance: {
    modelPersonalisedLe080Rule: boolean;
    modelPersonalisedLe070Linear: boolean;
    estimatorRmsLe008: boolean;
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

function groupTraces(
  r: ClosedLoopResult,
  types: readonly ViewerType[],
): Record<string, GroupTrace> {
  const out: Record<string, GroupTrace> = {};
  for (const name of ['all', ...VIEWER_TYPES]) {
    const members = r.traces.filter((_, i) => name === 'all' || types[i] === name);
    const mean = (pick: (tr: ClosedLoopResult['traces'][number]) => number[]): number[] =>
      r.times.map((_, k) => {
        let sum = 0;
        for (const tr of members) sum += pick(tr)[k] ?? 0;
        return sum / Math.max(1, members.length);
      });
    out[name] = {
      viewers: members.length,
      latent: mean((tr) => tr.trueArousal),
      estimate: mean((tr) => tr.arousal),
      reading: mean((tr) => tr.reading),
    };
  }
  return out;
}

export async function runEvaluation(opts: EvalOptions): Promise<EvalReport> {
  const t0 = performance.now();
  const story = opts.story ?? generateSyntheticStory(opts.seed);
  // Population seed offset so that `--seed S` never reuses the training population of seed S.
  const viewers = samplePopulation(opts.seed + 0x10000, opts.viewers, opts.population);
  const types = viewers.map(viewerType);
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
      case 'rule (reading)':
        // The foundation's director: the same rule and pacing, steering by the signal stage's
        // reading (the arousal index against the resting baseline) instead of the estimate.
        return new DirectorPolicy(
          name,
          () => new Director({ picker: new RulePicker(), targetCurve: story.targetCurve, pacing }),
          (ctx) => {
            const { forecast: _forecast, ...viewer } = ctx.viewer;
            return { ...ctx, viewer: { ...viewer, arousal: viewer.reading, arousalSd: 0 } };
          },
        );
      case 'rule':
        return new DirectorPolicy(
          'rule',
          () => new Director({ picker: new RulePicker(), targetCurve: story.targetCurve, pacing }),
        );
      case 'model':
      case 'model+personalisation':
      case 'model+planner': {
        const picker = new DeadlinePicker(onnx, { deadlineMs: opts.deadlineMs ?? 5 });
        return new DirectorPolicy(name, (sessionId) => {
          const i = Number(sessionId.replace(/\D+/g, '')) || 0;
          const seed = opts.seed * 7919 + i;
          return new Director({
            picker,
            targetCurve: story.targetCurve,
            pacing,
            // model+personalisation: the Director as the server runs it (its default personaliser,
            // the Thompson-sampling re-ranking of the model's predictions);
            // model+planner: planning on the latent estimator's forecast (latent-planner.ts).
            personalise: name !== 'model',
            ...(name === 'model+planner' ? { personaliser: 'planner' as const } : {}),
            bandit: { seed },
            planner: { seed },
          });
        });
      }
    }
  };
  const names = opts.policies ?? POLICY_NAMES;
  const metrics: TrackingMetrics[] = [];
  const groups: EvalTraces['groups'] = {};
  let times: number[] = [];
  let target: number[] = [];
  for (const [i, name] of names.entries()) {
    opts.onPolicy?.(name, i, names.length);
    const policy = make(name);
    // The oracle is shown each viewer's simulator (and nothing else is).
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
    groups[name] = groupTraces(result, types);
    times = result.times;
    target = result.traces[0]?.target ?? [];
  }
  await onnx.destroy();
  const by = (n: string): TrackingMetrics | undefined => metrics.find((m) => m.policy === n);
  const rule = by('rule')?.rmseTrue ?? NaN;
  const linear = by('linear')?.rmseTrue ?? NaN;
  const mp = by('model+personalisation');
  const ratios = {
    modelPersonalisedToRule: (mp?.rmseTrue ?? NaN) / rule,
    modelPersonalisedToLinear: (mp?.rmseTrue ?? NaN) / linear,
    ruleToLinear: rule / linear,
  };
  return {
    seed: opts.seed,
    viewers: opts.viewers,
    population: opts.population?.name ?? 'default',
    story: story.id,
    durationS: story.durationS,
    arousalSource:
      'rmseTrue: the simulator latent arousal (ground truth, what counts); rmseReading: the signal stage reading (diagnostic); estimatorRms: RMS(estimate − latent) after the first 60 s',
    metrics,
    ratios,
    acceptance: {
      modelPersonalisedLe080Rule: ratios.modelPersonalisedToRule <= 0.8,
      modelPersonalisedLe070Linear: ratios.modelPersonalisedToLinear <= 0.7,
      estimatorRmsLe008: (mp?.estimatorRms ?? NaN) <= 0.08,
      zeroCapViolationsForCapped: metrics.every((m) => !m.capped || m.capViolations === 0),
    },
    seconds: (performance.now() - t0) / 1000,
    traces: { times, target, groups },
  };
}
