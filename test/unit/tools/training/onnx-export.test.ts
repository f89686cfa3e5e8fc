import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Prng } from '../../../../contracts/random.js';
import { exportMlpToOnnx } from '../../../../tools/training/onnx-export.js';
import { readMlpFromOnnx } from '../../../../tools/training/onnx-import.js';
import {
  buildMlp,
  extractDenseLayers,
  predictTfjs,
  trainScorer,
  useCpuBackend,
} from '../../../../tools/training/scorer-trainer.js';

async function ortRun(bytes: Uint8Array, x: Float32Array, dim: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  try {
    const out = await s.run({ features: new ort.Tensor('float32', x, [x.length / dim, dim]) });
    return out.score?.data as Float32Array;
  } finally {
    await s.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  a.forEach((v, i) => (m = Math.max(m, Math.abs(v - (b[i] ?? NaN)))));
  return m;
}

describe('onnx-export', () => {
  before(async () => {
    await useCpuBackend();
  });

  it('should export a tfjs MLP that onnxruntime runs to within 1e-4 of tfjs', async () => {
    const dim = 7;
    const model = buildMlp(dim, [16, 8], 3, 2);
    const rng = new Prng(5);
    const x = Float32Array.from({ length: 50 * dim }, () => 3 * rng.normal());
    const bytes = exportMlpToOnnx(extractDenseLayers(model));
    const got = await ortRun(bytes, x, dim);
    const expected = predictTfjs(model, x, dim);
    assert.equal(got.length, 100);
    assert.ok(maxAbsDiff(got, expected) <= 1e-4);
    model.dispose();
  });

  it('should still agree after a tiny training run', async () => {
    const dim = 5;
    const rng = new Prng(9);
    const n = 512;
    const x = Float32Array.from({ length: n * dim }, () => rng.normal());
    const y = Float32Array.from({ length: n }, (_, i) =>
      Math.tanh((x[i * dim] ?? 0) - (x[i * dim + 1] ?? 0)),
    );
    const trained = await trainScorer(x, y, { inputDim: dim, hidden: [8], epochs: 3, seed: 1 });
    assert.ok(Number.isFinite(trained.valLoss));
    const bytes = exportMlpToOnnx(trained.layers);
    assert.ok(maxAbsDiff(await ortRun(bytes, x, dim), predictTfjs(trained.model, x, dim)) <= 1e-4);
    trained.model.dispose();
  });

  it('should read back exactly the layers it wrote', () => {
    const model = buildMlp(4, [3], 1);
    const layers = extractDenseLayers(model);
    const back = readMlpFromOnnx(exportMlpToOnnx(layers));
    assert.deepEqual(
      back.map((l) => [l.inDim, l.outDim, l.activation]),
      [
        [4, 3, 'relu'],
        [3, 1, 'linear'],
      ],
    );
    assert.deepEqual([...(back[0]?.kernel ?? [])], [...(layers[0]?.kernel ?? [])]);
    model.dispose();
  });
});
