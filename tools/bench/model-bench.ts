/**
 * `frisson bench model`: latency of one scoring call of the committed model, onnxruntime-node
 * beside tfjs (CPU backend, same weights read back from the ONNX file), at batch 1 and batch 64.
 * Each sample times one awaited call (onnxruntime's `run` includes its setImmediate hop); inputs
 * are random standardised rows. Percentiles over `iterations` calls after `warmup` calls.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { Prng } from '../../contracts/random.js';
import { FEATURE_DIM } from '../../models/features/feature-spec.js';
import { ModelMetadataSchema, metadataPathFor } from '../../models/director/model-metadata.js';
import { readMlpFromOnnx } from '../training/onnx-import.js';
import { mlpFromLayers, useCpuBackend } from '../training/scorer-trainer.js';

export interface LatencyStats {
  runtime: 'onnxruntime-node' | 'tfjs-cpu';
  batch: number;
  iterations: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

export interface ModelBenchReport {
  modelPath: string;
  parameters: number;
  results: LatencyStats[];
  /** Acceptance: onnxruntime p99 at batch 1 ≤ 100 µs. */
  ortBatch1P99Le100Us: boolean;
}

function stats(runtime: LatencyStats['runtime'], batch: number, samplesMs: number[]): LatencyStats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const q = (p: number): number =>
    (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 1000;
  const mean = (s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) * 1000;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    runtime,
    batch,
    iterations: s.length,
    p50Us: r(q(0.5)),
    p99Us: r(q(0.99)),
    meanUs: r(mean),
  };
}

/**
 * @example
 *   const report = await benchModel({ modelPath: 'models/pacing.onnx' });
 */
export async function benchModel(opts: {
  modelPath: string;
  iterations?: number;
  warmup?: number;
  batches?: number[];
  tfjs?: boolean;
}): Promise<ModelBenchReport> {
  const iterations = opts.iterations ?? 5000;
  const warmup = opts.warmup ?? 500;
  const batches = opts.batches ?? [1, 64];
  const meta = ModelMetadataSchema.parse(
    JSON.parse(await readFile(metadataPathFor(opts.modelPath), 'utf8')),
  );
  const bytes = await readFile(opts.modelPath);
  const layers = readMlpFromOnnx(bytes);
  const parameters = layers.reduce((s, l) => s + l.kernel.length + l.bias.length, 0);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const rng = new Prng(1);
  const results: LatencyStats[] = [];
  for (const batch of batches) {
    const x = Float32Array.from({ length: batch * FEATURE_DIM }, () => rng.normal());
    const feeds = { [meta.inputName]: new ort.Tensor('float32', x, [batch, FEATURE_DIM]) };
    const samples: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      if (i >= warmup) samples.push(performance.now() - t0);
    }
    results.push(stats('onnxruntime-node', batch, samples));
  }
  await session.release();
  if (opts.tfjs ?? true) {
    await useCpuBackend();
    const model = mlpFromLayers(layers);
    for (const batch of batches) {
      const x = Float32Array.from({ length: batch * FEATURE_DIM }, () => rng.normal());
      const samples: number[] = [];
      const n = Math.max(200, Math.floor(iterations / 5));
      for (let i = 0; i < Math.floor(warmup / 5) + n; i++) {
        const t0 = performance.now();
        const out = tf.tidy(() => {
          const y = model.predict(tf.tensor2d(x, [batch, FEATURE_DIM])) as tf.Tensor;
          return y.dataSync();
        });
        if (out.length === 0) throw new Error('empty tfjs output');
        if (i >= Math.floor(warmup / 5)) samples.push(performance.now() - t0);
      }
      results.push(stats('tfjs-cpu', batch, samples));
    }
    model.dispose();
  }
  const ort1 = results.find((r) => r.runtime === 'onnxruntime-node' && r.batch === 1);
  return {
    modelPath: opts.modelPath,
    parameters,
    results,
    ortBatch1P99Le100Us: ort1 !== undefined && ort1.p99Us <= 100,
  };
}
