import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceLine } from '../../../../sensors/trace/trace-format.js';
import {
  comparePhysioCommand,
  type ComparePhysioReport,
} from '../../../../tools/commands/compare-physio-command.js';
import { PROTOCOL_SPANS, simulateSession } from '../../../../sensors/simulator/physio-compare.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';

function capture(): {
  io: { out(s: string): void; err(s: string): void };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

describe('frisson sensors compare-physio', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'frisson-physio-'));
    // A "recording" made by the simulator, with the physio traces' header segments.
    const header = {
      format: 'frisson-trace',
      version: 1,
      subject: 'SIM1',
      segments: [
        { name: 'CLIP-1', startMs: PROTOCOL_SPANS.clips[0], endMs: PROTOCOL_SPANS.clips[1] },
        {
          name: 'BIOFEEDBACK-REST',
          startMs: PROTOCOL_SPANS.rest[0],
          endMs: PROTOCOL_SPANS.rest[1],
        },
      ],
    };
    const samples = simulateSession(new ViewerSimulator(samplePopulation(2, 1)[0]!));
    const lines = [JSON.stringify(header), ...samples.map((s) => traceLine(s))];
    writeFileSync(join(dir, 'SIM1.trace.jsonl'), `${lines.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should print the same statistics for the traces and a simulated audience as JSON', async () => {
    const c = capture();
    const code = await comparePhysioCommand(
      { real: dir, populations: ['low-reactivity', 'default'], viewers: 3, seed: 4, json: true },
      c.io,
    );
    assert.equal(code, 0, c.err.join(''));
    const r = JSON.parse(c.out.join('')) as ComparePhysioReport;
    assert.deepEqual(
      r.real.persons.map((p) => p.name),
      ['SIM1'],
    );
    assert.equal(r.real.summary.restRmssdMs.n, 1);
    assert.ok(Number.isFinite(r.real.persons[0]!.stats.hrClipsMinusRest));
    assert.equal(r.simulated[0]!.viewers, 3);
    assert.equal(r.simulated[0]!.summary.restRmssdMs.n, 3);
  });

  it('should print a table with one row per statistic', async () => {
    const c = capture();
    assert.equal(
      await comparePhysioCommand(
        { real: dir, populations: ['default'], viewers: 2, seed: 4 },
        c.io,
      ),
      0,
    );
    const text = c.out.join('');
    assert.match(text, /^statistic +real \(n = 1\) +default \(n = 2\)$/m);
    assert.match(text, /^resting RMSSD \(ms\) +\d+ +\d+ ± \d+$/m);
    assert.match(text, /^real people one by one:$/m);
  });

  it('should exit 1 with one line for an unknown population or a bad population file', async () => {
    const c = capture();
    const opts = { real: dir, viewers: 1, seed: 1 };
    assert.equal(await comparePhysioCommand({ ...opts, populations: ['nervous'] }, c.io), 1);
    assert.equal(
      c.err.join(''),
      'frisson: unknown population nervous: use default, low-reactivity, noisy-sensors or the path of a .yaml/.json file\n',
    );
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'params:\n  cardiacReactivity: { dist: uniform, min: 5, max: 1 }\n');
    const d = capture();
    assert.equal(await comparePhysioCommand({ ...opts, populations: ['default', file] }, d.io), 1);
    assert.equal(d.err.join(''), `frisson: ${file}: params.cardiacReactivity.max: must be ≥ min\n`);
    assert.deepEqual(d.out, [], 'nothing printed before the error');
  });

  it('should exit 1 with one line for a missing folder or a bad trace', async () => {
    const c = capture();
    assert.equal(
      await comparePhysioCommand(
        { real: join(dir, 'nope'), populations: ['default'], viewers: 1, seed: 1 },
        c.io,
      ),
      1,
    );
    assert.match(
      c.err.join(''),
      /^frisson: cannot read the real traces in .*nope \(no such folder\); pass --real/,
    );
    assert.equal(c.err.join('').trim().split('\n').length, 1);
    const bad = mkdtempSync(join(tmpdir(), 'frisson-physio-bad-'));
    try {
      writeFileSync(
        join(bad, 'X.trace.jsonl'),
        '{"format":"frisson-trace","version":1}\n{"t":1}\n',
      );
      const d = capture();
      assert.equal(
        await comparePhysioCommand(
          { real: bad, populations: ['default'], viewers: 1, seed: 1 },
          d.io,
        ),
        1,
      );
      assert.match(d.err.join(''), /X\.trace\.jsonl: the header has no segments/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
