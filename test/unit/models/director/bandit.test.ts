import assert from 'node:assert/strict';
import { LinearThompsonBandit } from '../../../../models/director/bandit.js';
import { Prng } from '../../../../contracts/random.js';

describe('LinearThompsonBandit', () => {
  it('should start from the model (θ ≈ [0, 1, 0])', () => {
    const b = new LinearThompsonBandit(2, { seed: 1 });
    assert.deepEqual(
      b.mean(0).map((x) => Math.round(x * 1e9) / 1e9),
      [0, 1, 0],
    );
  });

  it('should learn that this viewer responds twice as strongly as predicted', () => {
    const b = new LinearThompsonBandit(1, { seed: 2, priorPrecision: 1 });
    const rng = new Prng(3);
    for (let i = 0; i < 1000; i++) {
      const pred = rng.uniform(-0.5, 0.5);
      const ctx = LinearThompsonBandit.context(pred, rng.next(), 0.5);
      b.observe(0, ctx, 2 * pred + 0.01 * rng.normal());
    }
    const theta = b.mean(0);
    assert.ok(Math.abs((theta[1] ?? 0) - 2) < 0.1, `θ1 = ${theta[1]}`);
    assert.equal(b.observations, 1000);
  });

  it('should choose the candidate whose corrected prediction reaches the target', () => {
    const b = new LinearThompsonBandit(1, { seed: 4, explore: 0 });
    // Model says candidate 0 reaches +0.1, candidate 1 reaches +0.3; target is +0.3.
    const c = b.choose([[0.1], [0.3]], [0.3, 0.9], 0.5, 0.2, [0.5]);
    assert.equal(c.index, 1);
    assert.equal(c.contexts[1]?.[0]?.length, 3);
  });
});
