import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  h264LevelFor,
  parseRendition,
  renditionForSize,
} from '../../../../media/packager/rendition-presets.js';

describe('rendition presets', () => {
  it('should parse preset names and WIDTHxHEIGHT', () => {
    assert.deepEqual(parseRendition('720p'), {
      success: true,
      data: { name: '720p', width: 1280, height: 720, maxrateKbps: 3000 },
    });
    const custom = parseRendition('101x57');
    assert.ok(custom.success);
    assert.deepEqual([custom.data.name, custom.data.width, custom.data.height], ['58p', 102, 58]);
  });

  it('should reject unknown renditions with the accepted names', () => {
    const r = parseRendition('4k');
    assert.equal(r.success, false);
    assert.match(r.success ? '' : r.error, /unknown rendition "4k".*360p/);
  });

  it('should reuse a preset for a matching size', () => {
    assert.equal(renditionForSize(426, 240).name, '240p');
    assert.equal(renditionForSize(64, 36).name, '36p');
  });

  it('should pick the lowest H.264 level that fits the largest rendition', () => {
    const r = (name: string) => {
      const p = parseRendition(name);
      assert.ok(p.success);
      return p.data;
    };
    assert.equal(h264LevelFor([r('240p'), r('480p')], 25), '3.0');
    assert.equal(h264LevelFor([r('360p'), r('720p')], 25), '3.1');
    assert.equal(h264LevelFor([r('1080p')], 25), '4.0');
    assert.equal(h264LevelFor([r('1080p')], 60), '4.2');
  });
});
