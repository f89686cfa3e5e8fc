import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HeartSample } from '../../../../contracts/heart.js';
import {
  PROTOCOL_SPANS,
  STAT_COLUMNS,
  countScrs,
  physioStats,
  protocolIntensity,
  simulateSession,
  spectrumPeak,
  type SessionSpans,
} from '../../../../sensors/simulator/physio-compare.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';
import { measureRealTraces } from '../../../../tools/commands/compare-physio-command.js';
import { REPO_DIR } from '../../../support/processes.js';

/** 1 Hz samples whose RR intervals come from `rrAt(beat time ms)`, eda from `edaAt(t)`. */
function session(
  seconds: number,
  rrAt: (t: number) => number,
  edaAt?: (t: number) => number,
): HeartSample[] {
  const out: HeartSample[] = [];
  let beat = 0;
  let next = rrAt(0); // rrAt is called once per beat, in order
  for (let s = 1; s <= seconds; s++) {
    const t = s * 1000;
    const rr: number[] = [];
    while (beat + next <= t) {
      beat += next;
      rr.push(next);
      next = rrAt(beat);
    }
    const sample: HeartSample = { t, bpm: 60, contact: true };
    if (rr.length) sample.rr = rr;
    if (edaAt) sample.eda = edaAt(t);
    out.push(sample);
  }
  return out;
}

const SPANS: SessionSpans = { clips: [0, 300_000], rest: [300_000, 600_001] };

/** The physio traces, where this machine keeps them (beside the repo or its worktree). */
function physioDir(): string | null {
  const candidates = [
    process.env.FRISSON_PHYSIO_TRACES,
    join(REPO_DIR, '..', 'shared', 'physio', 'traces'),
    join(REPO_DIR, '..', '..', 'shared', 'physio', 'traces'),
  ];
  return candidates.find((d): d is string => d !== undefined && existsSync(d)) ?? null;
}

describe('physio-compare', () => {
  it('should measure heart rate, RMSSD and SDNN of a hand-made session', () => {
    // Clips: 1000/1040 ms alternating (RMSSD 40, HR 58.8); rest: 880/900 (RMSSD 20, SDNN 10,
    // HR 67.4). Each step is < 20 %, so the artifact filter passes every beat.
    let k = 0;
    const rrAt = (t: number): number => {
      const odd = k++ % 2 === 1;
      return t < 300_000 ? (odd ? 1040 : 1000) : odd ? 900 : 880;
    };
    // Windows that leave out the change at 300 s (the 30 s RMSSD window straddles it until 330 s).
    const s = physioStats(session(600, rrAt), { clips: [0, 295_000], rest: [330_000, 600_001] });
    assert.ok(
      Math.abs(s.hrClipsMinusRest! - (60000 / 1020 - 60000 / 890)) < 0.3,
      `${s.hrClipsMinusRest}`,
    );
    assert.ok(Math.abs(s.restRmssdMs! - 20) < 0.1, `${s.restRmssdMs}`);
    assert.ok(Math.abs(s.rmssdClipsOverRest! - 2) < 0.01, `${s.rmssdClipsOverRest}`);
    assert.ok(Math.abs(s.restSdnnMs! - 10) < 0.1, `${s.restSdnnMs}`);
    assert.equal(s.filterChangedPct, 0);
    assert.equal(s.edaLevelUs, null, 'no eda, no EDA figures');
  });

  it('should find the breathing rhythm as the RR spectrum peak', () => {
    const rrAt = (t: number): number => 900 + 40 * Math.sin((2 * Math.PI * 0.18 * t) / 1000);
    const s = physioStats(session(600, rrAt), SPANS);
    assert.ok(Math.abs(s.breathHz! - 0.18) <= 0.01, `${s.breathHz}`);
    assert.equal(spectrumPeak([0, 1000], [900, 900]), null, 'too short');
  });

  it('should count skin conductance responses and EDA level, drift, clips − rest', () => {
    // Level 5 µS in the clips, 4 at rest, with one 0.2 µS response every 20 s at rest.
    const edaAt = (t: number): number =>
      t < 300_000 ? 5 : 4 + ((t / 1000) % 20 < 3 ? 0.1 * ((t / 1000) % 20) : 0);
    const s = physioStats(
      session(600, () => 1000, edaAt),
      SPANS,
    );
    assert.ok(Math.abs(s.edaClipsMinusRestUs! - (1 - 0.3 / 20)) < 0.02, `${s.edaClipsMinusRestUs}`);
    assert.ok(Math.abs(s.nsScrPerMin! - 3) < 0.3, `${s.nsScrPerMin}`);
    assert.ok(s.edaDriftUs! < -0.9);
    assert.equal(countScrs([1, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06]), 0, 'slow drift is no SCR');
    assert.equal(countScrs([1, 1, 1.2, 1.1, 1.1, 1.3, 1.3]), 2);
  });

  it('should run a simulated viewer through the clip protocol', () => {
    assert.equal(protocolIntensity(0), 0.9);
    assert.equal(protocolIntensity(30), 0.5);
    assert.equal(protocolIntensity(61), 0.9);
    assert.equal(protocolIntensity(300), 0);
    const reactive = { ...samplePopulation(3, 1)[0]!, susceptibility: 1, cardiacReactivity: 15 };
    const samples = simulateSession(new ViewerSimulator(reactive));
    assert.equal(samples.length, 600);
    const s = physioStats(samples, PROTOCOL_SPANS);
    assert.ok(s.hrClipsMinusRest! > 0, 'the clips raise simulated heart rate');
    assert.ok(Number.isFinite(s.restRmssdMs) && Number.isFinite(s.restReading));
  });

  it('should return finite heart and EDA figures for each real person (../shared/physio)', async function () {
    const dir = physioDir();
    if (dir === null) {
      const line =
        'needs the physio traces: set FRISSON_PHYSIO_TRACES or put them in ../shared/physio/traces';
      if (process.env.CI === 'true') throw new Error(line);
      console.log(`      skipped: ${line}`);
      this.skip();
    }
    const r = await measureRealTraces(dir);
    assert.ok(r.success, r.success ? '' : r.error);
    assert.ok(r.data.length >= 6, `${r.data.length} persons`);
    for (const p of r.data) {
      for (const { key } of STAT_COLUMNS) {
        assert.ok(Number.isFinite(p.stats[key]), `${p.name} ${key} = ${p.stats[key]}`);
      }
    }
  });

  it('should fail in one line naming a missing folder', async () => {
    const r = await measureRealTraces('/nonexistent/physio');
    assert.equal(r.success, false);
    if (!r.success)
      assert.match(r.error, /^cannot read the real traces in \/nonexistent\/physio .*--real/);
  });
});
