import assert from 'node:assert/strict';
import * as HLS from 'hls-parser';
import {
  buildSubtitlePlaylist,
  buildWebVtt,
  buildWebVttSegment,
  formatVttTimestamp,
  subtitleRenditionTag,
} from '../../../../media/narration/webvtt.js';
import { parseWebVtt } from './webvtt-strict-parser.js';

describe('webvtt', () => {
  it('should format timestamps as hh:mm:ss.ttt', () => {
    assert.equal(formatVttTimestamp(0), '00:00:00.000');
    assert.equal(formatVttTimestamp(3725.5), '01:02:05.500');
    assert.equal(formatVttTimestamp(59.9996), '00:01:00.000');
    assert.equal(formatVttTimestamp(-1), '00:00:00.000');
  });

  it('should build a WebVTT file whose cues parse back with the same times', () => {
    const cues = [
      { start: 12.25, end: 15.5, text: 'Don\u2019t turn around.', id: 'n3' },
      { start: 4, end: 6.75, text: '它就在你身后。' },
      { start: 3601.001, end: 3603, text: 'An hour in.' },
    ];
    const parsed = parseWebVtt(buildWebVtt(cues));
    assert.equal(parsed.timestampMap, undefined);
    assert.deepEqual(parsed.cues, [
      { start: 4, end: 6.75, text: '它就在你身后。' },
      { id: 'n3', start: 12.25, end: 15.5, text: 'Don\u2019t turn around.' },
      { start: 3601.001, end: 3603, text: 'An hour in.' },
    ]);
  });

  it('should write the RFC 8216 §3.5 X-TIMESTAMP-MAP header and wrap MPEGTS at 2^33', () => {
    const text = buildWebVtt([], { timestampMap: { mpegts: 900000 } });
    assert.equal(text, 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n');
    assert.deepEqual(parseWebVtt(text).timestampMap, { mpegts: 900000, local: 0 });
    const wrapped = parseWebVtt(
      buildWebVtt([], { timestampMap: { mpegts: 2 ** 33 + 5, local: 8 } }),
    );
    assert.deepEqual(wrapped.timestampMap, { mpegts: 5, local: 8 });
  });

  it('should escape markup and keep multi-line text inside one cue', () => {
    const text = buildWebVtt([{ start: 1, end: 2, text: 'a < b && c --> d\n\n\nsecond line' }]);
    const [cue] = parseWebVtt(text).cues;
    assert.equal(cue?.text, 'a < b && c --> d\nsecond line');
    assert.ok(text.includes('a &lt; b &amp;&amp; c --&gt; d\nsecond line\n'));
  });

  it('should skip empty and zero-length cues', () => {
    const parsed = parseWebVtt(
      buildWebVtt([
        { start: 1, end: 1, text: 'x' },
        { start: 1, end: 2, text: '  ' },
      ]),
    );
    assert.deepEqual(parsed.cues, []);
  });

  it('should put every cue overlapping a window into that segment', () => {
    const cues = [
      { start: 1, end: 3, text: 'first' },
      { start: 3.5, end: 5, text: 'spans' },
      { start: 9, end: 10, text: 'later' },
    ];
    const seg0 = parseWebVtt(
      buildWebVttSegment({ start: 0, duration: 4 }, cues, { mpegts: 126000 }),
    );
    const seg1 = parseWebVtt(
      buildWebVttSegment({ start: 4, duration: 4 }, cues, { mpegts: 126000 }),
    );
    assert.deepEqual(
      seg0.cues.map((c) => c.text),
      ['first', 'spans'],
    );
    assert.deepEqual(
      seg1.cues.map((c) => [c.text, c.start, c.end]),
      [['spans', 3.5, 5]],
    );
    assert.deepEqual(seg1.timestampMap, { mpegts: 126000, local: 0 });
  });

  it('should build a subtitle media playlist that an HLS parser reads back', () => {
    const text = buildSubtitlePlaylist(
      [
        { msn: 10, start: 40, duration: 4.004, uri: 'n/10.vtt' },
        { msn: 11, start: 44.004, duration: 3.5, uri: 'n/11.vtt', discontinuity: true },
      ],
      { playlistType: 'EVENT', endList: true },
    );
    const playlist = HLS.parse(text);
    assert.ok(!playlist.isMasterPlaylist);
    if (playlist.isMasterPlaylist) return;
    assert.equal(playlist.targetDuration, 5);
    assert.equal(playlist.mediaSequenceBase, 10);
    assert.equal(playlist.playlistType, 'EVENT');
    assert.equal(playlist.endlist, true);
    assert.deepEqual(
      playlist.segments.map((s) => [
        s.uri,
        s.duration,
        s.mediaSequenceNumber,
        Boolean(s.discontinuity),
      ]),
      [
        ['n/10.vtt', 4.004, 10, false],
        ['n/11.vtt', 3.5, 11, true],
      ],
    );
    for (const s of playlist.segments) assert.ok(Math.round(s.duration) <= playlist.targetDuration);
  });

  it('should write an EXT-X-MEDIA subtitles rendition a multivariant playlist can reference', () => {
    const tag = subtitleRenditionTag({
      groupId: 'narration',
      name: '中文旁白',
      language: 'zh-CN',
      uri: 'narration/zh-CN.m3u8',
      default: true,
    });
    const master = HLS.parse(
      [
        '#EXTM3U',
        tag,
        '#EXT-X-STREAM-INF:BANDWIDTH=1500000,SUBTITLES="narration"',
        'v/720.m3u8',
        '',
      ].join('\n'),
    );
    assert.ok(master.isMasterPlaylist);
    if (!master.isMasterPlaylist) return;
    const [variant] = master.variants;
    const [sub] = variant?.subtitles ?? [];
    assert.equal(sub?.type, 'SUBTITLES');
    assert.equal(sub?.groupId, 'narration');
    assert.equal(sub?.language, 'zh-CN');
    assert.equal(sub?.name, '中文旁白');
    assert.equal(sub?.uri, 'narration/zh-CN.m3u8');
    assert.equal(sub?.isDefault, true);
  });
});
