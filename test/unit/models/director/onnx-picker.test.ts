import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelPath, metadataPathFor } from '../../../../models/director/model-metadata.js';
import { OnnxPicker } from '../../../../models/director/onnx-picker.js';
import { MODEL_HORIZONS_S } from '../../../../models/features/feature-spec.js';
import { pickContext } from './fixtures.js';

describe('OnnxPicker', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-onnx-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should load the committed model and score every candidate', async () => {
    const picker = await OnnxPicker.open(defaultModelPath());
    try {
      const r = await picker.pick(pickContext());
      assert.equal(r.scores?.length, 4);
      assert.equal(r.predictionsByHorizon?.[0]?.length, MODEL_HORIZONS_S.length);
      assert.ok(r.index >= 0 && r.index < 4);
      assert.ok(r.scores?.every((s) => Number.isFinite(s)));
    } finally {
      await picker.destroy();
    }
  });

  it('should give the same answers batched in one run as one by one', async () => {
    const picker = await OnnxPicker.open(defaultModelPath());
    try {
      const ctxs = [0.1, 0.5, 0.9].map((t, i) =>
        pickContext({ sessionId: `s${i}`, targetArousal: t, currentIntensity: t }),
      );
      const batch = await picker.pickBatch(ctxs);
      for (const [i, ctx] of ctxs.entries()) {
        const single = await picker.pick(ctx);
        assert.equal(batch[i]?.index, single.index);
        batch[i]?.scores?.forEach((s, j) =>
          assert.ok(Math.abs(s - (single.scores?.[j] ?? NaN)) < 1e-6),
        );
      }
    } finally {
      await picker.destroy();
    }
  });

  it('should refuse a missing model with a coded error', async () => {
    const picker = new OnnxPicker(join(dir, 'nope.onnx'));
    assert.equal(await picker.ready, false);
    await assert.rejects(picker.pick(pickContext()), { code: 'FRISSON_ERR_MODEL_UNAVAILABLE' });
  });

  it('should refuse a corrupt model file', async () => {
    const path = join(dir, 'corrupt.onnx');
    await writeFile(path, Buffer.from('this is not a protobuf'));
    await copyFile(metadataPathFor(defaultModelPath()), metadataPathFor(path));
    const picker = new OnnxPicker(path);
    assert.equal(await picker.ready, false);
    await assert.rejects(picker.pick(pickContext()), { code: 'FRISSON_ERR_MODEL_UNAVAILABLE' });
  });
});
