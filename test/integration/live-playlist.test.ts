/**
 * A session's live playlist over real HTTP on the real demo package: accepted by an independent
 * parser on every reload, keyframe at the start of every served segment (ffprobe on the bytes the
 * server sends), grows as the playhead advances, blocks on `_HLS_msn`, ends with ENDLIST.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpegTools } from '../../media/ffmpeg/ffmpeg-tools.js';
import { probeSegment } from '../../media/ffmpeg/probe-media.js';
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

describe('live session playlist (demo story, real HTTP)', function () {
  this.timeout(180_000);
  let t: TestServer;
  let socket: ViewerClient | undefined;

  before(async () => {
    t = await startTestServer({ story: await ensureDemoStory() });
  });
  after(async () => {
    socket?.close();
    await t.close();
  });

  it('should serve a conformant playlist that grows to an ending, keyframe first in every segment', async () => {
    const s = await createSession(t.url);
    socket = await connectViewer(t.url, s);
    const history = new PlaylistHistory();
    const get = async (query = ''): Promise<string> => {
      const res = await fetch(`${s.playlistUrl}${query}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /mpegurl/);
      return res.text();
    };

    const first = checkMediaPlaylist(await get(), history);
    assert.ok(
      first.segments.length >= 1 && first.segments.length <= 3,
      'only a short horizon is published',
    );
    assert.equal(first.endlist, false);

    // Blocking reload: ask for the next msn, then move the playhead so it gets published.
    const next = first.segments.length;
    const blocked = get(`&_HLS_msn=${next}`);
    await emitWithAck(socket, 'playhead', { position: first.segments.length });
    const grown = checkMediaPlaylist(await blocked, history);
    assert.ok(grown.segments.length > next, 'blocking reload returned before the segment existed');

    // Play through: report the playhead at the published edge until the story ends.
    let pl = grown;
    for (let i = 0; i < 400 && !pl.endlist; i++) {
      const edge = pl.segments.reduce((a, x) => a + x.duration, 0);
      await emitWithAck(socket, 'playhead', { position: edge });
      pl = checkMediaPlaylist(await get(`&_HLS_msn=${pl.segments.length}`), history);
    }
    assert.equal(pl.endlist, true, 'the story never reached an ending');
    assert.ok(pl.segments.length >= 8, `expected a full path, got ${pl.segments.length} segments`);
    assert.ok(
      pl.segments.some((x) => x.discontinuity),
      'scene changes must be discontinuities',
    );

    // Every served segment starts with a keyframe and lasts what EXTINF says.
    const tools = resolveFfmpegTools();
    for (const seg of pl.segments) {
      const res = await fetch(new URL(seg.uri, t.url));
      assert.equal(res.status, 200, seg.uri);
      assert.equal(res.headers.get('content-type'), 'video/mp2t');
      const file = join(t.dir, `seg-${seg.msn}.ts`);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      const timing = await probeSegment(tools, file);
      assert.equal(timing.startsWithKeyframe, true, `${seg.uri} does not start with a keyframe`);
      assert.ok(
        Math.abs(timing.duration - seg.duration) < 0.041,
        `${seg.uri}: EXTINF ${seg.duration} vs ${timing.duration}`,
      );
    }

    // The decision log matches the playlist, msn for msn.
    const decisions = await t.server.store.listDecisions(s.id);
    assert.deepEqual(
      decisions.map((d) => d.msn),
      pl.segments.map((x) => x.msn),
    );
  });

  it('should answer 503 when a blocked msn is not published in time', async () => {
    const s = await createSession(t.url);
    const paused = await connectViewer(t.url, s);
    try {
      // A paused player: the playhead stays at 0, so nothing more becomes due.
      await emitWithAck(paused, 'playhead', { position: 0, paused: true });
      const first = checkMediaPlaylist(await (await fetch(s.playlistUrl)).text());
      const next = (first.segments.at(-1)?.msn ?? 0) + 2; // allowed, but never published in time
      const res = await fetch(`${s.playlistUrl}&_HLS_msn=${next}`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
    } finally {
      paused.close();
    }
  });

  it('should refuse an msn more than two beyond the last with 400 (RFC 8216bis §6.2.5.2)', async () => {
    const s = await createSession(t.url);
    const res = await fetch(`${s.playlistUrl}&_HLS_msn=50`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'FRISSON_ERR_INVALID_PAYLOAD');
  });
});
