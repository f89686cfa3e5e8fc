import assert from 'node:assert/strict';
import {
  CANDIDATE_FEATURES,
  FEATURE_DIM,
  FEATURE_NAMES,
  STATE_DIM,
  buildFeatureRows,
  fitNormalisation,
  hashBucket,
  normaliseRows,
} from '../../../../models/features/feature-spec.js';
import { LEVELS, pickContext } from '../director/fixtures.js';

describe('feature-spec', () => {
  it('should lay out one row per candidate with state first, candidate after', () => {
    const ctx = pickContext({ currentIntensity: 1 / 3 });
    const rows = buildFeatureRows([ctx, ctx]);
    assert.equal(rows.length, 2 * LEVELS.length * FEATURE_DIM);
    assert.equal(FEATURE_DIM, STATE_DIM + CANDIDATE_FEATURES.length);
    const col = (name: string): number => FEATURE_NAMES.indexOf(name);
    // Row 3 = scare candidate of the first context.
    const base = 3 * FEATURE_DIM;
    assert.equal(rows[base + col('arousal')], Math.fround(0.2));
    assert.equal(rows[base + col('candIntensity')], 1);
    assert.equal(rows[base + col('candDelta')], Math.fround(1 - 1 / 3));
    assert.equal(rows[base + col('phaseBuildUp')], 1);
    assert.equal(rows[base + col('errorToTarget')], Math.fround(0.3));
  });

  it('should treat a lost sensor as on target rather than trusting a stale arousal', () => {
    const ctx = pickContext({ viewer: { ...pickContext().viewer, contact: 0, arousal: 0.9 } });
    const rows = buildFeatureRows([ctx]);
    assert.equal(rows[FEATURE_NAMES.indexOf('errorToTarget')], 0);
  });

  it('should hash moods and tags into stable buckets', () => {
    assert.equal(hashBucket('scare'), hashBucket('scare'));
    for (const s of ['calm', 'tense', 'forest', '']) {
      const b = hashBucket(s);
      assert.ok(b >= 0 && b < 4);
    }
  });

  it('should standardise columns with the fitted mean and std', () => {
    const ctxs = [0, 0.3, 0.6, 0.9].map((a) =>
      pickContext({ viewer: { ...pickContext().viewer, arousal: a } }),
    );
    const rows = buildFeatureRows(ctxs);
    const norm = fitNormalisation(rows);
    normaliseRows(rows, norm);
    const j = FEATURE_NAMES.indexOf('arousal');
    let sum = 0;
    let sq = 0;
    const n = rows.length / FEATURE_DIM;
    for (let r = 0; r < n; r++) {
      const v = rows[r * FEATURE_DIM + j] ?? NaN;
      sum += v;
      sq += v * v;
    }
    assert.ok(Math.abs(sum / n) < 1e-5);
    assert.ok(Math.abs(sq / n - 1) < 1e-4);
    // A constant column stays finite (std floor).
    assert.ok(rows.every((v) => Number.isFinite(v)));
  });
});
