/**
 * ffprobe wrappers: source media facts (for validation and packaging) and exact per-segment
 * timings (for the manifest's EXTINF values).
 */
import { z } from 'zod';
import type { FfmpegTools } from './ffmpeg-tools.js';
import { runTool } from './run-tool.js';

/** What the packager and validator need to know about a source clip. */
export interface MediaInfo {
  /** Container duration in seconds (0 when unknown). */
  duration: number;
  video?: { width: number; height: number; frameRate: number; duration: number; codec: string };
  audio?: { sampleRate: number; channels: number; duration: number; codec: string };
}

const ProbeOutputSchema = z.object({
  format: z.object({ duration: z.string().optional() }).optional(),
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        sample_rate: z.string().optional(),
        channels: z.number().optional(),
        duration: z.string().optional(),
      }),
    )
    .default([]),
});

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  if (den === undefined) return num;
  return den > 0 ? num / den : 0;
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Probes a media file. Rejects (ToolFailedError) when ffprobe cannot read it.
 * @example
 * const info = await probeMedia(tools, 'media/hallway-calm.mp4'); // info.video?.duration === 4
 */
export async function probeMedia(
  tools: FfmpegTools,
  file: string,
  signal?: AbortSignal,
): Promise<MediaInfo> {
  const { stdout } = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file],
    { signal },
  );
  const parsed = ProbeOutputSchema.safeParse(JSON.parse(stdout.toString('utf8')));
  if (!parsed.success) throw new Error(`unexpected ffprobe output for ${file}`);
  const duration = num(parsed.data.format?.duration);
  const info: MediaInfo = { duration };
  for (const s of parsed.data.streams) {
    if (
      s.codec_type === 'video' &&
      !info.video &&
      s.codec_name !== 'mjpeg' &&
      s.codec_name !== 'png'
    ) {
      const frameRate = parseRate(s.avg_frame_rate) || parseRate(s.r_frame_rate);
      info.video = {
        width: s.width ?? 0,
        height: s.height ?? 0,
        frameRate,
        duration: num(s.duration) || duration,
        codec: s.codec_name ?? 'unknown',
      };
    } else if (s.codec_type === 'audio' && !info.audio) {
      info.audio = {
        sampleRate: num(s.sample_rate),
        channels: s.channels ?? 0,
        duration: num(s.duration) || duration,
        codec: s.codec_name ?? 'unknown',
      };
    }
  }
  return info;
}

/** Exact timings of one packaged MPEG-TS segment. */
export interface SegmentTiming {
  /** Video duration: last frame's PTS + its duration − first frame's PTS (the EXTINF value). */
  duration: number;
  /** PTS of the first video frame, seconds. */
  videoStart: number;
  /** Whether the first video packet is a keyframe (required for splicing). */
  startsWithKeyframe: boolean;
  videoFrames: number;
  /** First audio sample and end of last audio frame, seconds (undefined without audio). */
  audioStart?: number;
  audioEnd?: number;
}

/** Rounds to microseconds so float noise from ffprobe's decimal output does not leak into EXTINF. */
function us(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Measures a segment from its packets (no decoding).
 * @example
 * const t = await probeSegment(tools, 'dist/clips/hallway/calm/240p/seg-00000.ts'); // t.duration === 1
 */
export async function probeSegment(
  tools: FfmpegTools,
  file: string,
  signal?: AbortSignal,
): Promise<SegmentTiming> {
  const { stdout } = await runTool(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-show_entries',
      'packet=codec_type,pts_time,duration_time,flags',
      '-of',
      'csv=p=0',
      file,
    ],
    { signal },
  );
  let vFirst: number | undefined;
  let vEnd = 0;
  let frames = 0;
  let key = false;
  let aFirst: number | undefined;
  let aEnd: number | undefined;
  for (const line of stdout.toString('utf8').split('\n')) {
    const [type, pts, dur, flags] = line.trim().split(',');
    const p = Number(pts);
    const d = Number(dur);
    if (!Number.isFinite(p) || !Number.isFinite(d)) continue;
    if (type === 'video') {
      if (vFirst === undefined) {
        vFirst = p;
        key = (flags ?? '').includes('K');
      }
      vFirst = Math.min(vFirst, p);
      vEnd = Math.max(vEnd, p + d);
      frames += 1;
    } else if (type === 'audio') {
      aFirst = aFirst === undefined ? p : Math.min(aFirst, p);
      aEnd = Math.max(aEnd ?? 0, p + d);
    }
  }
  if (vFirst === undefined) throw new Error(`${file}: no video packets`);
  return {
    duration: us(vEnd - vFirst),
    videoStart: us(vFirst),
    startsWithKeyframe: key,
    videoFrames: frames,
    ...(aFirst === undefined ? {} : { audioStart: us(aFirst), audioEnd: us(aEnd ?? aFirst) }),
  };
}
