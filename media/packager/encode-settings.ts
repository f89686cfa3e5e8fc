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
export const ENCODER_REVISION = 2;

/**
 * ffmpeg arguments that turn one source clip into spliceable MPEG-TS segments of one rendition:
 * constrained-baseline H.264 (no B-frames) with a closed GOP of exactly one segment, a keyframe
 * forced at every segment start, AAC-LC 48 kHz stereo padded/trimmed to the video's length, and
 * both streams starting at timestamp 0 so all variants of a scene share one timeline (any segment
 * of one variant can follow the previous segment of another without EXT-X-DISCONTINUITY).
 */
export function encodeArgs(input: {
  source: string;
  start: number;
  frames: number;
  hasAudio: boolean;
  rendition: RenditionSpec;
  settings: EncodeSettings;
  outDir: string;
}): string[] {
  const { settings: s, rendition: r } = input;
  const gop = Math.round(s.frameRate * s.segmentDuration);
  const duration = input.frames / s.frameRate;
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];
  if (input.start > 0) args.push('-ss', input.start.toFixed(6));
  args.push('-i', input.source);
  if (!input.hasAudio) args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
  const vf = [
    'setpts=PTS-STARTPTS',
    `fps=${s.frameRate}`,
    // Limits are filters, not output options: an output `-frames:v`/`-t` closes the whole file
    // when the video stream hits it, cutting the last ~50 ms of audio.
    `trim=end_frame=${input.frames}`,
    `scale=${r.width}:${r.height}:force_original_aspect_ratio=decrease`,
    `pad=${r.width}:${r.height}:(ow-iw)/2:(oh-ih)/2:black`,
    'setsar=1',
    'format=yuv420p',
  ].join(',');
  // apad + atrim: the audio lasts exactly as long as the video, so no silence gap (or overlap
  // beyond one AAC frame) appears where another clip is spliced in.
  const af = [
    'asetpts=PTS-STARTPTS',
    'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo',
    'apad',
    `atrim=end=${duration.toFixed(6)}`,
  ].join(',');
  args.push(
    '-map',
    '0:v:0',
    '-map',
    input.hasAudio ? '0:a:0' : '1:a:0',
    '-vf',
    vf,
    '-af',
    af,
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
    '-c:a',
    'aac',
    '-b:a',
    `${s.audioBitrateKbps}k`,
    '-ar',
    '48000',
    '-ac',
    '2',
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
