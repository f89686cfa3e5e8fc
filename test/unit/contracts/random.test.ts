import assert from 'node:assert/strict';
import { createSeededRandom, Prng } from '../../../contracts/random.js';

describe('Prng', () => {
  it('should repeat the same sequence for the same seed', () => {
    const a = new Prng(123);
    const b = new Prng(123);
    for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
  });

  it('should give different sequences for different seeds', () => {
    const a = new Prng(1);
    const b = new Prng(2);
    const same = Array.from({ length: 20 }, () => a.next() === b.next()).filter(Boolean).length;
    assert.ok(same < 2);
  });

  it('should stay in [0, 1) with a mean near 0.5', () => {
    const r = new Prng(9);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const v = r.next();
      assert.ok(v >= 0 && v < 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
  });

  it('should produce standard normal deviates', () => {
    const r = new Prng(5);
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean) < 0.03);
    assert.ok(Math.abs(sq / n - mean * mean - 1) < 0.05);
  });
});

describe('createSeededRandom', () => {
  it('should repeat the same sequence for the same parts', () => {
    const a = createSeededRandom('seed', 'session', 3);
    const b = createSeededRandom('seed', 'session', 3);
    const seqA = Array.from({ length: 20 }, () => a());
    const seqB = Array.from({ length: 20 }, () => b());
    assert.deepEqual(seqA, seqB);
  });

  it('should differ when any part differs', () => {
    const first = (...p: Array<string | number>): number => createSeededRandom(...p)();
    const base = first('seed', 'session', 3);
    assert.notEqual(first('seed', 'session', 4), base);
    assert.notEqual(first('seed', 'other', 3), base);
    assert.notEqual(first('other', 'session', 3), base);
  });

  it('should stay in [0, 1) and spread over the range', () => {
    const r = createSeededRandom('spread');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      assert.ok(x >= 0 && x < 1);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const count of buckets) assert.ok(count > 800 && count < 1200, `bucket ${count}`);
  });
});
