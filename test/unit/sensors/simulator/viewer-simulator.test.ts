import assert from 'node:assert/strict';
import type { HeartSample } from '../../../../contracts/heart.js';
import type { SimulatedViewerParams } from '../../../../sensors/simulator/simulator-types.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';

/** A viewer with every source of noise and every event switched off. */
const quiet: SimulatedViewerParams = {
  seed: 1,
  susceptibility: 1,
  sensitisation: 0,
  delayS: 2,
  tauS: 15,
  startleProb: 0,
  startleReflex: 0.4,
  habituation: 0,
  extRatePerMin: 0,
  extAmp: 0,
  restingHr: 60,
  cardiacReactivity: 20,
  cardiacDelayS: 1,
  cardiacTauS: 3,
  hrDriftBpm: 0,
  breathHz: 0.25,
  vagalToneMs: 1,
  vagalReactivity: 0,
  lfMs: 0,
  noiseMs: 0,
  ectopicRate: 0,
  artifactRate: 0,
  burstRatePerMin: 0,
  contactLossRate: 0,
  badStartS: 0,
  badStartHrBpm: 0,
  hasEda: false,
  edaLevelUs: 5,
  edaTrendUsPerMin: 0,
  edaWalkUs: 0,
  edaTonicReactivity: 0,
  edaTonicTauS: 30,
  edaPhasicReactivity: 0,
  scrLatencyS: 2,
  scrRiseS: 1.5,
  scrRecoveryS: 6,
  nsScrPerMin: 0,
  edaStepRatePerMin: 0,
};

function run(sim: ViewerSimulator, seconds: number, intensity: number): HeartSample[] {
  const out: HeartSample[] = [];
  for (let i = 0; i < seconds; i++) out.push(...sim.step(1, intensity));
  return out;
}

/** Records `read()` every 10 ms for `seconds` at `intensity`. */
function trace(
  sim: ViewerSimulator,
  seconds: number,
  intensity: number,
  read: () => number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < seconds * 100; i++) {
    sim.step(0.01, intensity);
    out.push(read());
  }
  return out;
}

const rmssd = (xs: number[]): number => {
  let s = 0;
  for (let i = 1; i < xs.length; i++) s += (xs[i]! - xs[i - 1]!) ** 2;
  return Math.sqrt(s / (xs.length - 1));
};

