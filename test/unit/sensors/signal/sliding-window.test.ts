import assert from 'node:assert/strict';
import { Float64Slab, SlidingWindow } from '../../../../sensors/signal/sliding-window.js';

describe('SlidingWindow', () => {
  it('should keep a running sum and mean over the time window', () => {
    const w = new SlidingWindow(1000, 10);
    w.push(0, 1);
    w.push(500, 2);
    w.push(1000, 3);
    assert.equal(w.count, 3);
    assert.equal(w.sum, 6);
    w.push(1600, 4); // evicts t < 600: 1 and 2
    assert.equal(w.count, 2);
    assert.equal(w.mean, 3.5);
    assert.equal(w.newestTime, 1600);
  });

  it('should evict the oldest entry when full (bounded memory)', () => {
    const w = new SlidingWindow(1e9, 3);
    for (let i = 1; i <= 5; i++) w.push(i, i);
    assert.equal(w.count, 3);
    assert.equal(w.sum, 12);
  });

  it('should report null mean when empty and reject bad sizes', () => {
    const w = new SlidingWindow(10, 2);
    assert.equal(w.mean, null);
    assert.equal(w.newestTime, null);
    w.push(0, 5);
    w.evict(100);
    assert.equal(w.count, 0);
    assert.equal(w.sum, 0);
    assert.throws(() => new SlidingWindow(0, 2), RangeError);
    assert.throws(() => new SlidingWindow(10, 0), RangeError);
  });
});

describe('Float64Slab', () => {
  it('should give windows disjoint regions of one buffer that behave like their own arrays', () => {
    const slab = new Float64Slab(2 * 3 + 2 * 2);
    const a = new SlidingWindow(1000, 3, slab);
    const b = new SlidingWindow(1000, 2, slab);
    const own = new SlidingWindow(1000, 3);
    for (let t = 0; t < 10; t++) {
      a.push(t * 100, t);
      own.push(t * 100, t);
      b.push(t * 100, 100 + t);
    }
    // b's writes never leak into a: a matches a window with its own arrays.
    assert.equal(a.sum, own.sum);
    assert.equal(a.count, own.count);
    assert.equal(b.sum, 108 + 109);
    assert.throws(() => slab.take(1), RangeError);
  });
});
