import assert from 'node:assert/strict';
import { targetAt } from '../../../../models/features/target-curve.js';

describe('target-curve', () => {
  const curve = [
    { t: 10, arousal: 0.2 },
    { t: 20, arousal: 0.6 },
    { t: 40, arousal: 0.1 },
  ];
  it('should interpolate linearly and hold the ends', () => {
    assert.equal(targetAt(curve, 0), 0.2);
    assert.ok(Math.abs(targetAt(curve, 15) - 0.4) < 1e-12);
    assert.ok(Math.abs(targetAt(curve, 30) - 0.35) < 1e-12);
    assert.equal(targetAt(curve, 99), 0.1);
    assert.equal(targetAt([], 5), 0);
  });
});
