import assert from 'node:assert/strict';
import { LivePlaylist } from '../../../../media/playlist/live-playlist.js';
import { parseMediaPlaylist } from '../../../../tools/load/home-player.js';

describe('parseMediaPlaylist', () => {
  it('should number segments from EXT-X-MEDIA-SEQUENCE and see the ENDLIST', () => {
    // A playlist as the server writes it (media/playlist/live-playlist.ts), sliding window of 2.
    const pl = new LivePlaylist({ targetDuration: 2, windowSize: 2 });
    pl.append({ uri: 'a.ts', duration: 1, discontinuity: false, title: 'x/calm' });
    pl.append({ uri: 'b.ts', duration: 1.5, discontinuity: true, title: 'y/tense' });
    pl.append({ uri: 'c.ts', duration: 2, discontinuity: false, title: 'y/tense' });
    const live = parseMediaPlaylist(pl.render((u) => `/m/${u}`));
    assert.deepEqual(live, {
      segments: [
        { msn: 1, duration: 1.5, uri: '/m/b.ts' },
        { msn: 2, duration: 2, uri: '/m/c.ts' },
      ],
      ended: false,
    });
    pl.end();
    assert.equal(parseMediaPlaylist(pl.render()).ended, true);
  });
});
