import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_SPANS, simulateSession } from '../../../../sensors/simulator/physio-compare.js';
import { samplePopulation } from '../../../../sensors/simulator/population-spec.js';
import { ViewerSimulator } from '../../../../sensors/simulator/viewer-simulator.js';
import { traceLine } from '../../../../sensors/trace/trace-format.js';
import {
  runReplayEvaluation,
  segmentIntensity,
  withBadStart,
} from '../../../../tools/evaluation/replay-evaluation.js';
import { REPO_DIR } from '../../../support/processes.js';

const SEGMENTS = [
  ...[0, 1, 2, 3, 4].map((i) => ({
    name: `CLIP-${i + 1}`,
    startMs: i * 60_000,
    endMs: (i + 1) * 60_000,
  })),
  { name: 'REST', startMs: PROTOCOL_SPANS.rest[0], endMs: PROTOCOL_SPANS.rest[1] },
];

/** Simulated viewers through the recordings' clip protocol, written as trace files with segments. */
async function simulatedTraces(dir: string, n: number): Promise<void> {
  for (const [i, p] of samplePopulation(11, n).entries()) {
    const samples = simulateSession(new ViewerSimulator(p));
    const header = { format: 'frisson-trace', version: 1, subject: `sim-${i}`, segments: SEGMENTS };
    await writeFile(
      join(dir, `sim-${i}.trace.jsonl`),
      [JSON.stringify(header), ...samples.map((s) => traceLine(s))].join('\n') + '\n',
    );
  }
}

describe('eval --replay (the estimator on recorded traces)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-replay-'));
    await simulatedTraces(dir, 3);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should take what the screen showed from the labelled segments', () => {
    assert.equal(segmentIntensity(SEGMENTS, 1_000), 0.9); // a clip opens with its scare
    assert.equal(segmentIntensity(SEGMENTS, 30_000), 0.5);
    assert.equal(segmentIntensity(SEGMENTS, 400_000), 0); // rest
  });

  it('should make a bad start read too high over its first seconds only', () => {
    const s = [0, 10_000, 30_000].map((t) => ({ t, bpm: 70, rr: [857] }));
    const bad = withBadStart(s, 20, 15);
    assert.equal(bad[0]?.bpm, 85);
    assert.equal(bad[1]?.bpm, 85);
    assert.deepEqual(bad[2], s[2]);
  });

  it('should report per person and segment, stay in [0, 1], sit low at rest and recover from a bad start', async () => {
    const r = await runReplayEvaluation(dir);
    assert.ok(r.success, r.success ? '' : r.error);
    assert.equal(r.data.persons.length, 3);
    for (const p of r.data.persons) {
      assert.equal(p.segments.length, 6, p.name);
      assert.ok(p.withinUnitInterval, `${p.name} left [0, 1]: ${p.range.min}–${p.range.max}`);
      const clips = p.segments.slice(1, 5).map((s) => s.estimate ?? 0);
      const rest = p.restFloor.estimateMean ?? 1;
      assert.ok(Math.min(...clips) > rest, `${p.name}: clips ${clips.join(', ')} vs rest ${rest}`);
      assert.ok(rest < 0.15, `${p.name}: resting floor ${rest}`);
      assert.ok(p.badStartRecoveryS <= 60, `${p.name}: recovered in ${p.badStartRecoveryS} s`);
    }
  });

  it('should say in one line what is wrong with a folder it cannot use', async () => {
    const r = await runReplayEvaluation(join(dir, 'missing'));
    assert.ok(!r.success);
    assert.match(r.error, /cannot read traces in .*missing \(no such folder\)/);
  });

  it('should hold on the real recordings in ../shared/physio (when present)', async function () {
    const real = [
      process.env.FRISSON_PHYSIO_TRACES,
      join(REPO_DIR, '..', 'shared', 'physio', 'traces'),
    ].find((d): d is string => d !== undefined && existsSync(d));
    if (!real) {
      const line =
        'needs the physio traces: set FRISSON_PHYSIO_TRACES or put them in ../shared/physio/traces';
      if (process.env.CI === 'true') throw new Error(line);
      console.log(`      skipped: ${line}`);
      this.skip();
    }
    this.timeout(60_000);
    const r = await runReplayEvaluation(real);
    assert.ok(r.success, r.success ? '' : r.error);
    assert.ok(r.data.summary.allWithinUnitInterval);
    assert.ok(
      r.data.summary.maxBadStartRecoveryS <= 60,
      `${r.data.summary.maxBadStartRecoveryS} s`,
    );
    for (const p of r.data.persons) assert.ok(p.restFloor.estimateMean !== null, p.name);
  });
});
