import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { filmSceneForMood } from '../../../../media/render/film-scene.js';
import {
  filmAssetJobs,
  filmClipKey,
  filmEncodeArgs,
} from '../../../../media/render/render-film-clip.js';

const encode = {
  width: 1280,
  height: 720,
  frameRate: 24,
  segmentDuration: 1,
  level: '3.1',
  maxrateKbps: 3000,
  crf: 23,
};

describe('film clip rendering', () => {
  it('should encode as the packager does: baseline, one closed GOP per segment, a keyframe at every segment start (RFC 8216 alignment)', () => {
    const args = filmEncodeArgs(encode);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    assert.equal(value('-profile:v'), 'baseline');
    assert.equal(value('-g'), '24');
    assert.equal(value('-keyint_min'), '24');
    assert.equal(value('-sc_threshold'), '0');
    assert.equal(value('-force_key_frames'), 'expr:gte(t,n_forced*1)');
    assert.equal(value('-maxrate'), '3000k');
    assert.equal(value('-crf'), '23');
    assert.match(value('-x264-params') ?? '', /repeat-headers=1/);
    assert.equal(
      filmEncodeArgs({ ...encode, frameRate: 25, segmentDuration: 2 })[
        filmEncodeArgs({ ...encode, frameRate: 25, segmentDuration: 2 }).indexOf('-g') + 1
      ],
      '50',
    );
  });

  it('should key a clip by what it looks and sounds like, not where it is', () => {
    const scene = filmSceneForMood({ index: 1, mood: 'dread', seconds: 8, title: 'Cellar' });
    const key = (intensity: number, captions = 'Cellar') =>
      filmClipKey({ scene, intensity, encode }, captions);
    assert.equal(key(1), key(1));
    assert.notEqual(key(1), key(0.5));
    assert.notEqual(key(1), key(1, 'Attic'));
    assert.notEqual(
      key(1),
      filmClipKey({ scene: { ...scene, root: scene.root + 1 }, intensity: 1, encode }, 'Cellar'),
    );
    const a = filmAssetJobs('/one/place', encode, ['corridor']).map((j) => j.file.split('/').pop());
    const b = filmAssetJobs('/another', encode, ['corridor']).map((j) => j.file.split('/').pop());
    assert.deepEqual(a, b);
  });

  it('should give a theme scene a set for its mood and one scare inside the clip, mid-segment', () => {
    const s = filmSceneForMood({ index: 6, mood: 'terror', seconds: 8, title: 'The Door' });
    assert.equal(s.setting, 'doorway');
    assert.equal(s.ambience, 'breath');
    assert.deepEqual(
      s.scares.map((x) => x.at),
      [5.45],
    );
    assert.equal(
      filmSceneForMood({ index: 0, mood: 'relief', seconds: 8, title: 'Out' }).setting,
      'exit',
    );
    assert.deepEqual(filmSceneForMood({ index: 0, seconds: 0.5, title: 'x' }).scares, []);
  });
});
