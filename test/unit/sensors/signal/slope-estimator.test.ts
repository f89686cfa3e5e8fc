import assert from 'node:assert/strict';
import { SlopeEstimator } from '../../../../sensors/signal/slope-estimator.js';

describe('SlopeEstimator', () => {
  it('should return the least-squares slope per second within the window', () => {
    const s = new SlopeEstimator(5000);
    for (let i = 0; i <= 10; i++) s.push(1_700_000_000_000 + i * 1000, i * 0.1);
    assert.ok(Math.abs(s.slope(1_700_000_010_000) - 0.1) < 1e-9);
  });

  it('should ignore points older than the window and return 0 with too few points', () => {
    const s = new SlopeEstimator(2000);
    s.push(0, 5);
    s.push(10_000, 0);
    assert.equal(s.slope(10_000), 0);
    s.push(11_000, 1);
    assert.ok(Math.abs(s.slope(11_000) - 1) < 1e-9);
  });
});
