import assert from 'node:assert/strict';
import { AdaptiveHorizon } from '../../../../server/session/adaptive-horizon.js';

describe('AdaptiveHorizon', () => {
  const t0 = 1_000_000;

  it('should sit at the configured horizon until a stall', () => {
    const h = new AdaptiveHorizon({ baseS: 1, maxS: 3 });
    assert.equal(h.seconds(t0), 1);
    assert.equal(h.seconds(t0 + 3_600_000), 1);
  });

  it('should widen by the step per stall episode, up to the cap', () => {
    const h = new AdaptiveHorizon({ baseS: 1, maxS: 2.2, stallStepS: 0.5 });
    h.onStall(t0);
    h.onStall(t0 + 1999); // the same episode
    assert.equal(h.seconds(t0 + 1999), 1.5);
    h.onStall(t0 + 4000);
    assert.equal(h.seconds(t0 + 4000), 2);
    h.onStall(t0 + 6000);
    assert.ok(Math.abs(h.seconds(t0 + 6000) - 2.2) < 1e-9, 'capped at maxS');
  });

  it('should take a cap below the configured horizon as no widening at all', () => {
    const h = new AdaptiveHorizon({ baseS: 1.5, maxS: 1 });
    h.onStall(t0);
    assert.equal(h.maxS, 1.5);
    assert.equal(h.seconds(t0), 1.5);
  });

  it('should narrow step by step after each stall-free stretch', () => {
    const h = new AdaptiveHorizon({ baseS: 1, maxS: 3, narrowAfterMs: 10_000, narrowStepS: 0.5 });
    h.onStall(t0);
    h.onStall(t0 + 2000);
    h.onStall(t0 + 4000);
    assert.equal(h.seconds(t0 + 4000), 2.5);
    assert.equal(h.seconds(t0 + 13_999), 2.5);
    assert.equal(h.seconds(t0 + 14_000), 2);
    assert.equal(h.seconds(t0 + 34_000), 1);
    assert.equal(h.seconds(t0 + 54_000), 1);
  });

  it('should ignore a stall reported out of order (older than the last one counted)', () => {
    const h = new AdaptiveHorizon({ baseS: 1, maxS: 3 });
    h.onStall(t0 + 10_000);
    h.onStall(t0);
    assert.equal(h.seconds(t0 + 10_000), 1.5);
  });
});
