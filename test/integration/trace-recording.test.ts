/** Live sample streams are recorded as trace files (with consent) that the sensors parser reads back. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace } from '../../sensors/trace/trace-format.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

describe('trace recording', () => {
  let t: TestServer;
  let dir: string;
  const sockets: ViewerClient[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-traces-'));
    t = await startTestServer({ traceDir: dir });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should record a consenting viewer and never one who did not consent', async () => {
    const yes = await createSession(t.url, { consent: true });
    const no = await createSession(t.url, { consent: false });
    const a = await connectViewer(t.url, yes);
    const b = await connectViewer(t.url, no);
    sockets.push(a, b);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await emitWithAck(a, 'sample', { bpm: 70 + i, rr: [850, 860] }), {
        ok: true,
      });
      assert.deepEqual(await emitWithAck(b, 'sample', { bpm: 70 + i }), { ok: true });
    }
    // A rejected sample is not recorded.
    assert.equal((await emitWithAck(a, 'sample', { bpm: -1 })).ok, false);
    await t.server.traces?.close();
    const parsed = parseTrace(await readFile(join(dir, `${yes.id}.trace.jsonl`), 'utf8'));
    assert.ok(parsed.success, JSON.stringify(parsed));
    if (parsed.success) {
      assert.deepEqual(
        parsed.data.samples.map((s) => s.bpm),
        [70, 71, 72, 73, 74],
      );
      assert.deepEqual(parsed.data.samples[0]?.rr, [850, 860]);
    }
    assert.equal(existsSync(join(dir, `${no.id}.trace.jsonl`)), false);
  });
});
