/** `medianRatio`: the CPU ratio of `frisson load` from slices paired by round. */
import assert from 'node:assert/strict';
import { medianRatio } from '../../../../tools/load/load-command.js';

describe('medianRatio (frisson load CPU ratio over paired slices)', () => {
  it('should take the median of the per-round ratios, not the ratio of the sums', () => {
    // Rounds: 40/20 = 2, 30/30 = 1, 45/30 = 1.5 → median 1.5 (pooled would be 115/80 = 1.44).
    assert.equal(medianRatio([40, 30, 45], [20, 30, 30]), 1.5);
  });

  it('should average the two middle ratios for an even count', () => {
    assert.equal(medianRatio([10, 20, 30, 40], [10, 10, 10, 10]), 2.5);
  });

  it('should skip rounds without a figure on either side', () => {
    assert.equal(medianRatio([40, 0, 30], [20, 30, 0]), 2);
    assert.equal(medianRatio([], []), null);
    assert.equal(medianRatio([5], [0]), null);
  });
});
