/**
 * `frisson train`: rollouts → normalisation → tfjs MLP → ONNX (onnx-proto) → metadata, then
 * loads the written file in onnxruntime-node and checks it agrees with tfjs on held-out rows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  FEATURE_DIM,
  FEATURE_NAMES,
  FEATURE_SPEC_VERSION,
  fitNormalisation,
  normaliseRows,
} from '../../models/features/feature-spec.js';
import { type ModelMetadata, metadataPathFor } from '../../models/director/model-metadata.js';
import { exportMlpToOnnx } from './onnx-export.js';
import { OnnxPicker } from '../../models/director/onnx-picker.js';
import { type RolloutDataset, buildRolloutDataset } from './rollout-dataset.js';
import { predictTfjs, trainScorer } from './scorer-trainer.js';
import type { LoopStory } from '../closed-loop/synthetic-story.js';

export interface TrainPipelineOptions {
  out: string;
  seed: number;
  viewers: number;
  epochs?: number;
  hidden?: number[];
  story?: LoopStory;
  /** Training rounds: 1 = exploration only; 2+ = DAgger rounds guided by the previous model. */
  rounds?: number;
  onStage?(stage: 'rollout' | 'train' | 'export', done: number, total: number, info?: string): void;
}

export interface TrainPipelineResult {
  modelPath: string;
  metadataPath: string;
  metadata: ModelMetadata;
  /** max |tfjs − onnxruntime| over the check rows. */
  maxAbsDiff: number;
  seconds: number;
}

export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'arousal_delta';

export async function runTrainPipeline(opts: TrainPipelineOptions): Promise<TrainPipelineResult> {
  const t0 = performance.now();
  const epochs = opts.epochs ?? 25;
  const hidden = opts.hidden ?? [32, 32];
  const rounds = opts.rounds ?? 2;
  const datasets: RolloutDataset[] = [];
  let written: { metadata: ModelMetadata; maxAbsDiff: number } | null = null;
  for (let round = 1; round <= rounds; round++) {
    // Round 1 explores from the pacing rule's neighbourhood; later rounds let the model of the
    // previous round drive (DAgger) and aggregate the data.
    const guide = round > 1 ? await OnnxPicker.open(opts.out) : undefined;
    try {
      datasets.push(
        await buildRolloutDataset({
          seed: opts.seed + (round - 1) * 104729,
          viewers: opts.viewers,
          ...(opts.story ? { story: opts.story } : {}),
          ...(guide ? { guide } : {}),
          onProgress: (d, n) => opts.onStage?.('rollout', d, n, `round ${round}/${rounds}`),
        }),
      );
    } finally {
      await guide?.destroy();
    }
    written = await fitAndWrite(mergeDatasets(datasets), {
      out: opts.out,
      seed: opts.seed,
      viewers: opts.viewers * round,
      epochs,
      hidden,
      rounds: round,
      t0,
      ...(opts.onStage ? { onStage: opts.onStage.bind(opts) } : {}),
    });
  }
  if (!written) throw new Error('no training round ran');
  return {
    modelPath: opts.out,
    metadataPath: metadataPathFor(opts.out),
    metadata: written.metadata,
    maxAbsDiff: written.maxAbsDiff,
    seconds: (performance.now() - t0) / 1000,
  };
}

function mergeDatasets(ds: RolloutDataset[]): RolloutDataset {
  const rows = ds.reduce((s, d) => s + d.rows, 0);
  const x = new Float32Array(rows * FEATURE_DIM);
  const k = ds[0]?.horizonsS.length ?? 1;
  const y = new Float32Array(rows * k);
  let r = 0;
  for (const d of ds) {
    x.set(d.x, r * FEATURE_DIM);
    y.set(d.y, r * k);
    r += d.rows;
  }
  const gain = ds.reduce((s, d) => s + d.nominalGain * d.rows, 0) / Math.max(1, rows);
  return { x, y, rows, horizonsS: ds[0]?.horizonsS ?? [], nominalGain: gain };
}

async function fitAndWrite(
  raw: RolloutDataset,
  o: {
    out: string;
    seed: number;
    viewers: number;
    epochs: number;
    hidden: number[];
    rounds: number;
    t0: number;
    onStage?: TrainPipelineOptions['onStage'];
  },
): Promise<{ metadata: ModelMetadata; maxAbsDiff: number }> {
  const { epochs, hidden } = o;
  const ds = { ...raw, x: Float32Array.from(raw.x) };
  const norm = fitNormalisation(ds.x, FEATURE_DIM);
  normaliseRows(ds.x, norm);
  const trained = await trainScorer(ds.x, ds.y, {
    inputDim: FEATURE_DIM,
    outputDim: ds.horizonsS.length,
    hidden,
    epochs,
    seed: o.seed,
    onEpoch: (e, loss, val) =>
      o.onStage?.(
        'train',
        e,
        epochs,
        `round ${o.rounds} loss ${loss.toFixed(5)} val ${val.toFixed(5)}`,
      ),
  });
  const seconds = (performance.now() - o.t0) / 1000;
  const metadata: ModelMetadata = {
    format: 'frisson-pacing-model',
    version: 1,
    featureSpecVersion: FEATURE_SPEC_VERSION,
    featureNames: [...FEATURE_NAMES],
    normalisation: norm,
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    horizonsS: ds.horizonsS,
    nominalGain: Math.round(ds.nominalGain * 1000) / 1000,
    hidden,
    training: {
      seed: o.seed,
      viewers: o.viewers,
      rows: ds.rows,
      epochs,
      rounds: o.rounds,
      seconds: Math.round(seconds * 10) / 10,
      trainLoss: trained.trainLoss,
      valLoss: trained.valLoss,
      createdAt: new Date().toISOString(),
      arousalSource:
        'simulator latent arousal (ground truth) for labels = latent(t+h) - estimate(t) for h in horizonsS; inputs are observable features (LatentArousalEstimator + ViewerSignalProcessor)',
    },
  };
  const bytes = exportMlpToOnnx(trained.layers, {
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    metadata: {
      featureSpecVersion: String(FEATURE_SPEC_VERSION),
      horizonsS: ds.horizonsS.join(','),
    },
  });
  const metadataPath = metadataPathFor(o.out);
  await mkdir(dirname(o.out), { recursive: true });
  await writeFile(o.out, bytes);
  await writeFile(metadataPath, JSON.stringify(metadata, null, 2) + '\n');
  // Agreement check on (up to) 1000 normalised rows, through the file just written.
  const checkRows = Math.min(1000, ds.rows);
  const xCheck = ds.x.subarray(ds.x.length - checkRows * FEATURE_DIM);
  const expected = predictTfjs(trained.model, xCheck, FEATURE_DIM);
  const session = await ort.InferenceSession.create(o.out);
  const got = (
    await session.run({ [INPUT_NAME]: new ort.Tensor('float32', xCheck, [checkRows, FEATURE_DIM]) })
  )[OUTPUT_NAME]?.data as Float32Array;
  await session.release();
  trained.model.dispose();
  let maxAbsDiff = 0;
  expected.forEach((v, i) => {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - (got[i] ?? NaN)));
  });
  o.onStage?.('export', o.rounds, o.rounds);
  return { metadata, maxAbsDiff };
}
