import assert from 'node:assert/strict';
import type { HeartSample } from '../../../../contracts/heart.js';
import { SimulatedSeats } from '../../../../sensors/agent/simulated-seats.js';

describe('SimulatedSeats', () => {
  it('should produce one sample per seat per tick with increasing timestamps', () => {
    const got: Array<[string, HeartSample]> = [];
    const sim = new SimulatedSeats({
      seats: 3,
      rateHz: 4,
      now: () => 1000,
      onSample: (seat, s) => got.push([seat, s]),
    });
    for (let i = 0; i < 8; i++) sim.tick();
    assert.equal(got.length, 24);
    assert.deepEqual(sim.seatIds, ['S001', 'S002', 'S003']);
    const a1 = got.filter(([seat]) => seat === 'S001').map(([, s]) => s.t);
    assert.deepEqual(a1, [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    assert.ok(got.every(([, s]) => s.bpm! >= 40 && s.bpm! <= 200));
    assert.ok(got.some(([, s]) => (s.rr?.length ?? 0) > 0));
  });

  it('should reject an absurd rate', () => {
    assert.throws(
      () => new SimulatedSeats({ seats: 1, rateHz: 0, onSample: () => undefined }),
      RangeError,
    );
  });
});
