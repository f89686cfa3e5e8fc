import assert from 'node:assert/strict';
import { EDGE_BPM, EDGE_EDA_US, EDGE_RR_MS } from '../../../../contracts/limits.js';
import type { HeartSample } from '../../../../contracts/heart.js';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';

/** One sample per second with RR intervals alternating ±d around `rr` (RMSSD = 2d). */
function steady(from: number, seconds: number, rr: number, d: number): HeartSample[] {
  const out: HeartSample[] = [];
  let k = 0;
  for (let s = 1; s <= seconds; s++) {
    const beats: number[] = [];
    let acc = 0;
    while (acc < 1000) {
      const v = rr + (k++ % 2 === 0 ? d : -d);
      beats.push(v);
      acc += v;
    }
    out.push({ t: from + s * 1000, bpm: Math.round(60000 / rr), rr: beats, contact: true });
  }
  return out;
}

describe('ViewerSignalProcessor', () => {
  it('should report unknown contact and no values before any sample', () => {
    const p = new ViewerSignalProcessor();
    const s = p.snapshot(0);
    assert.equal(s.contact, 'unknown');
    assert.equal(s.heartRate, null);
    assert.equal(s.calibrated, false);
    assert.equal(s.arousal, 0);
  });

  it('should compute heart rate and RMSSD from RR intervals', () => {
    const p = new ViewerSignalProcessor();
    for (const s of steady(0, 10, 1000, 20)) assert.deepEqual(p.push(s), { ok: true });
    const snap = p.snapshot(10_000);
    assert.ok(Math.abs(snap.heartRate! - 60) < 1.5, `${snap.heartRate}`);
    assert.ok(Math.abs(snap.rmssd! - 40) < 1e-9, `${snap.rmssd}`);
    assert.equal(snap.contact, 'ok');
    assert.equal(snap.cleanFraction, 1);
  });

  it('should calibrate after 20 s and score arousal relative to the baseline', () => {
    const p = new ViewerSignalProcessor();
    for (const s of steady(0, 25, 1000, 20)) p.push(s);
    const rest = p.snapshot(25_000);
    assert.equal(rest.calibrated, true);
    assert.ok(Math.abs(rest.baselineHeartRate! - 60) < 1);
    assert.ok(Math.abs(rest.baselineRmssd! - 40) < 1);
    assert.ok(rest.arousal < 0.05);
    // 75 bpm with RMSSD 16 ms: HR +15 → 0.6; RMSSD −60 % → 1; fused (0.5·0.6 + 0.3·1)/0.8 = 0.75
    for (const s of steady(25_000, 40, 800, 8)) p.push(s);
    const tense = p.snapshot(65_000);
    assert.ok(Math.abs(tense.arousal - 0.75) < 0.03, `arousal ${tense.arousal}`);
    assert.ok(tense.rmssdChange < -0.55);
  });

  it('should report a positive arousal slope while arousal rises', () => {
    const p = new ViewerSignalProcessor();
    for (const s of steady(0, 25, 1000, 20)) p.push(s);
    for (let i = 1; i <= 5; i++) p.push({ t: 25_000 + i * 1000, bpm: 60 + 3 * i });
    assert.ok(p.snapshot(30_000).arousalSlope > 0.02);
  });

  it('should work from bpm-only samples', () => {
    const p = new ViewerSignalProcessor();
    for (let i = 1; i <= 25; i++) p.push({ t: i * 1000, bpm: 70 });
    for (let i = 26; i <= 35; i++) p.push({ t: i * 1000, bpm: 95 });
    const s = p.snapshot(35_000);
    assert.equal(s.rmssd, null);
    // the baseline may creep up by a few hundredths while the rise starts (slow EMA at rest)
    assert.ok(Math.abs(s.baselineHeartRate! - 70) < 0.1, `${s.baselineHeartRate}`);
    assert.equal(s.heartRate, 95);
    assert.ok(s.arousal > 0.99);
  });

  it('should fuse EDA when the seat provides it', () => {
    const p = new ViewerSignalProcessor();
    for (let i = 1; i <= 25; i++) p.push({ t: i * 1000, bpm: 70, eda: 2 });
    for (let i = 26; i <= 35; i++) p.push({ t: i * 1000, bpm: 70, eda: 4 });
    // HR unchanged (0), EDA +2 µS (1): (0.5·0 + 0.2·1)/0.7
    assert.ok(Math.abs(p.snapshot(35_000).arousal - 0.2 / 0.7) < 0.01);
  });

  it('should flag a dropout after more than 3 s without samples', () => {
    const p = new ViewerSignalProcessor();
    p.push({ t: 1000, bpm: 60 });
    assert.equal(p.snapshot(4000).contact, 'ok');
    const s = p.snapshot(4001);
    assert.equal(s.contact, 'dropout');
    assert.equal(s.heartRate, null);
  });

  it('should honour the device contact flag and hold arousal meanwhile', () => {
    const p = new ViewerSignalProcessor();
    for (let i = 1; i <= 25; i++) p.push({ t: i * 1000, bpm: 70 });
    for (let i = 26; i <= 30; i++) p.push({ t: i * 1000, bpm: 80 });
    const before = p.snapshot(30_000).arousal;
    p.push({ t: 31_000, bpm: 40, contact: false });
    const s = p.snapshot(31_000);
    assert.equal(s.contact, 'no-contact');
    assert.equal(s.heartRate, null);
    assert.equal(s.arousal, before);
    p.push({ t: 32_000, bpm: 80, contact: true });
    assert.equal(p.snapshot(32_000).contact, 'ok');
  });

  it('should not difference RR across a contact gap', () => {
    const p = new ViewerSignalProcessor();
    for (const s of steady(0, 10, 1000, 0)) p.push(s);
    p.push({ t: 11_000, contact: false, bpm: 60 });
    // after the gap the rhythm is still flat: a 1000 → 700 jump must not enter RMSSD
    for (const s of steady(11_000, 10, 700, 0)) p.push(s);
    assert.equal(p.snapshot(21_000).rmssd, 0);
  });

  it('should reject impossible and stale samples without changing state', () => {
    const p = new ViewerSignalProcessor();
    p.push({ t: 5000, bpm: 60 });
    const before = p.snapshot(5000);
    assert.deepEqual(p.push({ t: 4000, bpm: 60 }).ok, false);
    assert.equal((p.push({ t: 4000, bpm: 60 }) as { code: string }).code, 'stale');
    for (const bad of [
      { t: 6000, bpm: 0 },
      { t: 6000, bpm: 400 },
      { t: 6000, bpm: Number.NaN },
      { t: 6000, rr: [-5] },
      { t: 6000, rr: [Number.POSITIVE_INFINITY] },
      { t: Number.NaN, bpm: 60 },
      { t: 6000, bpm: 60, eda: -1 },
    ]) {
      const r = p.push(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
      assert.equal((r as { code: string }).code, 'out-of-range');
    }
    assert.deepEqual(p.snapshot(5000), before);
  });

  it('should refuse values outside the edge limits the wire uses, and take them at the edge', () => {
    const p = new ViewerSignalProcessor();
    const bad = [
      { t: 1000, rr: [EDGE_RR_MS.max + 1] },
      { t: 1000, bpm: EDGE_BPM.max + 1 },
      { t: 1000, bpm: EDGE_BPM.min - 1 },
      { t: 1000, bpm: 60, eda: EDGE_EDA_US.max + 1 },
    ];
    for (const s of bad) assert.equal(p.push(s).ok, false, JSON.stringify(s));
    assert.deepEqual(p.push({ t: 1000, rr: [EDGE_RR_MS.max], bpm: EDGE_BPM.max, eda: 0 }), {
      ok: true,
    });
  });

  it('should clean simulated artifacts and follow the true arousal', () => {
    const sim = new ViewerSimulator({
      ...samplePopulation(7, 1)[0]!,
      susceptibility: 1,
      startleProb: 0,
      extRatePerMin: 0,
      restingHr: 65,
      cardiacReactivity: 25,
      hrDriftBpm: 1,
      vagalReactivity: 0.5,
      artifactRate: 0.05,
      burstRatePerMin: 0,
      contactLossRate: 0,
      badStartS: 0,
      hasEda: false,
    });
    const p = new ViewerSignalProcessor();
    const feed = (sec: number, x: number): void => {
      for (let i = 0; i < sec; i++) for (const s of sim.step(1, x)) p.push(s);
    };
    feed(40, 0);
    const calm = p.snapshot(sim.timeMs);
    feed(90, 1);
    const tense = p.snapshot(sim.timeMs);
    assert.ok(calm.arousal < 0.15, `calm ${calm.arousal}`);
    assert.ok(tense.arousal > 0.7, `tense ${tense.arousal}`);
    assert.ok(Math.abs(tense.heartRate! - sim.trueHeartRate) < 4);
    assert.ok(tense.cleanFraction < 1 && tense.cleanFraction > 0.8, `${tense.cleanFraction}`);
  });
});
