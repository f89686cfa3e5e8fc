import assert from 'node:assert/strict';
import { DeadlinePicker } from '../../../../models/director/deadline-picker.js';
import type { PickContext, PickResult, ScenePicker } from '../../../../contracts/director.js';
import { pickContext } from './fixtures.js';

/** A primary that never answers (a hung model), counting how often it was asked. */
class HangingPicker implements ScenePicker {
  readonly name = 'hang';
  calls = 0;
  pick(): Promise<PickResult> {
    this.calls++;
    return new Promise<PickResult>(() => undefined);
  }
}

class FixedPicker implements ScenePicker {
  readonly name = 'fixed';
  constructor(private readonly index: number) {}
  pick(): Promise<PickResult> {
    return Promise.resolve({ index: this.index, picker: this.name, reason: 'fixed' });
  }
}

class ThrowingPicker implements ScenePicker {
  readonly name = 'throw';
  pick(_ctx: PickContext): Promise<PickResult> {
    return Promise.reject(new Error('model exploded'));
  }
}

describe('DeadlinePicker', () => {
  it('should return the primary’s answer when it is in time', async () => {
    const p = new DeadlinePicker(new FixedPicker(3), { deadlineMs: 50 });
    const r = await p.pick(pickContext());
    assert.equal(r.index, 3);
    assert.equal(r.fallback, false);
    assert.equal(p.counters.primary, 1);
    assert.equal(p.counters.fallbacks, 0);
  });

  it('should answer by rule when the primary hangs, and not wait for it again', async () => {
    const hang = new HangingPicker();
    const p = new DeadlinePicker(hang, { deadlineMs: 5 });
    const first = await p.pick(pickContext());
    assert.equal(first.fallback, true);
    assert.equal(first.fallbackCause, 'timeout');
    assert.equal(first.picker, 'rule');
    const second = await p.pick(pickContext());
    assert.equal(second.fallbackCause, 'busy');
    assert.equal(hang.calls, 1);
    assert.deepEqual(
      { ...p.counters },
      { calls: 2, primary: 0, fallbacks: 2, timeouts: 1, errors: 0, busy: 1, invalid: 0 },
    );
  });

  it('should answer by rule on error and on an out-of-range index', async () => {
    const e = new DeadlinePicker(new ThrowingPicker());
    assert.equal((await e.pick(pickContext())).fallbackCause, 'error');
    const bad = new DeadlinePicker(new FixedPicker(99));
    const r = await bad.pick(pickContext());
    assert.equal(r.fallbackCause, 'invalid');
    assert.ok(r.index >= 0 && r.index < 4);
  });

  it('should fall back for every context of a batch at once', async () => {
    const p = new DeadlinePicker(new HangingPicker(), { deadlineMs: 1 });
    const rs = await p.pickBatch([pickContext(), pickContext({ targetArousal: 0.9 })]);
    assert.deepEqual(
      rs.map((r) => r.fallback),
      [true, true],
    );
    assert.equal(p.counters.fallbacks, 2);
  });
});
