import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { EncodeSettings } from '../../../../media/packager/encode-settings.js';
import { encodeArgs } from '../../../../media/packager/encode-settings.js';
import { parseRendition } from '../../../../media/packager/rendition-presets.js';
import {
  streamCopyObstacle,
  type VideoStreamFacts,
} from '../../../../media/packager/stream-copy.js';

const settings: EncodeSettings = {
  segmentDuration: 1,
  frameRate: 24,
  renditions: [],
  level: '3.1',
  preset: 'veryfast',
  crf: 23,
  audioBitrateKbps: 128,
};
const r720 = parseRendition('720p');
const rendition = r720.success ? r720.data : assert.fail();

/** 3 s of 24 fps H.264 as the film renderer writes it: an IDR frame every second. */
function facts(change: Partial<VideoStreamFacts> = {}): VideoStreamFacts {
  return {
    codec: 'h264',
    profile: 'Constrained Baseline',
    level: 31,
    pixelFormat: 'yuv420p',
    width: 1280,
    height: 720,
    frameRate: 24,
    bFrames: 0,
    bitRate: 1_500_000,
    sampleAspect: '1:1',
    packets: Array.from({ length: 72 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
    ...change,
  };
}

describe('stream copy', () => {
  const want = { rendition, settings, frames: 72 };

  it('should copy a picture that already is the rendition, keyframe on every segment start', () => {
    assert.equal(streamCopyObstacle(facts(), want), undefined);
  });

  it('should name what stops a copy', () => {
    const cases: [Partial<VideoStreamFacts>, RegExp][] = [
      [{ codec: 'hevc' }, /codec hevc/],
      [{ profile: 'High' }, /profile High/],
      [{ bFrames: 2 }, /B-frames/],
      [{ width: 1920, height: 1080 }, /1920x1080, not 1280x720/],
      [{ frameRate: 25 }, /25 fps/],
      [{ level: 40 }, /level 4/],
      [{ bitRate: 8_000_000 }, /8000 kbit\/s over the 3000 kbit\/s cap/],
      [{ sampleAspect: '4:3' }, /pixel aspect/],
      [{ packets: facts().packets.slice(0, 71) }, /71 frames, not 72/],
      [
        { packets: facts().packets.map((p, i) => ({ ...p, key: i === 0 })) },
        /no keyframe at frame 24/,
      ],
      [
        { packets: facts().packets.map((p, i) => ({ ...p, pts: p.pts + (i === 5 ? 0.03 : 0) })) },
        /frame 5/,
      ],
    ];
    for (const [change, reason] of cases) {
      assert.match(streamCopyObstacle(facts(change), want) ?? 'copy', reason);
    }
  });

  it('should segment a copied picture without filters or an encoder', () => {
    const job = {
      source: 's.mov',
      start: 0,
      frames: 72,
      audioFile: 'a.aac',
      rendition,
      settings,
      outDir: 'o',
    };
    const copied = encodeArgs({ ...job, copyVideo: true });
    assert.deepEqual(copied.slice(copied.indexOf('-c:v'), copied.indexOf('-c:v') + 2), [
      '-c:v',
      'copy',
    ]);
    assert.ok(!copied.includes('-vf') && !copied.includes('libx264'));
    const encoded = encodeArgs(job);
    assert.ok(encoded.includes('libx264') && encoded.includes('-vf'));
  });
});
