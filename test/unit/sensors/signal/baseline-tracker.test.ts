import assert from 'node:assert/strict';
import { BaselineTracker } from '../../../../sensors/signal/baseline-tracker.js';

describe('BaselineTracker', () => {
  it('should calibrate to the mean of the first 20 s', () => {
    const b = new BaselineTracker();
    for (let s = 0; s < 20; s++) b.update(s * 1000, s % 2 === 0 ? 60 : 70, true);
    assert.equal(b.calibrated, false);
    b.update(20_000, 65, true);
    assert.equal(b.calibrated, true);
    assert.equal(b.value, 65);
  });

  it('should not drift upwards while the viewer is aroused', () => {
    const b = new BaselineTracker({ calibrationMs: 0, minReadings: 1 });
    b.update(0, 60, true);
    for (let s = 1; s <= 300; s++) b.update(s * 1000, 90, false);
    assert.equal(b.value, 60);
  });

  it('should adapt faster towards calm than towards arousal', () => {
    const up = new BaselineTracker({ calibrationMs: 0, minReadings: 1 });
    const down = new BaselineTracker({ calibrationMs: 0, minReadings: 1 });
    up.update(0, 70, true);
    down.update(0, 70, true);
    up.update(60_000, 80, true);
    down.update(60_000, 60, true);
    assert.ok(70 - down.value! > 5, `down ${down.value}`); // 1 − e^−1 of 10 bpm ≈ 6.3
    assert.ok(up.value! - 70 < 1, `up ${up.value}`); // 1 − e^−0.1 of 10 bpm ≈ 0.95
  });

  it('should treat lower as aroused for RMSSD', () => {
    const b = new BaselineTracker({ calibrationMs: 0, minReadings: 1, arousedWhen: 'lower' });
    b.update(0, 40, true);
    b.update(60_000, 50, true);
    assert.ok(b.value! > 46);
  });
});
