/**
 * The settings every clip of a package is encoded with. They are part of each clip's content key:
 * change one and every clip is re-encoded.
 */
import type { RenditionSpec } from './rendition-presets.js';

export interface EncodeSettings {
  /** Segment duration in seconds; `frameRate × segmentDuration` must be a whole number of frames. */
  segmentDuration: number;
  frameRate: number;
  renditions: RenditionSpec[];
  /** H.264 level for all renditions, e.g. `3.0`. */
  level: string;
  /** x264 preset. */
  preset: string;
  crf: number;
  audioBitrateKbps: number;
}

/** Bumped whenever encodeArgs changes meaningfully, so old packages get re-encoded. */
export const ENCODER_REVISION = 6;

/** AAC-LC frame length in samples. */
export const AAC_FRAME_SAMPLES = 1024;

/** Audio lead-in before the picture starts, in samples (one AAC frame). See audioArgs. */
export const AUDIO_LEAD_IN_SAMPLES = AAC_FRAME_SAMPLES;

/** Audio samples (48 kHz) covering `frames` video frames exactly. */
export function audioSamplesFor(frames: number, frameRate: number): number {
  return Math.round((frames / frameRate) * 48000);
}

/**
 * ffmpeg arguments that encode a clip's audio once (shared by all renditions) into a raw ADTS
 * stream, AAC-LC 48 kHz stereo, laid out as
 *   [lead-in: 1 AAC frame][the picture's exact duration of sound][tail to the next frame boundary]
 * The lead-in is the clip's first samples mirrored and the tail its last samples mirrored, so both
 * join the clip's sound without a click and the stream is a whole number of AAC frames.
 *
 * Why: an AAC encoder starts with a priming frame that decodes to 21.3 ms of silence, and ends by
 * zero-padding its last frame; MPEG-TS has no edit list to hide either. Where a clip follows
 * another clip after EXT-X-DISCONTINUITY, hls.js butts the new clip's first audio frame against the
 * old one's last: priming plus padding made a ≈ 25 ms hole at every scene change. The packager
 * drops the priming frame (stripFirstAdtsFrame) and puts the lead-in in its place, and the tail
 * replaces the zero padding with sound. What remains is the decoder's fade-in on the first frame
 * of a stream (≈ 2–5 ms), measured by test/e2e/splice.test.ts.
 */
export function audioArgs(input: {
  source: string;
  start: number;
  frames: number;
  hasAudio: boolean;
  settings: EncodeSettings;
  outFile: string;
}): string[] {
  const s = input.settings;
  const samples = audioSamplesFor(input.frames, s.frameRate);
  const lead = AUDIO_LEAD_IN_SAMPLES;
  const tail = (AAC_FRAME_SAMPLES - ((lead + samples) % AAC_FRAME_SAMPLES)) % AAC_FRAME_SAMPLES;
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  if (input.start > 0) args.push('-ss', input.start.toFixed(6));
  args.push('-i', input.source);
  if (!input.hasAudio) args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
  const parts = tail > 0 ? 3 : 2;
  const graph =
    `[${input.hasAudio ? '0:a:0' : '1:a:0'}]asetpts=PTS-STARTPTS,` +
    'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,' +
    // apad + atrim: exactly as long as the picture.
    `apad,atrim=end_sample=${samples},asplit=${parts}[body][head]${tail > 0 ? '[end]' : ''};` +
    `[head]atrim=end_sample=${lead},areverse[lead];` +
    (tail > 0
      ? `[end]atrim=start_sample=${samples - tail},asetpts=PTS-STARTPTS,areverse[tail];`
      : '') +
    `[lead][body]${tail > 0 ? '[tail]' : ''}concat=n=${parts}:v=0:a=1[a]`;
  args.push(
    '-filter_complex',
    graph,
    '-map',
    '[a]',
    '-c:a',
    'aac',
    '-b:a',
    `${s.audioBitrateKbps}k`,
    '-ar',
    '48000',
    '-ac',
    '2',
    '-f',
    'adts',
    input.outFile,
  );
  return args;
}

