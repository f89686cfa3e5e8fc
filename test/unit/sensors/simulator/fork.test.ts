import assert from 'node:assert/strict';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';

describe('fork() of the simulator and the signal processor', () => {
  it('should branch a viewer: the fork replays the original exactly and never disturbs it', () => {
    // A viewer whose heart shows the plan (the population also holds barely reactive ones).
    const sim = new ViewerSimulator({
      ...samplePopulation(3, 1)[0]!,
      susceptibility: 1,
      cardiacReactivity: 15,
    });
    const sig = new ViewerSignalProcessor();
    for (const s of sim.step(40, 0)) sig.push(s);
    for (const s of sim.step(20, 0.67)) sig.push(s);
    const simB = sim.fork();
    const sigB = sig.fork();
    // A what-if branch that plays something else first must not touch the original …
    for (const s of simB.fork().step(16, 0)) sigB.fork().push(s);
    const plan = [1, 1, 0, 0, 0.33, 0.33, 0, 0];
    const a: number[] = [];
    const b: number[] = [];
    let now = 60_000;
    for (const x of plan) {
      now += 2000;
      for (const s of sim.step(2, x)) sig.push(s);
      for (const s of simB.step(2, x)) sigB.push(s);
      a.push(sig.snapshot(now).arousal);
      b.push(sigB.snapshot(now).arousal);
    }
    // … and the fork then follows the original sample for sample.
    assert.deepEqual(b, a);
    assert.ok(Math.max(...a) - Math.min(...a) > 0.05, 'the plan moved arousal');
  });

  it('should reseed a fork: same viewer and state, another draw of its noise', () => {
    const sim = new ViewerSimulator(samplePopulation(5, 1)[0]!);
    sim.step(60, 0.67);
    const same = sim.fork();
    const other = sim.fork(99);
    assert.equal(other.trueHeartRate, sim.trueHeartRate);
    assert.equal(other.timeMs, sim.timeMs);
    const a = sim.step(30, 0.67);
    assert.deepEqual(same.step(30, 0.67), a, 'no reseed: the same future');
    const b = other.step(30, 0.67);
    assert.notDeepEqual(b, a, 'reseeded: other noise');
    // The response is the same viewer's: the noiseless drive ends where the original's does.
    assert.ok(Math.abs(other.trueArousal - sim.trueArousal) < 0.05);
    assert.deepEqual(sim.fork(99).step(30, 0.67), sim.fork(99).step(30, 0.67), 'per seed');
  });
});
