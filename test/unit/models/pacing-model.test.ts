/**
 * The committed model (models/pacing.onnx + models/pacing.json): loads in a plain onnxruntime-node
 * session, matches the runtime feature spec, and agrees with tfjs running the same weights.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { Prng } from '../../../contracts/random.js';
import {
  ModelMetadataSchema,
  defaultModelPath,
  metadataPathFor,
} from '../../../models/director/model-metadata.js';
import {
  FEATURE_DIM,
  FEATURE_NAMES,
  FEATURE_SPEC_VERSION,
  MODEL_HORIZONS_S,
} from '../../../models/features/feature-spec.js';
import { readMlpFromOnnx } from '../../../tools/training/onnx-import.js';
import {
  mlpFromLayers,
  predictTfjs,
  useCpuBackend,
} from '../../../tools/training/scorer-trainer.js';

describe('models/pacing.onnx', () => {
  it('should carry metadata matching the runtime feature spec', async () => {
    const meta = ModelMetadataSchema.parse(
      JSON.parse(await readFile(metadataPathFor(defaultModelPath()), 'utf8')),
    );
    assert.equal(meta.featureSpecVersion, FEATURE_SPEC_VERSION);
    assert.deepEqual(meta.featureNames, FEATURE_NAMES);
    assert.deepEqual(meta.horizonsS, [...MODEL_HORIZONS_S]);
    assert.equal(meta.normalisation.mean.length, FEATURE_DIM);
  });

  it('should run in plain onnxruntime-node and agree with tfjs within 1e-4', async () => {
    await useCpuBackend();
    const bytes = await readFile(defaultModelPath());
    const session = await ort.InferenceSession.create(bytes);
    const rng = new Prng(11);
    const n = 200;
    const x = Float32Array.from({ length: n * FEATURE_DIM }, () => rng.normal());
    const out = await session.run({
      features: new ort.Tensor('float32', x, [n, FEATURE_DIM]),
    });
    await session.release();
    const got = out.arousal_delta?.data as Float32Array;
    const model = mlpFromLayers(readMlpFromOnnx(bytes));
    const expected = predictTfjs(model, x, FEATURE_DIM);
    model.dispose();
    assert.equal(got.length, n * MODEL_HORIZONS_S.length);
    let diff = 0;
    expected.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - (got[i] ?? NaN)))));
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
  });
});
