import assert from 'node:assert/strict';
import { createSeededRandom } from '../../../../media/narration/seeded-random.js';

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
