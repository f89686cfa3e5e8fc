import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  placeholderClipArgs,
  placeholderFontPath,
  placeholderToneVolume,
  wrapCaption,
} from '../../../../tools/story/placeholder-clip.js';

describe('placeholder clips', () => {
  it('should wrap Latin text at word boundaries and CJK text per character', () => {
    assert.equal(
      wrapCaption('The lights die and nothing moves', 12),
      'The lights\ndie and\nnothing\nmoves',
    );
    assert.equal(wrapCaption('灯全灭了而且并不空', 8), '灯全灭了\n而且并不\n空');
  });

  it('should make the tone louder with intensity', () => {
    assert.ok(placeholderToneVolume(0) < placeholderToneVolume(0.5));
    assert.ok(placeholderToneVolume(0.5) < placeholderToneVolume(1));
    assert.equal(placeholderToneVolume(7), placeholderToneVolume(1));
  });

  it('should find the bundled font and build ffmpeg arguments with the given size and duration', () => {
    assert.ok(existsSync(placeholderFontPath()));
    const args = placeholderClipArgs({
      titleFile: '/tmp/t.txt',
      descriptionFile: '/tmp/d.txt',
      labelFile: '/tmp/l.txt',
      fontFile: "/fonts/it's.ttf",
      intensity: 1,
      sceneIndex: 2,
      seconds: 3,
      width: 320,
      height: 180,
      frameRate: 25,
      output: '/tmp/o.mp4',
    });
    assert.equal(args.at(-1), '/tmp/o.mp4');
    assert.ok(args.includes('color=c=0x360808:s=320x180:r=25:d=3'));
    assert.ok(args.includes('sine=frequency=65:sample_rate=48000:duration=3'));
    const graph = args[args.indexOf('-filter_complex') + 1] ?? '';
    assert.match(graph, /volume=0\.5,/);
    assert.match(graph, /fontfile='\/fonts\/it'\\''s\.ttf'/);
  });
});
