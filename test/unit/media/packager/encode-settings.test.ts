import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { avcCodecFromAnnexB } from '../../../../media/ffmpeg/h264-codec-string.js';
import {
  audioArgs,
  encodeArgs,
  stripFirstAdtsFrame,
} from '../../../../media/packager/encode-settings.js';
import type { EncodeSettings } from '../../../../media/packager/encode-settings.js';

const settings: EncodeSettings = {
  segmentDuration: 1,
  frameRate: 25,
  renditions: [{ name: '240p', width: 426, height: 240, maxrateKbps: 500 }],
  level: '3.0',
  preset: 'veryfast',
  crf: 23,
  audioBitrateKbps: 128,
};

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('encodeArgs', () => {
  const rendition = settings.renditions[0];
  assert.ok(rendition);
  const args = encodeArgs({
    source: 'in.mov',
    start: 2.5,
    frames: 100,
    audioFile: '/o/audio.aac',
    rendition,
    settings,
    outDir: '/o',
  });

  it('should force a closed one-segment GOP with a keyframe at each segment start', () => {
    assert.equal(valueOf(args, '-g'), '25');
    assert.equal(valueOf(args, '-keyint_min'), '25');
    assert.equal(valueOf(args, '-sc_threshold'), '0');
    assert.equal(valueOf(args, '-force_key_frames'), 'expr:gte(t,n_forced*1)');
    assert.equal(valueOf(args, '-profile:v'), 'baseline');
    assert.equal(valueOf(args, '-level'), '3.0');
    assert.equal(valueOf(args, '-hls_time'), '1');
  });

  it('should cut video by frames and start the prepared audio one AAC frame earlier', () => {
    assert.match(valueOf(args, '-vf') ?? '', /fps=25,trim=end_frame=100,scale=426:240/);
    assert.equal(valueOf(args, '-ss'), '2.500000');
    assert.equal(valueOf(args, '-itsoffset'), '-0.021333');
    assert.equal(valueOf(args, '-c:a'), 'copy');
    assert.equal(args.indexOf('-frames:v'), -1, 'an output frame limit would cut the audio short');
  });
});

describe('audioArgs', () => {
  it('should pad/trim to the picture and add a mirrored lead-in and tail to whole AAC frames', () => {
    const args = audioArgs({
      source: 'in.mov',
      start: 0,
      frames: 100,
      hasAudio: true,
      settings,
      outFile: 'a.aac',
    });
    const graph = valueOf(args, '-filter_complex') ?? '';
    // 4 s = 192000 samples; 1024 + 192000 = 188.5 frames, so a 512-sample tail completes the last.
    assert.match(graph, /apad,atrim=end_sample=192000,asplit=3/);
    assert.match(graph, /\[head\]atrim=end_sample=1024,areverse\[lead\]/);
    assert.match(graph, /\[end\]atrim=start_sample=191488,asetpts=PTS-STARTPTS,areverse\[tail\]/);
    assert.match(graph, /\[lead\]\[body\]\[tail\]concat=n=3:v=0:a=1/);
    assert.equal(valueOf(args, '-f'), 'adts');
  });

  it('should skip the tail when the audio already fills whole frames, and add silence without audio', () => {
    // 64 frames at 25 fps = 2.56 s = 122880 samples = 120 AAC frames exactly.
    const args = audioArgs({
      source: 'in.mov',
      start: 0,
      frames: 64,
      hasAudio: false,
      settings,
      outFile: 'a.aac',
    });
    const graph = valueOf(args, '-filter_complex') ?? '';
    assert.match(graph, /^\[1:a:0\]/);
    assert.ok(args.includes('anullsrc=r=48000:cl=stereo'));
    assert.match(graph, /\[lead\]\[body\]concat=n=2/);
  });
});

describe('stripFirstAdtsFrame', () => {
  it('should drop exactly the first frame using its header length', () => {
    // ADTS header: sync 0xFFF, MPEG-4, layer 0, no CRC; AAC-LC 48 kHz stereo; frame_length 9.
    const header = (len: number): number[] => [
      0xff,
      0xf1,
      0x4c,
      0x80,
      (len >> 3) & 0xff,
      ((len & 7) << 5) | 0x1f,
      0xfc,
    ];
    const first = [...header(9), 0xaa, 0xbb];
    const second = [...header(8), 0xcc];
    assert.deepEqual([...stripFirstAdtsFrame(Uint8Array.from([...first, ...second]))], second);
  });

  it('should refuse data that is not ADTS', () => {
    assert.throws(
      () => stripFirstAdtsFrame(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7])),
      /not an ADTS stream/,
    );
  });
});

describe('avcCodecFromAnnexB', () => {
  it('should read profile, constraint flags and level from the SPS', () => {
    // Start code, then an AUD (type 9) and an SPS (0x67) for constrained baseline level 3.0.
    const bytes = Uint8Array.from([
      0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xd9,
    ]);
    assert.equal(avcCodecFromAnnexB(bytes), 'avc1.42c01e');
    assert.equal(
      avcCodecFromAnnexB(Uint8Array.from([0, 0, 1, 0x67, 0x64, 0x00, 0x28, 0xac])),
      'avc1.640028',
    );
  });

  it('should return undefined without an SPS', () => {
    assert.equal(avcCodecFromAnnexB(Uint8Array.from([0, 0, 1, 0x65, 1, 2, 3, 4])), undefined);
  });
});
