import assert from 'node:assert/strict';
import { TokenBucket } from '../../../../server/hub/rate-limiter.js';

describe('TokenBucket', () => {
  it('should allow a burst then refuse until refilled', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 3 });
    assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
    assert.equal(b.refused, 1);
    assert.equal(b.take(100), true); // 100 ms at 10/s = one token
    assert.equal(b.take(100), false);
  });

  it('should never exceed the burst however long it idles', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 2 });
    b.take(0);
    const took = [1, 2, 3].map(() => b.take(1_000_000));
    assert.deepEqual(took, [true, true, false]);
  });

  it('should not refill when the clock goes backwards', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 1 });
    assert.equal(b.take(1000), true);
    assert.equal(b.take(0), false);
    assert.equal(b.take(500), false);
  });
});
