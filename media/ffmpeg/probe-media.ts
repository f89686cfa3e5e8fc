/**
 * ffprobe wrappers: source media facts (for validation and packaging) and exact per-segment
 * timings (for the manifest's EXTINF values).
 */
import { stat } from 'node:fs/promises';
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

/** Rounds to microseconds so float noise does not leak into EXTINF. */
function us(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** One packet as ffprobe lists it: times in its stream's ticks, `tb` seconds each. */
interface ProbedPacket {
  type: string;
  pts: number;
  duration: number;
  tb: number;
  key: boolean;
  pos: number;
}

/** A segment's timings from its packets (in file order). */
function segmentTiming(file: string, packets: readonly ProbedPacket[]): SegmentTiming {
  let vFirst: number | undefined;
  let vEnd = 0;
  let frames = 0;
  let key = false;
  let aFirst: number | undefined;
  let aEnd: number | undefined;
  // Integer ticks (90 kHz in MPEG-TS), converted to seconds once: adding decimal seconds from
  // ffprobe's 6-digit output made 24 × 3750 ticks last 1.000001 s.
  let tb = { video: 0, audio: 0 };
  for (const { type, pts: p, duration: d, key: k, tb: unit } of packets) {
    if (!Number.isFinite(p) || !Number.isFinite(d)) continue;
    if (type === 'video' || type === 'audio') tb = { ...tb, [type]: unit };
    if (type === 'video') {
      if (vFirst === undefined) {
        vFirst = p;
        key = k;
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
    duration: us((vEnd - vFirst) * tb.video),
    videoStart: us(vFirst * tb.video),
    startsWithKeyframe: key,
    videoFrames: frames,
    ...(aFirst === undefined
      ? {}
      : { audioStart: us(aFirst * tb.audio), audioEnd: us((aEnd ?? aFirst) * tb.audio) }),
  };
}

async function listPackets(
  tools: FfmpegTools,
  input: string,
  signal?: AbortSignal,
): Promise<ProbedPacket[]> {
  const { stdout } = await runTool(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-show_entries',
      'stream=index,time_base:packet=stream_index,codec_type,pts,duration,flags,pos',
      '-of',
      'json',
      input,
    ],
    { signal },
  );
  const parsed = PacketsSchema.safeParse(JSON.parse(stdout.toString('utf8')));
  if (!parsed.success) throw new Error(`unexpected ffprobe output for ${input}`);
  const timeBase = new Map(
    parsed.data.streams.map((st) => {
      const [num, den] = (st.time_base ?? '').split('/').map(Number);
      return [st.index, num && den ? num / den : NaN] as const;
    }),
  );
  return parsed.data.packets.map((p) => ({
    type: p.codec_type ?? '',
    pts: p.pts ?? NaN,
    duration: p.duration ?? NaN,
    tb: timeBase.get(p.stream_index ?? -1) ?? NaN,
    key: (p.flags ?? '').includes('K'),
    pos: Number(p.pos ?? NaN),
  }));
}

const PacketsSchema = z.object({
  streams: z.array(z.object({ index: z.number(), time_base: z.string().optional() })).default([]),
  packets: z
    .array(
      z.object({
        stream_index: z.number().optional(),
        codec_type: z.string().optional(),
        pts: z.number().optional(),
        duration: z.number().optional(),
        flags: z.string().optional(),
        pos: z.string().optional(),
      }),
    )
    .default([]),
});

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
  return segmentTiming(file, await listPackets(tools, file, signal));
}

/**
 * Measures consecutive segments of one clip with a single ffprobe: they are read as one stream
 * (the concat protocol) and each packet is given to the file its byte position falls in. A clip
 * of the demo film has 72 segments: one process instead of 72.
 * @example
 * const timings = await probeSegments(tools, ['seg-00000.ts', 'seg-00001.ts']);
 */
export async function probeSegments(
  tools: FfmpegTools,
  files: readonly string[],
  signal?: AbortSignal,
): Promise<SegmentTiming[]> {
  if (files.length <= 1) return Promise.all(files.map((f) => probeSegment(tools, f, signal)));
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const ends: number[] = [];
  sizes.reduce((sum, size) => (ends.push(sum + size), sum + size), 0);
  const byFile = files.map((): ProbedPacket[] => []);
  for (const packet of await listPackets(tools, `concat:${files.join('|')}`, signal)) {
    const i = ends.findIndex((end) => packet.pos < end);
    if (!Number.isFinite(packet.pos) || i < 0) {
      throw new Error(`${files[0]}…: a packet without a position in the segments`);
    }
    byFile[i]?.push(packet);
  }
  return files.map((file, i) => segmentTiming(file, byFile[i] ?? []));
}
