import assert from 'node:assert/strict';
import type { HeartSample } from '../../../../contracts/heart.js';
import type { SimulatedViewerParams } from '../../../../sensors/simulator/simulator-types.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';

const quiet: SimulatedViewerParams = {
  seed: 1,
  restingHr: 60,
  sensitivity: 20,
  delayS: 2,
  tauS: 15,
  startleProb: 0,
  habituation: 0,
  noiseMs: 0,
  artifactRate: 0,
  contactLossRate: 0,
};

function run(sim: ViewerSimulator, seconds: number, intensity: number): HeartSample[] {
  const out: HeartSample[] = [];
  for (let i = 0; i < seconds; i++) out.push(...sim.step(1, intensity));
  return out;
}

describe('ViewerSimulator', () => {
  it('should emit one sample per second with increasing timestamps', () => {
    const sim = new ViewerSimulator(quiet);
    const samples = run(sim, 30, 0);
    assert.equal(samples.length, 30);
    samples.forEach((s, i) => assert.equal(s.t, (i + 1) * 1000));
  });

  it('should be deterministic for the same params and inputs', () => {
    const p = samplePopulation(11, 1)[0]!;
    const a = new ViewerSimulator(p);
    const b = new ViewerSimulator(p);
    const inputs = [0, 0, 0.2, 1, 1, 0.3, 0.9, 0];
    for (const x of inputs) assert.deepEqual(a.step(5, x), b.step(5, x));
  });

  it('should not depend on how time is chunked', () => {
    const p = samplePopulation(3, 1)[0]!;
    const a = new ViewerSimulator(p);
    const b = new ViewerSimulator(p);
    const whole = [...a.step(10, 0), ...a.step(10, 1)];
    const parts: HeartSample[] = [];
    for (let i = 0; i < 1000; i++) parts.push(...b.step(0.01, 0));
    for (let i = 0; i < 40; i++) parts.push(...b.step(0.25, 1));
    assert.deepEqual(parts, whole);
  });

  it('should sit at the resting heart rate with RR matching bpm', () => {
    const sim = new ViewerSimulator(quiet);
    const samples = run(sim, 20, 0);
    for (const s of samples.slice(2)) {
      assert.ok(Math.abs(s.bpm! - 60) <= 2, `bpm ${s.bpm}`);
      for (const rr of s.rr ?? []) assert.ok(Math.abs(rr - 1000) < 30, `rr ${rr}`);
    }
  });

  it('should respect the sympathetic delay before heart rate rises', () => {
    const sim = new ViewerSimulator({ ...quiet, delayS: 3 });
    run(sim, 10, 0);
    sim.step(2.5, 1);
    assert.ok(sim.trueHeartRate - 60 < 0.01, `rose early: ${sim.trueHeartRate}`);
    sim.step(1, 1);
    assert.ok(sim.trueHeartRate > 60);
  });

  it('should approach resting + sensitivity with the time constant', () => {
    const sim = new ViewerSimulator({ ...quiet, delayS: 1, tauS: 10 });
    sim.step(1, 0);
    sim.step(1, 1); // the delay line now holds one second of intensity 1
    sim.step(10, 1); // one time constant after the delayed onset
    // 1 − e^(−1) ≈ 63 % of the 20 bpm rise after one tau
    assert.ok(Math.abs(sim.trueHeartRate - (60 + 20 * 0.632)) < 0.6, `${sim.trueHeartRate}`);
    sim.step(100, 1);
    assert.ok(Math.abs(sim.trueHeartRate - 80) < 0.1);
    assert.ok(sim.trueArousal > 0.99);
  });

  it('should produce a startle that peaks within 5 s of a jump', () => {
    const sim = new ViewerSimulator({ ...quiet, sensitivity: 0, startleProb: 1 });
    sim.step(10, 0);
    let peakT = 0;
    let peak = 0;
    for (let i = 1; i <= 1000; i++) {
      sim.step(0.01, 1);
      if (sim.trueHeartRate > peak) {
        peak = sim.trueHeartRate;
        peakT = i * 10;
      }
    }
    assert.ok(peak - 60 >= 8, `startle amplitude ${peak - 60}`);
    assert.ok(peakT > 1000 && peakT <= 5000, `peak at ${peakT} ms`);
  });

  it('should habituate: repeated scares give weaker startles', () => {
    const sim = new ViewerSimulator({ ...quiet, sensitivity: 0, startleProb: 1, habituation: 0.5 });
    const peaks: number[] = [];
    for (let k = 0; k < 3; k++) {
      sim.step(30, 0);
      let peak = 0;
      for (let i = 0; i < 50; i++) {
        sim.step(0.1, 1);
        peak = Math.max(peak, sim.trueHeartRate - 60);
      }
      peaks.push(peak);
    }
    // amplitudes are drawn in 8–18 then halved per exposure: the third is at most 18/4 = 4.5
    assert.ok(peaks[2]! < peaks[0]!, `peaks ${peaks.join(',')}`);
    assert.ok(peaks[2]! <= 4.5);
  });

  it('should lower beat-to-beat variability when aroused', () => {
    const sim = new ViewerSimulator({ ...quiet, noiseMs: 10, delayS: 1, tauS: 10 });
    const rmssd = (xs: number[]): number => {
      let s = 0;
      for (let i = 1; i < xs.length; i++) s += (xs[i]! - xs[i - 1]!) ** 2;
      return Math.sqrt(s / (xs.length - 1));
    };
    const calm = run(sim, 120, 0).flatMap((s) => s.rr ?? []);
    run(sim, 60, 1);
    const tense = run(sim, 120, 1).flatMap((s) => s.rr ?? []);
    assert.ok(rmssd(tense) < 0.7 * rmssd(calm), `${rmssd(tense)} vs ${rmssd(calm)}`);
  });

  it('should inject missed and extra beats at the artifact rate', () => {
    const sim = new ViewerSimulator({ ...quiet, artifactRate: 0.1 });
    const rr = run(sim, 600, 0).flatMap((s) => s.rr ?? []);
    const bad = rr.filter((x) => x < 800 || x > 1200).length;
    assert.ok(bad > 20, `only ${bad} artifacts`);
    assert.ok(
      rr.some((x) => x > 1800),
      'no missed beat',
    );
    assert.ok(
      rr.some((x) => x < 700),
      'no extra beat',
    );
  });

  it('should report contact loss as contact:false samples without intervals', () => {
    const sim = new ViewerSimulator({ ...quiet, contactLossRate: 0.05 });
    const samples = run(sim, 600, 0);
    const lost = samples.filter((s) => s.contact === false);
    assert.ok(lost.length > 10);
    for (const s of lost) {
      assert.equal(s.rr, undefined);
      assert.ok(s.bpm! >= 55 && s.bpm! <= 65, 'keeps the last displayed bpm');
    }
    assert.ok(samples.filter((s) => s.contact === true).length > 300);
  });

  it('should reject invalid params and ignore non-positive steps', () => {
    assert.throws(() => new ViewerSimulator({ ...quiet, tauS: 0 }), RangeError);
    assert.throws(() => new ViewerSimulator({ ...quiet, restingHr: NaN }), RangeError);
    const sim = new ViewerSimulator(quiet);
    assert.deepEqual(sim.step(0, 1), []);
    assert.deepEqual(sim.step(-1, 1), []);
    assert.equal(sim.timeMs, 0);
  });
});

describe('samplePopulation', () => {
  it('should draw deterministic params within the documented ranges', () => {
    const a = samplePopulation(42, 50);
    assert.deepEqual(a, samplePopulation(42, 50));
    assert.notDeepEqual(a, samplePopulation(43, 50));
    assert.equal(new Set(a.map((p) => p.seed)).size, 50);
    for (const p of a) {
      assert.ok(p.restingHr >= 55 && p.restingHr <= 85);
      assert.ok(p.sensitivity >= 8 && p.sensitivity <= 30);
      assert.ok(p.delayS >= 1 && p.delayS <= 3);
      assert.ok(p.tauS >= 10 && p.tauS <= 20);
      assert.doesNotThrow(() => new ViewerSimulator(p));
    }
  });

  it('should reject a negative count', () => {
    assert.throws(() => samplePopulation(1, -1), RangeError);
  });
});
