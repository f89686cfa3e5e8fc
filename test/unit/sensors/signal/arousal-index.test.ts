import assert from 'node:assert/strict';
import { arousalIndex } from '../../../../sensors/signal/arousal-index.js';

describe('arousalIndex', () => {
  it('should be 0 at baseline and 1 at +25 bpm with heart rate alone', () => {
    const b = { baselineHeartRate: 70, rmssdChange: null, edaRise: null };
    assert.equal(arousalIndex({ ...b, heartRate: 70 }), 0);
    assert.equal(arousalIndex({ ...b, heartRate: 60 }), 0);
    assert.equal(arousalIndex({ ...b, heartRate: 95 }), 1);
    assert.equal(arousalIndex({ ...b, heartRate: 82.5 }), 0.5);
  });

  it('should fuse an RMSSD drop with weights 0.5/0.3', () => {
    const a = arousalIndex({
      heartRate: 85,
      baselineHeartRate: 70,
      rmssdChange: -0.3,
      edaRise: null,
    });
    assert.ok(Math.abs(a - (0.5 * 0.6 + 0.3 * 0.5) / 0.8) < 1e-12);
  });

  it('should fuse an EDA rise when present', () => {
    const a = arousalIndex({ heartRate: 70, baselineHeartRate: 70, rmssdChange: 0, edaRise: 2 });
    assert.ok(Math.abs(a - 0.2) < 1e-12);
  });
});