const argmax = (xs: number[]): number => xs.reduce((b, x, i) => (x > xs[b]! ? i : b), 0);

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
    assert.equal(a.trueArousal, b.trueArousal);
  });

  it('should not depend on how time is chunked (EDA, bursts and episodes included)', () => {
    const p: SimulatedViewerParams = {
      ...samplePopulation(3, 1)[0]!,
      hasEda: true,
      burstRatePerMin: 3,
      extRatePerMin: 3,
      badStartS: 8,
    };
    const a = new ViewerSimulator(p);
    const b = new ViewerSimulator(p);
    const whole = [...a.step(10, 0), ...a.step(10, 1), ...a.step(40, 0.3)];
    const parts: HeartSample[] = [];
    for (let i = 0; i < 1000; i++) parts.push(...b.step(0.01, 0));
    for (let i = 0; i < 40; i++) parts.push(...b.step(0.25, 1));
    for (let i = 0; i < 16; i++) parts.push(...b.step(2.5, 0.3));
    assert.deepEqual(parts, whole);
    assert.ok(whole.every((s) => typeof s.eda === 'number'));
  });

  it('should sit at the resting heart rate with RR matching bpm', () => {
    const sim = new ViewerSimulator(quiet);
    const samples = run(sim, 20, 0);
    for (const s of samples.slice(2)) {
      assert.ok(Math.abs(s.bpm! - 60) <= 1, `bpm ${s.bpm}`);
      for (const rr of s.rr ?? []) assert.ok(Math.abs(rr - 1000) < 5, `rr ${rr}`);
      assert.equal(s.eda, undefined, 'no EDA channel');
    }
  });

  it('should respect the delay: latent arousal, then heart rate after the cardiac delay', () => {
    const sim = new ViewerSimulator({ ...quiet, delayS: 3, cardiacDelayS: 2 });
    run(sim, 10, 0);
    sim.step(2.9, 0.5);
    assert.equal(sim.trueArousal, 0, 'arousal rose before the delay');
    sim.step(0.5, 0.5);
    assert.ok(sim.trueArousal > 0);
    assert.equal(sim.trueHeartRate, 60, 'heart rate rose before the cardiac delay');
    sim.step(2, 0.5);
    assert.ok(sim.trueHeartRate > 60);
  });

  it('should build up σ·intensity with the time constant and show it as r_h · a in heart rate', () => {
    const sim = new ViewerSimulator({ ...quiet, susceptibility: 0.8, delayS: 1, tauS: 10 });
    sim.step(1, 0);
    sim.step(1, 0.5); // the delay line now holds one second of intensity 0.5
    sim.step(10, 0.5); // one time constant after the delayed onset
    const target = 0.8 * 0.5;
    assert.ok(Math.abs(sim.arousalParts.film - target * 0.632) < 0.01, `${sim.arousalParts.film}`);
    sim.step(150, 0.5);
    assert.ok(Math.abs(sim.trueArousal - target) < 1e-3, `${sim.trueArousal}`);
    assert.ok(Math.abs(sim.trueHeartRate - (60 + 20 * target)) < 0.05, `${sim.trueHeartRate}`);
  });

  it('should scale the film part by susceptibility σ but not the startle', () => {
    const p = { ...quiet, startleProb: 1 };
    const low = new ViewerSimulator({ ...p, susceptibility: 0.3 });
    const high = new ViewerSimulator({ ...p, susceptibility: 1.2 });
    for (const sim of [low, high]) sim.step(10, 0);
    const film: [number, number][] = [];
    const startle: [number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const x = i < 1500 ? 0.9 : 0.5;
      low.step(0.01, x);
      high.step(0.01, x);
      film.push([low.arousalParts.film, high.arousalParts.film]);
      startle.push([low.arousalParts.startle, high.arousalParts.startle]);
    }
    for (const [l, h] of film.slice(400)) assert.ok(Math.abs(h - 4 * l) < 1e-9, `${h} vs 4 × ${l}`);
    assert.deepEqual(
      startle.map(([l]) => l),
      startle.map(([, h]) => h),
    );
    assert.ok(Math.max(...startle.map(([l]) => l)) > 0.3, 'the scare startled both');
  });

  it('should scale heart rate by r_h and leave the latent arousal identical', () => {
    const base = { ...samplePopulation(21, 1)[0]!, contactLossRate: 0 };
    const flat = new ViewerSimulator({ ...base, cardiacReactivity: 1 });
    const steep = new ViewerSimulator({ ...base, cardiacReactivity: 25 });
    const plan = [0, 0, 0.9, 0.5, 0.5, 0.2, 1, 1, 0];
    let hrGap = 0;
    for (const x of plan) {
      for (let i = 0; i < 100; i++) {
        flat.step(0.1, x);
        steep.step(0.1, x);
        assert.equal(steep.trueArousal, flat.trueArousal);
        hrGap = Math.max(hrGap, steep.trueHeartRate - flat.trueHeartRate);
      }
    }
    assert.ok(hrGap > 5, `heart rates differ by at most ${hrGap}`);
  });

  it('should peak the latent startle 2.5 s and heart rate 3.5–5.5 s after a scare', () => {
    const sim = new ViewerSimulator({
      ...quiet,
      susceptibility: 0,
      startleProb: 1,
      cardiacDelayS: 2,
    });
    sim.step(10, 0);
    const latent: number[] = [];
    const hr: number[] = [];
    for (let i = 0; i < 1500; i++) {
      sim.step(0.01, 1);
      latent.push(sim.arousalParts.startle);
      hr.push(sim.trueHeartRate);
    }
    const peakLatent = (argmax(latent) + 1) * 10;
    const peakHr = (argmax(hr) + 1) * 10;
    assert.ok(Math.abs(peakLatent - 2500) <= 20, `latent peak at ${peakLatent} ms`);
    assert.ok(peakHr >= 3500 && peakHr <= 5500, `heart-rate peak at ${peakHr} ms`);
    // κ·w with w in 0.8–1.2, at r_h = 20 bpm
    assert.ok(Math.max(...latent) >= 0.4 * 0.8 && Math.max(...latent) <= 0.4 * 1.2);
    assert.ok(Math.abs(Math.max(...hr) - 60 - 20 * Math.max(...latent)) < 0.05);
  });

  it('should habituate startles and sensitise or habituate the tonic drive per scare', () => {
    const sim = new ViewerSimulator({
      ...quiet,
      susceptibility: 0,
      startleProb: 1,
      habituation: 0.5,
    });
    const peaks: number[] = [];
    for (let k = 0; k < 3; k++) {
      sim.step(30, 0);
      peaks.push(Math.max(...trace(sim, 6, 1, () => sim.arousalParts.startle)));
    }
    // w ∈ 0.8–1.2 per event, then halved per startle: the third is at most 0.4 · 1.2 / 4
    assert.ok(peaks[2]! < peaks[0]!, `peaks ${peaks.join(',')}`);
    assert.ok(peaks[2]! <= 0.12 + 1e-9);

    const tonic = (psi: number): number => {
      const s = new ViewerSimulator({ ...quiet, sensitisation: psi, delayS: 0.01, tauS: 0.1 });
      for (let k = 0; k < 4; k++) {
        s.step(2, 0);
        s.step(2, 1);
      }
      return s.arousalParts.film;
    };
    assert.ok(Math.abs(tonic(0) - 1) < 1e-6);
    assert.ok(Math.abs(tonic(-0.1) - 0.6) < 1e-6, `${tonic(-0.1)}`); // 1 − 0.1 · 4 scares
    assert.ok(Math.abs(tonic(0.5) - 1.5) < 1e-6, `${tonic(0.5)}`); // clamped at 1.5 σ
  });

  it('should add arousal from outside the film, smoothly, with the screen dark', () => {
    const sim = new ViewerSimulator({ ...quiet, extRatePerMin: 4, extAmp: 0.3 });
    const ext = trace(sim, 300, 0, () => sim.arousalParts.ext);
    assert.ok(Math.max(...ext) > 0.1, 'no episode in 5 min at 4 per minute');
    assert.ok(ext.filter((x) => x === 0).length > 100, 'episodes end');
    let jump = 0;
    for (let i = 1; i < ext.length; i++) jump = Math.max(jump, Math.abs(ext[i]! - ext[i - 1]!));
    assert.ok(jump < 0.01, `raised-cosine edges, largest 10 ms step ${jump}`);
    assert.equal(sim.arousalParts.film, 0);
  });

  it('should give the resting RMSSD its vagal tone asks for, and lower it when aroused', () => {
    const p = {
      ...quiet,
      vagalToneMs: 50,
      noiseMs: 4,
      lfMs: 10,
      restingHr: 70,
      cardiacReactivity: 0,
    };
    // Breathing depth wanders, so one 10 min window is within ±15 %: average a few viewers.
    const meanRmssd = (q: SimulatedViewerParams): number => {
      let sum = 0;
      for (let seed = 1; seed <= 4; seed++) {
        sum += rmssd(run(new ViewerSimulator({ ...q, seed }), 600, 0).flatMap((s) => s.rr ?? []));
      }
      return sum / 4;
    };
    const calm = meanRmssd(p);
    assert.ok(Math.abs(calm - 50) < 4, `resting RMSSD ${calm}`);
    // (70 / 56)² = 1.56: slower hearts vary more
    const slow = meanRmssd({ ...p, restingHr: 56 });
    assert.ok(Math.abs(slow / calm - 1.56) < 0.15, `${slow} vs ${calm}`);
    const sim = new ViewerSimulator({ ...p, vagalReactivity: 0.6 });
    run(sim, 60, 1);
    const tense = rmssd(run(sim, 600, 1).flatMap((s) => s.rr ?? []));
    // RSA × 0.4, noise and LF unchanged
    assert.ok(tense < 0.5 * calm, `${tense} vs ${calm}`);
  });

  it('should make ectopic beats: premature, then a compensatory pause summing to two beats', () => {
    const sim = new ViewerSimulator({ ...quiet, ectopicRate: 0.05 });
    const rr = run(sim, 600, 0).flatMap((s) => s.rr ?? []);
    let pairs = 0;
    for (let i = 0; i + 1 < rr.length; i++) {
      if (rr[i]! < 900) {
        assert.ok(rr[i]! >= 590 && rr[i]! <= 810, `premature ${rr[i]}`);
        assert.ok(Math.abs(rr[i]! + rr[i + 1]! - 2000) < 10, `pair ${rr[i]} + ${rr[i + 1]}`);
        pairs++;
        i++;
      } else {
        assert.ok(Math.abs(rr[i]! - 1000) < 5, `normal beat ${rr[i]}`);
      }
    }
    assert.ok(pairs > 10 && pairs < 60, `${pairs} ectopic beats in ~600`);
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

  it('should corrupt beats in movement bursts and raise heart rate without arousal', () => {
    const sim = new ViewerSimulator({ ...quiet, burstRatePerMin: 2 });
    let maxHr = 0;
    const samples: HeartSample[] = [];
    for (let i = 0; i < 600; i++) {
      samples.push(...sim.step(1, 0));
      maxHr = Math.max(maxHr, sim.trueHeartRate);
      assert.equal(sim.trueArousal, 0);
    }
    assert.ok(maxHr > 62, `movement heart rate ${maxHr}`);
    const badPerSecond = samples.map(
      (s) => (s.rr ?? []).filter((x) => Math.abs(x - 1000) > 50).length,
    );
    const bad = badPerSecond.reduce((a, b) => a + b, 0);
    assert.ok(bad > 20, `${bad} corrupted intervals`);
    // Clustered: most corrupted intervals have another within 10 s.
    let clustered = 0;
    badPerSecond.forEach((n, i) => {
      if (n > 0 && badPerSecond.slice(Math.max(0, i - 10), i + 11).reduce((a, b) => a + b, 0) > n)
        clustered += n;
    });
    assert.ok(clustered > 0.7 * bad, `${clustered} of ${bad} in bursts`);
  });

  it('should start badly only when badStartS > 0: high heart rate, erratic beats, an EDA step', () => {
    const p = { ...quiet, hasEda: true };
    const clean = run(new ViewerSimulator(p), 40, 0);
    const bad = new ViewerSimulator({ ...p, badStartS: 20, badStartHrBpm: 10 });
    const hrAt5: number[] = [];
    const samples: HeartSample[] = [];
    for (let i = 0; i < 40; i++) {
      samples.push(...bad.step(1, 0));
      hrAt5.push(bad.trueHeartRate);
    }
    const erratic = (xs: HeartSample[], from: number, to: number): number =>
      xs
        .slice(from, to)
        .flatMap((s) => s.rr ?? [])
        .filter((x) => Math.abs(x - 1000) > 50).length;
    assert.equal(erratic(clean, 0, 40), 0);
    assert.ok(erratic(samples, 0, 14) >= 4, `${erratic(samples, 0, 14)} erratic intervals`);
    assert.equal(erratic(samples, 21, 40), 0, 'settled after 20 s');
    assert.ok(Math.abs(hrAt5[5]! - 70) < 1e-9 && Math.abs(hrAt5[30]! - 60) < 1e-9);
    const step = Math.abs(samples[10]!.eda! - samples[30]!.eda!);
    assert.ok(step >= 0.45, `EDA step ${step}`);
    assert.ok(Math.abs(clean[10]!.eda! - clean[30]!.eda!) < 0.03);
  });

  it('should report contact loss as contact:false samples without intervals', () => {
    const sim = new ViewerSimulator({ ...quiet, contactLossRate: 0.05, hasEda: true });
    const samples = run(sim, 600, 0);
    const lost = samples.filter((s) => s.contact === false);
    assert.ok(lost.length > 10);
    for (const s of lost) {
      assert.equal(s.rr, undefined);
      assert.ok(s.bpm! >= 58 && s.bpm! <= 62, 'keeps the last displayed bpm');
      assert.equal(typeof s.eda, 'number', 'skin electrodes are not the strap');
    }
    assert.ok(samples.filter((s) => s.contact === true).length > 300);
  });

  it('should answer a scare with an SCR 1–3 s later (latency + rise to the peak)', () => {
    const p = { ...quiet, susceptibility: 0, startleProb: 1, hasEda: true, edaPhasicReactivity: 2 };
    const sim = new ViewerSimulator({ ...p, scrLatencyS: 2, scrRiseS: 1.5 });
    run(sim, 20, 0);
    const before = sim.step(1, 0)[0]!.eda!;
    const eda = run(sim, 12, 1).map((s) => s.eda!);
    const rises = eda.map((x, i) => x - (i === 0 ? before : eda[i - 1]!));
    // Onset 1.6–2.4 s after the scare (latency ± 20 %): the first second is flat, the rise follows.
    assert.ok(Math.abs(rises[0]!) < 0.03, `rise in the first second ${rises[0]}`);
    assert.ok(rises[2]! + rises[3]! > 0.2, `rise ${rises.slice(0, 5).join(',')}`);
    const peak = argmax(eda);
    assert.ok(peak >= 2 && peak <= 5, `SCR peak in second ${peak + 1}`);
    // A non-responder (r_e = 0, no spontaneous SCRs) has none.
    const none = new ViewerSimulator({ ...p, edaPhasicReactivity: 0 });
    const flat = run(none, 60, 0)
      .concat(run(none, 30, 1))
      .map((s) => s.eda!);
    assert.ok(
      Math.max(...flat) - Math.min(...flat) < 0.03,
      `${Math.min(...flat)}–${Math.max(...flat)}`,
    );
  });

  it('should quantise skin conductance like BITalino and follow the tonic level', () => {
    const sim = new ViewerSimulator({
      ...quiet,
      hasEda: true,
      edaTonicReactivity: 2,
      edaTonicTauS: 20,
    });
    const rest = run(sim, 30, 0).map((s) => s.eda!);
    for (const x of rest) assert.ok(Math.abs(x - 5) < 0.0244, `${x}`);
    run(sim, 200, 1);
    const tense = sim.step(1, 1)[0]!.eda!;
    assert.ok(Math.abs(tense - (5 + 2 * sim.trueArousal)) < 0.05, `${tense}`);
  });

  it('should reject invalid params and ignore non-positive steps', () => {
    assert.throws(() => new ViewerSimulator({ ...quiet, tauS: 0 }), /tauS must be in/);
    assert.throws(() => new ViewerSimulator({ ...quiet, restingHr: NaN }), RangeError);
    assert.throws(() => new ViewerSimulator({ ...quiet, scrRiseS: 7 }), /scrRiseS/);
    const sim = new ViewerSimulator(quiet);
    assert.deepEqual(sim.step(0, 1), []);
    assert.deepEqual(sim.step(-1, 1), []);
    assert.equal(sim.timeMs, 0);
  });
});
