import assert from 'node:assert/strict';
import {
  FEATURE_DIM,
  FEATURE_NAMES,
  MODEL_HORIZONS_S,
} from '../../../../models/features/feature-spec.js';
import { buildRolloutDataset } from '../../../../tools/training/rollout-dataset.js';

describe('rollout dataset (counterfactual latent labels from forked viewers)', function () {
  this.timeout(60_000);

  it('should label every candidate of a recorded state, and more intensity should raise what the viewer feels', async () => {
    const ds = await buildRolloutDataset({ seed: 5, viewers: 6, batchSize: 6, recordProb: 0.3 });
    const k = MODEL_HORIZONS_S.length;
    assert.ok(ds.rows > 100, `rows ${ds.rows}`);
    assert.equal(ds.x.length, ds.rows * FEATURE_DIM);
    assert.equal(ds.y.length, ds.rows * k);
    assert.ok(ds.y.every((v) => Number.isFinite(v) && Math.abs(v) <= 1));
    const cand = FEATURE_NAMES.indexOf('candIntensity');
    const arousal = FEATURE_NAMES.indexOf('arousal');
    // The synthetic story offers four levels; a state's rows are consecutive, one per level, and
    // share the state part (same arousal). Over states, the 16 s label is ordered by intensity.
    let states = 0;
    let ordered = 0;
    for (let r = 0; r + 3 < ds.rows;) {
      const same = [0, 1, 2, 3].every(
        (j) => ds.x[(r + j) * FEATURE_DIM + arousal] === ds.x[r * FEATURE_DIM + arousal],
      );
      const levels = [0, 1, 2, 3].map((j) => ds.x[(r + j) * FEATURE_DIM + cand] ?? NaN);
      if (!same || levels.join() !== [0, 1 / 3, 2 / 3, 1].map((x) => Math.fround(x)).join()) {
        r++;
        continue;
      }
      const last = [0, 1, 2, 3].map((j) => ds.y[(r + j) * k + k - 1] ?? NaN);
      states++;
      if ((last[3] ?? 0) > (last[0] ?? 0)) ordered++;
      r += 4;
    }
    assert.ok(states > 25, `complete states ${states}`);
    assert.ok(ordered / states > 0.9, `scare beats calm at 16 s in ${ordered}/${states} states`);
  });
});
