/**
 * The narration subtitle rendition of a live session, over real HTTP on the demo package: the
 * multivariant playlist names it, its playlist mirrors the video playlist msn for msn (with the
 * same discontinuities), and every line sent on the socket is a WebVTT cue at its media time.
 */
import * as HLS from 'hls-parser';
import assert from 'node:assert/strict';
import { ensureDemoStory } from '../support/demo-story.js';
import { checkMediaPlaylist } from '../support/playlist-conformance.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';
import type { NarrationEvent } from '../../contracts/wire.js';

/** Strict-enough WebVTT reader for our own output: header map + cues. */
function parseVtt(text: string): {
  mpegts: number;
  local: number;
  cues: Array<{ start: number; end: number; text: string }>;
} {
  assert.match(text, /^WEBVTT\n/);
  const map = /X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:(\d+):(\d{2}):(\d{2})\.(\d{3})/.exec(text);
  assert.ok(map, 'missing X-TIMESTAMP-MAP');
  const ts = (h: string, m: string, s: string, ms: string) => +h * 3600 + +m * 60 + +s + +ms / 1000;
  const cues = [
    ...text.matchAll(
      /(\d+):(\d{2}):(\d{2})\.(\d{3}) --> (\d+):(\d{2}):(\d{2})\.(\d{3})[^\n]*\n([^\n]+)/g,
    ),
  ].map((m) => ({
    start: ts(m[1]!, m[2]!, m[3]!, m[4]!),
    end: ts(m[5]!, m[6]!, m[7]!, m[8]!),
    text: m[9]!,
  }));
  return { mpegts: Number(map[1]), local: ts(map[2]!, map[3]!, map[4]!, map[5]!), cues };
}

describe('narration subtitle rendition (demo story, real HTTP)', function () {
  this.timeout(120_000);
  let t: TestServer;
  let socket: ViewerClient | undefined;

  before(async () => {
    t = await startTestServer({ story: await ensureDemoStory() });
  });
  after(async () => {
    socket?.close();
    await t.close();
  });

  it('should carry every narration line as a cue at its media time', async () => {
    const s = await createSession(t.url);
    socket = await connectViewer(t.url, s);
    const lines: NarrationEvent[] = [];
    socket.on('narration', (n) => lines.push(n));

    const master = HLS.parse(await (await fetch(s.masterUrl)).text());
    assert.ok(master.isMasterPlaylist);
    const subs = master.variants[0]?.subtitles[0];
    assert.ok(subs?.uri, 'the multivariant playlist names no subtitle rendition');

    // Play ~14 s of story (several scenes) by moving the playhead.
    let video = checkMediaPlaylist(await (await fetch(s.playlistUrl)).text());
    for (let i = 0; i < 40 && video.segments.length < 14; i++) {
      const edge = video.segments.reduce((a, x) => a + x.duration, 0);
      await emitWithAck(socket, 'playhead', { position: edge });
      video = checkMediaPlaylist(
        await (await fetch(`${s.playlistUrl}&_HLS_msn=${video.segments.length}`)).text(),
      );
    }
    await new Promise((r) => setTimeout(r, 300)); // narration settles beside the publish path

    const subsUrl = new URL(subs.uri, s.masterUrl);
    const subtitle = checkMediaPlaylist(await (await fetch(subsUrl)).text());
    video = checkMediaPlaylist(await (await fetch(s.playlistUrl)).text());
    assert.equal(subtitle.targetDuration, video.targetDuration);
    const n = Math.min(subtitle.segments.length, video.segments.length);
    assert.ok(n >= 12, `subtitle playlist too short: ${subtitle.segments.length}`);
    assert.deepEqual(
      subtitle.segments.slice(0, n).map((x) => [x.msn, x.discontinuity, x.duration]),
      video.segments.slice(0, n).map((x) => [x.msn, x.discontinuity, x.duration]),
    );
    assert.ok(lines.length >= 2, `expected narration lines, got ${lines.length}`);

    let start = 0;
    let clipTime = 0;
    let found = 0;
    for (const [i, seg] of subtitle.segments.entries()) {
      if (seg.discontinuity) clipTime = 0;
      const vtt = parseVtt(await (await fetch(new URL(seg.uri, subsUrl))).text());
      // The map ties session time `start` to the PTS of this segment inside its own clip.
      assert.equal(vtt.mpegts, Math.round(clipTime * 90_000), `msn ${seg.msn} MPEGTS`);
      assert.ok(Math.abs(vtt.local - start) < 0.002, `msn ${seg.msn} LOCAL`);
      for (const line of lines.filter((l) => l.msn === seg.msn)) {
        const cue = vtt.cues.find((c) => c.text === line.text);
        assert.ok(cue, `line "${line.text}" missing from msn ${seg.msn}`);
        assert.ok(
          cue.start >= start && cue.start < start + seg.duration,
          'cue outside its segment',
        );
        assert.ok(Math.abs(cue.start - line.start) < 0.002);
        found++;
      }
      start += seg.duration;
      clipTime += seg.duration;
      void i;
    }
    assert.equal(found, lines.filter((l) => l.msn <= (subtitle.segments.at(-1)?.msn ?? -1)).length);
  });
});
