/**
 * The learned director inside the real server: decisions come from the ONNX model (batched per
 * tick), never exceed the viewer's cap, and a corrupt model file only means the rule answers —
 * the session still plays to its ending with no missing segment.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoStory } from '../support/demo-story.js';
import { checkMediaPlaylist, PlaylistHistory } from '../support/playlist-conformance.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

async function playToEnd(t: TestServer, maxIntensity: number): Promise<string> {
  const s = await createSession(t.url, { maxIntensity });
  const socket: ViewerClient = await connectViewer(t.url, s);
  try {
    const history = new PlaylistHistory();
    let pl = checkMediaPlaylist(await (await fetch(s.playlistUrl)).text(), history);
    for (let i = 0; i < 400 && !pl.endlist; i++) {
      await emitWithAck(socket, 'sample', { bpm: 70 + (i % 30), rr: [850 - (i % 30) * 8] });
      const edge = pl.segments.reduce((a, x) => a + x.duration, 0);
      await emitWithAck(socket, 'playhead', { position: edge });
      pl = checkMediaPlaylist(
        await (await fetch(`${s.playlistUrl}&_HLS_msn=${pl.segments.length}`)).text(),
        history,
      );
    }
    assert.equal(pl.endlist, true, 'the session never reached its ending');
    return s.id;
  } finally {
    socket.close();
  }
}

describe('learned director in the server', function () {
  this.timeout(180_000);
  let story: string;
  before(async () => {
    story = await ensureDemoStory();
  });

  it('should decide with the ONNX model, batched, within the viewer cap', async () => {
    const t = await startTestServer({ story, picker: 'director' });
    try {
      assert.equal(await t.server.director?.ready, true, 'the committed model did not load');
      const id = await playToEnd(t, 0.5);
      const decisions = await t.server.store.listDecisions(id);
      const intensity = new Map(t.server.story.levels.map((l) => [l.id, l.intensity]));
      assert.ok(
        decisions.every((d) => (intensity.get(d.level) ?? 1) <= 0.5),
        'cap exceeded',
      );
      assert.ok(
        decisions.some((d) => d.picker.startsWith('onnx')),
        `no ONNX decision: ${[...new Set(decisions.map((d) => d.picker))].join(',')}`,
      );
      assert.ok((t.server.director?.stats.decisions ?? 0) >= decisions.length);
    } finally {
      await t.close();
    }
  });

  it('should play to the end on the rule picker when the model file is corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-model-'));
    const corrupt = join(dir, 'corrupt.onnx');
    await writeFile(corrupt, 'not an onnx model');
    const t = await startTestServer({ story, picker: 'director', model: corrupt });
    try {
      assert.equal(await t.server.director?.ready, false);
      const id = await playToEnd(t, 1);
      const decisions = await t.server.store.listDecisions(id);
      assert.ok(decisions.length >= 8);
      assert.ok(decisions.every((d) => !d.picker.startsWith('onnx')));
      assert.deepEqual(
        decisions.map((d) => d.msn),
        decisions.map((_, i) => i),
      );
    } finally {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
