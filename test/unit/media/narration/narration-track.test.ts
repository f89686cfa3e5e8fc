import assert from 'node:assert/strict';
import * as HLS from 'hls-parser';
import { GrammarNarrator } from '../../../../media/narration/grammar-narrator.js';
import { NarrationTrack } from '../../../../media/narration/narration-track.js';
import { buildSubtitlePlaylist } from '../../../../media/narration/webvtt.js';
import { narrationRequest } from './narration-request-fixture.js';
import { parseWebVtt } from './webvtt-strict-parser.js';

const uri = (msn: number): string => `narration/${msn}.vtt`;

describe('NarrationTrack', () => {
  it('should place grammar lines as cues at their segment’s media time', async () => {
    const narrator = new GrammarNarrator();
    const track = new NarrationTrack({ segmentUri: uri, leadInSeconds: 0.5 });
    const durations = [4, 4.004, 3.5, 4];
    let start = 0;
    const expected: Array<{ msn: number; start: number; text: string }> = [];
    for (const [msn, duration] of durations.entries()) {
      track.addSegment({ msn, start, duration });
      if (msn % 2 === 0) {
        const line = await narrator.narrate(narrationRequest({ msn }));
        const cue = track.schedule(msn, line);
        assert.ok(cue);
        expected.push({ msn, start: start + 0.5, text: line.text });
      }
      start += duration;
    }

    const playlist = HLS.parse(track.playlist({ playlistType: 'EVENT' }));
    assert.ok(!playlist.isMasterPlaylist);
    if (playlist.isMasterPlaylist) return;
    assert.deepEqual(
      playlist.segments.map((s) => s.uri),
      durations.map((_, i) => uri(i)),
    );

    for (const e of expected) {
      const vtt = track.segmentVtt(e.msn);
      assert.ok(vtt);
      const { cues, timestampMap } = parseWebVtt(vtt);
      const window = playlist.segments[e.msn];
      assert.ok(window);
      const segStart = durations.slice(0, e.msn).reduce((a, b) => a + b, 0);
      assert.deepEqual(timestampMap, {
        mpegts: Math.round(segStart * 90_000),
        local: Math.round(segStart * 1000) / 1000,
      });
      const cue = cues.find((c) => c.id === `n${e.msn}`);
      assert.ok(cue, `cue n${e.msn} in segment ${e.msn}`);
      assert.equal(cue.start, Math.round(e.start * 1000) / 1000);
      assert.equal(cue.text, e.text);
      assert.ok(cue.end - cue.start >= 1.5);
    }
    assert.equal(
      parseWebVtt(track.segmentVtt(1) ?? '').cues.every((c) => c.id === 'n0'),
      true,
    );
  });

  it('should shorten a cue that a newer line overlaps', () => {
    const track = new NarrationTrack({ segmentUri: uri, leadInSeconds: 0 });
    track.addSegment({ msn: 0, start: 0, duration: 2 });
    track.addSegment({ msn: 1, start: 2, duration: 2 });
    const long =
      'A line long enough to need many seconds to read aloud, far longer than one segment.';
    track.schedule(0, { text: long, locale: 'en', source: 'grammar' });
    track.schedule(1, { text: 'Now.', locale: 'en', source: 'llm' });
    const [first, second] = track.cues();
    assert.equal(first?.end, 2);
    assert.equal(second?.start, 2);
  });

  it('should give CJK lines reading time by character', () => {
    const track = new NarrationTrack({ segmentUri: uri, leadInSeconds: 0 });
    track.addSegment({ msn: 0, start: 0, duration: 4 });
    const cue = track.schedule(0, {
      text: '你的心跳越来越快了。它听得见。',
      locale: 'zh-CN',
      source: 'grammar',
    });
    assert.ok(cue);
    assert.ok(cue.end - cue.start > 3, `${cue.end - cue.start}`);
  });

  it('should refuse unknown segments and empty lines', () => {
    const track = new NarrationTrack({ segmentUri: uri });
    track.addSegment({ msn: 5, start: 20, duration: 4 });
    assert.equal(track.schedule(6, { text: 'x', locale: 'en', source: 'grammar' }), undefined);
    assert.equal(track.schedule(5, { text: ' ', locale: 'en', source: 'grammar' }), undefined);
    assert.equal(track.segmentVtt(4), undefined);
  });

  it('should slide the window, prune old cues and count dropped discontinuities', () => {
    const track = new NarrationTrack({
      segmentUri: uri,
      maxSegments: 2,
      leadInSeconds: 0,
      maxCueSeconds: 2,
      timestampMap: (w) => ({ mpegts: 126000 + Math.round(w.start * 90000), local: w.start }),
    });
    track.addSegment({ msn: 0, start: 0, duration: 4 });
    track.schedule(0, { text: 'old', locale: 'en', source: 'grammar' });
    track.addSegment({ msn: 1, start: 4, duration: 4, discontinuity: true });
    track.addSegment({ msn: 2, start: 8, duration: 4 });
    track.addSegment({ msn: 3, start: 12, duration: 4 });
    assert.equal(track.cues().length, 0);
    const playlist = HLS.parse(track.playlist());
    assert.ok(!playlist.isMasterPlaylist);
    if (playlist.isMasterPlaylist) return;
    assert.equal(playlist.mediaSequenceBase, 2);
    assert.equal(playlist.discontinuitySequenceBase, 1);
    assert.deepEqual(parseWebVtt(track.segmentVtt(3) ?? '').timestampMap, {
      mpegts: 126000 + 12 * 90000,
      local: 12,
    });
  });

  it('should map each segment onto its own clip’s PTS across discontinuities', () => {
    const track = new NarrationTrack({ segmentUri: uri, leadInSeconds: 0, ptsOffsetSeconds: 1.4 });
    track.addSegment({ msn: 0, start: 0, duration: 4, clipTime: 0 });
    track.addSegment({ msn: 1, start: 4, duration: 4, clipTime: 4 });
    track.addSegment({ msn: 2, start: 8, duration: 4, clipTime: 0, discontinuity: true });
    track.schedule(2, { text: 'New scene.', locale: 'en', source: 'grammar' });
    const seg = parseWebVtt(track.segmentVtt(2) ?? '');
    assert.deepEqual(seg.timestampMap, { mpegts: 126_000, local: 8 });
    // The cue at session time 8 s lands on PTS 126000 of the new clip: its first frame (+1.4 s offset).
    const cue = seg.cues[0];
    assert.ok(cue);
    assert.equal(seg.timestampMap.mpegts + (cue.start - seg.timestampMap.local) * 90_000, 126_000);
    assert.deepEqual(parseWebVtt(track.segmentVtt(1) ?? '').timestampMap, {
      mpegts: 486_000,
      local: 4,
    });
  });

  it('should write, after every registration, the same playlist text as building it from scratch (EVENT and sliding)', () => {
    for (const maxSegments of [undefined, 3]) {
      const track = new NarrationTrack({ segmentUri: uri, maxSegments });
      const windows: Array<{
        msn: number;
        start: number;
        duration: number;
        uri: string;
        discontinuity?: boolean;
      }> = [];
      let dropped = 0;
      let start = 0;
      for (let msn = 0; msn < 12; msn++) {
        const duration = msn % 5 === 4 ? 0.96 : 1;
        const discontinuity = msn % 4 === 3 ? true : undefined;
        track.addSegment({ msn, start, duration, ...(discontinuity ? { discontinuity } : {}) });
        windows.push({
          msn,
          start,
          duration,
          uri: uri(msn),
          ...(discontinuity ? { discontinuity } : {}),
        });
        while (maxSegments !== undefined && windows.length > maxSegments) {
          if (windows.shift()?.discontinuity) dropped++;
        }
        start += duration;
        for (const endList of [false, true]) {
          const opts = { playlistType: 'EVENT' as const, targetDuration: 1, endList };
          assert.equal(
            track.playlist(opts),
            buildSubtitlePlaylist(windows, {
              ...opts,
              discontinuitySequence: dropped > 0 ? dropped : undefined,
            }),
            `msn ${msn}, maxSegments ${maxSegments}, endList ${endList}`,
          );
        }
        assert.ok(track.segmentVtt(msn)?.startsWith('WEBVTT'));
      }
    }
  });
});
