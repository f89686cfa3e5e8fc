import assert from 'node:assert/strict';
import type { TraceSample } from '../../../../sensors/trace/trace-format.js';
import { replayTrace } from '../../../../sensors/trace/trace-replayer.js';

function fakeClock(): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
} {
  let t = 1000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}

const samples: TraceSample[] = [
  { t: 10_000, bpm: 60 },
  { t: 11_000, bpm: 61 },
  { t: 13_000, bpm: 62 },
];

describe('replayTrace', () => {
  it('should keep the recorded spacing divided by the speed', async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const report = await replayTrace(samples, {
      speed: 2,
      now: clock.now,
      sleep: clock.sleep,
      send: () => {
        sentAt.push(clock.now());
        return Promise.resolve(true);
      },
    });
    assert.deepEqual(sentAt, [1000, 1500, 2500]);
    assert.deepEqual(report, {
      sent: 3,
      accepted: 3,
      rejected: 0,
      elapsedMs: 1500,
      aborted: false,
    });
  });

  it('should count rejected and failed sends', async () => {
    let i = 0;
    const report = await replayTrace(samples, {
      speed: Infinity,
      send: () =>
        i++ === 0
          ? Promise.resolve(false)
          : i === 2
            ? Promise.reject(new Error('x'))
            : Promise.resolve(true),
    });
    assert.equal(report.accepted, 1);
    assert.equal(report.rejected, 2);
  });

  it('should stop when aborted', async () => {
    const ac = new AbortController();
    const report = await replayTrace(samples, {
      speed: Infinity,
      signal: ac.signal,
      send: () => {
        ac.abort();
        return Promise.resolve(true);
      },
    });
    assert.equal(report.sent, 1);
    assert.equal(report.aborted, true);
    await assert.rejects(
      replayTrace(samples, { speed: 0, send: () => Promise.resolve(true) }),
      RangeError,
    );
  });
});
