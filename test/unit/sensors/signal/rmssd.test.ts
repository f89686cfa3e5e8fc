import assert from 'node:assert/strict';
import { rmssd } from '../../../../sensors/signal/rmssd.js';

describe('rmssd', () => {
  it('should match a hand-computed value', () => {
    // diffs 10, −20, 30, −15 → squares 100 + 400 + 900 + 225 = 1625; /4 = 406.25; √ = 20.1556
    assert.ok(Math.abs(rmssd([800, 810, 790, 820, 805])! - 20.1556) < 1e-4);
  });

  it('should be zero for a metronome and null for fewer than two beats', () => {
    assert.equal(rmssd([1000, 1000, 1000]), 0);
    assert.equal(rmssd([1000]), null);
    assert.equal(rmssd([]), null);
  });

  it('should match a longer published-style resting sequence', () => {
    // Resting RR series (ms) in the style of the Task Force 1996 examples.
    const rr = [812, 836, 828, 796, 780, 804, 842, 860, 838, 806];
    // diffs 24, −8, −32, −16, 24, 38, 18, −22, −32 → squares 576 + 64 + 1024 + 256 + 576 + 1444
    // + 324 + 484 + 1024 = 5772; /9 = 641.33; √ = 25.3245
    assert.ok(Math.abs(rmssd(rr)! - 25.3245) < 1e-4);
  });
});
