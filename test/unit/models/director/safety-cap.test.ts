import assert from 'node:assert/strict';
import { SafetyCap } from '../../../../models/director/safety-cap.js';
import { LEVELS, viewer } from './fixtures.js';

describe('SafetyCap', () => {
  it('should drop candidates above the viewer’s max intensity', () => {
    const d = new SafetyCap().apply(LEVELS, 0.5, viewer(), 0);
    assert.deepEqual(d.eligible, [0, 1]);
    assert.equal(d.relief, false);
    assert.equal(d.capUnsatisfiable, false);
  });

  it('should keep only the least intense when nothing is under the cap', () => {
    const d = new SafetyCap().apply(LEVELS.slice(1), 0.1, viewer(), 0);
    assert.deepEqual(d.eligible, [0]);
    assert.equal(d.capUnsatisfiable, true);
  });

  it('should force relief over the heart-rate ceiling and hold it with hysteresis', () => {
    const cap = new SafetyCap({ hrAboveBaselineBpm: 30, hrAbsoluteBpm: 170, reliefHoldS: 10 });
    const hot = viewer({ heartRate: 101, baselineHeartRate: 70 });
    const d = cap.apply(LEVELS, 1, hot, 0);
    assert.equal(d.relief, true);
    assert.equal(d.lowest, 0);
    // Under the ceiling but inside the hysteresis band, or too early: still relief.
    assert.equal(cap.apply(LEVELS, 1, viewer({ heartRate: 97 }), 20).relief, true);
    assert.equal(cap.apply(LEVELS, 1, viewer({ heartRate: 80 }), 5).relief, true);
    assert.equal(cap.apply(LEVELS, 1, viewer({ heartRate: 80 }), 12).relief, false);
  });

  it('should use the absolute ceiling without a baseline', () => {
    const cap = new SafetyCap({ hrAbsoluteBpm: 150 });
    assert.equal(cap.overCeiling(viewer({ heartRate: 151, baselineHeartRate: null })), true);
    assert.equal(cap.overCeiling(viewer({ heartRate: 149, baselineHeartRate: null })), false);
  });
});
