import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace, type TraceSample } from '../../../../sensors/trace/trace-format.js';
import type { Session } from '../../../../server/session/session.js';
import { TraceService } from '../../../../server/session/trace-service.js';

/** The two events TraceService listens to, from a real EventEmitter. */
function fakeSession(id: string): Session & EventEmitter {
  return Object.assign(new EventEmitter(), { id }) as unknown as Session & EventEmitter;
}

const samplesOf = (path: string): TraceSample[] => {
  const r = parseTrace(readFileSync(path, 'utf8'));
  assert.ok(r.success, JSON.stringify(r));
  return r.data.samples;
};

describe('TraceService', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-trace-service-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should remove one seat from a file still being recorded, and keep recording the others', async () => {
    const traces = new TraceService(join(dir, 't'));
    const s = fakeSession('show-1');
    traces.attach(s);
    for (let i = 0; i < 4; i++) {
      s.emit('sample', { t: 1000 + i, seat: 'A1', bpm: 71 });
      s.emit('sample', { t: 1000 + i, seat: 'A2', bpm: 82 });
    }
    const erasing = traces.erase('show-1', 'A1');
    // Arriving while the file is rewritten: held, then written (A2) or dropped (A1).
    s.emit('sample', { t: 2000, seat: 'A1', bpm: 71 });
    s.emit('sample', { t: 2000, seat: 'A2', bpm: 83 });
    assert.deepEqual(await erasing, { files: 1, samples: 5 });
    s.emit('sample', { t: 3000, seat: 'A2', bpm: 84 });
    await traces.close();
    const path = traces.pathFor('show-1');
    assert.deepEqual(
      samplesOf(path).map((x) => `${x.seat}:${x.bpm}`),
      ['A2:82', 'A2:82', 'A2:82', 'A2:82', 'A2:83', 'A2:84'],
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 't')).mode & 0o777, 0o700);
  });

  it('should delete a whole session file on erase and purge by sample time', async () => {
    const traces = new TraceService(dir);
    const a = fakeSession('a');
    const b = fakeSession('b');
    traces.attach(a);
    traces.attach(b);
    for (const t of [100, 200, 300]) {
      a.emit('sample', { t, bpm: 60 });
      b.emit('sample', { t, bpm: 90 });
    }
    assert.deepEqual(await traces.erase('a'), { files: 1, samples: 3 });
    assert.equal(existsSync(traces.pathFor('a')), false);
    assert.deepEqual(await traces.purgeBefore(250), { files: 1, samples: 2 });
    assert.deepEqual(await traces.purgeBefore(250), { files: 0, samples: 0 });
    b.emit('sample', { t: 400, bpm: 91 });
    await traces.close();
    assert.deepEqual(
      samplesOf(traces.pathFor('b')).map((x) => x.t),
      [300, 400],
    );
  });
});
