import assert from 'node:assert/strict';
import { LivePlaylist } from '../../../../media/playlist/live-playlist.js';
import { checkMediaPlaylist, PlaylistHistory } from '../../../support/playlist-conformance.js';

describe('LivePlaylist', () => {
  it('should render an EVENT playlist that an independent parser accepts', () => {
    const p = new LivePlaylist({ targetDuration: 1 });
    p.append({ uri: 'a/0.ts', duration: 1, discontinuity: false, title: 'a/calm' });
    p.append({ uri: 'a/1.ts', duration: 0.96, discontinuity: false, title: 'a/tense' });
    p.append({ uri: 'b/0.ts', duration: 1.04, discontinuity: true, title: 'b/calm' });
    const text = p.render();
    assert.match(text, /#EXT-X-PLAYLIST-TYPE:EVENT/);
    assert.match(text, /#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES/);
    const parsed = checkMediaPlaylist(text);
    assert.equal(parsed.segments.length, 3);
    assert.deepEqual(
      parsed.segments.map((s) => s.discontinuity),
      [false, false, true],
    );
    assert.equal(parsed.segments[1]?.duration, 0.96);
    assert.equal(parsed.endlist, false);
  });

  it('should never tag the very first segment as a discontinuity', () => {
    const p = new LivePlaylist({ targetDuration: 1 });
    p.append({ uri: 'x.ts', duration: 1, discontinuity: true, title: '' });
    assert.doesNotMatch(p.render(), /#EXT-X-DISCONTINUITY\n/);
  });

  it('should refuse a segment longer than the target duration allows', () => {
    const p = new LivePlaylist({ targetDuration: 1 });
    assert.throws(
      () => p.append({ uri: 'x.ts', duration: 1.6, discontinuity: false, title: '' }),
      RangeError,
    );
  });

  it('should keep media and discontinuity sequences consistent as a window slides', () => {
    const p = new LivePlaylist({ targetDuration: 1, windowSize: 3 });
    const history = new PlaylistHistory();
    for (let i = 0; i < 12; i++) {
      p.append({ uri: `s/${i}.ts`, duration: 1, discontinuity: i % 4 === 0, title: '' });
      const parsed = checkMediaPlaylist(p.render(), history);
      assert.ok(parsed.segments.length <= 3);
      assert.equal(parsed.segments.at(-1)?.msn, i);
    }
    assert.doesNotMatch(p.render(), /PLAYLIST-TYPE/);
  });

  it('should end with EXT-X-ENDLIST and accept nothing after it', () => {
    const p = new LivePlaylist({ targetDuration: 1 });
    p.append({ uri: 'a.ts', duration: 1, discontinuity: false, title: '' });
    p.end();
    const text = p.render();
    assert.match(text, /#EXT-X-ENDLIST\n$/);
    assert.doesNotMatch(text, /CAN-BLOCK-RELOAD/);
    assert.throws(() => p.append({ uri: 'b.ts', duration: 1, discontinuity: false, title: '' }));
  });

  it('should restore with the same numbering after a restart', () => {
    const p = new LivePlaylist({ targetDuration: 1 });
    for (let i = 0; i < 4; i++)
      p.append({ uri: `${i}.ts`, duration: 1, discontinuity: i === 2, title: '' });
    const q = LivePlaylist.restore({ targetDuration: 1 }, p.list(), false);
    assert.equal(q.render(), p.render());
    assert.equal(q.append({ uri: '4.ts', duration: 1, discontinuity: false, title: '' }), 4);
  });

  it('should render incrementally the same text as a full render, reusing shared lines', () => {
    const a = new LivePlaylist({ targetDuration: 2 });
    const b = new LivePlaylist({ targetDuration: 2 });
    const lines = new Map<string, string>();
    const url = (u: string): string => `/m/v-1/${u}`;
    const steps: Array<[string, number, boolean, string]> = [
      ['s/calm/0.ts', 1, false, 's/calm'],
      ['s/calm/1.ts', 1.5, false, 's/calm'],
      ['t/scare/0.ts', 2, true, 't/scare'],
    ];
    for (const [uri, duration, discontinuity, title] of steps) {
      for (const p of [a, b]) p.append({ uri, duration, discontinuity, title });
      assert.equal(a.renderIncremental('', url, lines), a.render(url));
      assert.equal(b.renderIncremental('', url, lines), b.render(url));
    }
    // One formatted line per distinct segment, shared by both playlists.
    assert.equal(lines.size, 3);
    a.end();
    assert.equal(a.renderIncremental('', url, lines), a.render(url));
    assert.match(a.renderIncremental('', url, lines), /#EXT-X-ENDLIST\n$/);
  });
});