/**
 * Drops the first ADTS frame (the encoder's priming frame) from a raw AAC stream
 * (ISO/IEC 13818-7 §6.2: `frame_length`, 13 bits, counts the header too).
 * @example
 * const trimmed = stripFirstAdtsFrame(await readFile('audio.aac'));
 */
export function stripFirstAdtsFrame(data: Uint8Array): Uint8Array {
  const b3 = data[3] ?? 0;
  const b4 = data[4] ?? 0;
  const b5 = data[5] ?? 0;
  if (data[0] !== 0xff || ((data[1] ?? 0) & 0xf0) !== 0xf0) throw new Error('not an ADTS stream');
  const length = ((b3 & 0x03) << 11) | (b4 << 3) | (b5 >> 5);
  if (length < 7 || length >= data.length) throw new Error('ADTS stream too short');
  return data.subarray(length);
}

/**
 * ffmpeg arguments that turn one source clip (picture) plus its prepared audio (ADTS, see
 * audioArgs) into spliceable MPEG-TS segments of one rendition: constrained-baseline H.264 (no
 * B-frames) with a closed GOP of exactly one segment and a keyframe forced at every segment start.
 * Audio starts at timestamp 0 with its lead-in, the picture AUDIO_LEAD_IN_SAMPLES later, in every
 * clip alike, so all variants of a scene share one timeline (any segment of one variant can follow
 * the previous segment of another without EXT-X-DISCONTINUITY).
 */
export function encodeArgs(input: {
  source: string;
  start: number;
  frames: number;
  audioFile: string;
  rendition: RenditionSpec;
  settings: EncodeSettings;
  outDir: string;
  /** The source picture already is this rendition's (stream-copy.ts): segment it as it is. */
  copyVideo?: boolean;
}): string[] {
  const { settings: s, rendition: r } = input;
  const gop = Math.round(s.frameRate * s.segmentDuration);
  const lead = AUDIO_LEAD_IN_SAMPLES / 48000;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-nostats',
    '-progress',
    'pipe:1',
  ];
  if (input.start > 0) args.push('-ss', input.start.toFixed(6));
  // The audio starts `lead` before the picture. The muxer shifts both streams so the earliest
  // (audio) timestamp is 0, exactly, at 90 kHz; the encoder's 1/fps time base could not.
  args.push(
    '-i',
    input.source,
    '-itsoffset',
    `-${lead.toFixed(6)}`,
    '-f',
    'aac',
    '-i',
    input.audioFile,
  );
  const vf = [
    `setpts=PTS-STARTPTS`,
    `fps=${s.frameRate}`,
    // Limits are filters, not output options: an output `-frames:v`/`-t` closes the whole file
    // when the video stream hits it, cutting the audio short.
    `trim=end_frame=${input.frames}`,
    `scale=${r.width}:${r.height}:force_original_aspect_ratio=decrease`,
    `pad=${r.width}:${r.height}:(ow-iw)/2:(oh-ih)/2:black`,
    'setsar=1',
    'format=yuv420p',
  ].join(',');
  args.push('-map', '0:v:0', '-map', '1:a:0');
  if (input.copyVideo) args.push('-c:v', 'copy');
  else
    args.push(
      '-vf',
      vf,
      '-c:v',
      'libx264',
      '-preset',
      s.preset,
      '-profile:v',
      'baseline',
      '-level',
      s.level,
      '-pix_fmt',
      'yuv420p',
      '-crf',
      String(s.crf),
      '-maxrate',
      `${r.maxrateKbps}k`,
      '-bufsize',
      `${r.maxrateKbps * 2}k`,
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
      '-sc_threshold',
      '0',
      '-force_key_frames',
      `expr:gte(t,n_forced*${s.segmentDuration})`,
    );
  args.push(
    '-c:a',
    'copy',
    '-muxdelay',
    '0',
    '-muxpreload',
    '0',
    '-f',
    'hls',
    '-hls_time',
    String(s.segmentDuration),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    `${input.outDir}/seg-%05d.ts`,
    `${input.outDir}/index.m3u8`,
  );
  return args;
}
