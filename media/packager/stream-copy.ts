/**
 * Deciding whether a source clip's picture can be segmented by stream copy instead of being
 * encoded again: when it already is exactly what the packager would produce for a rendition
 * (H.264 constrained baseline, the rendition's size, the package's frame rate, an IDR frame at
 * every segment start and nowhere else needed, no B-frames, a bitrate within the rendition's cap),
 * a second encode would only lose quality and time. The demo film is rendered this way
 * (media/render/render-film-clip.ts), so packaging it costs a remux for its main rendition.
 */
import { z } from 'zod';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { runTool } from '../ffmpeg/run-tool.js';
import type { EncodeSettings } from './encode-settings.js';
import type { RenditionSpec } from './rendition-presets.js';

const ProbeSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_name: z.string().optional(),
        profile: z.string().optional(),
        level: z.number().optional(),
        pix_fmt: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        r_frame_rate: z.string().optional(),
        has_b_frames: z.number().optional(),
        bit_rate: z.string().optional(),
        sample_aspect_ratio: z.string().optional(),
      }),
    )
    .default([]),
  packets: z
    .array(z.object({ pts_time: z.string().optional(), flags: z.string().optional() }))
    .default([]),
});

/** What the decision needs to know about a source's video stream. */
export interface VideoStreamFacts {
  codec: string;
  profile: string;
  /** H.264 level × 10 (31 = 3.1), as ffprobe reports it. */
  level: number;
  pixelFormat: string;
  width: number;
  height: number;
  frameRate: number;
  bFrames: number;
  /** Average bitrate, bit/s (0 when unknown). */
  bitRate: number;
  sampleAspect: string;
  /** Presentation time (s) and keyframe flag of every packet, in decoding order. */
  packets: { pts: number; key: boolean }[];
}

function rate(text: string | undefined): number {
  const [n, d] = (text ?? '0/1').split('/').map(Number);
  return n !== undefined && d ? n / d : 0;
}

/**
 * Probes the first video stream of `file` (stream facts and every packet's time and flags).
 * @example const facts = await probeVideoStream(tools, 'media/hall-calm.mov');
 */
export async function probeVideoStream(
  tools: FfmpegTools,
  file: string,
  signal?: AbortSignal,
): Promise<VideoStreamFacts | undefined> {
  const { stdout } = await runTool(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,profile,level,pix_fmt,width,height,r_frame_rate,has_b_frames,bit_rate,sample_aspect_ratio:packet=pts_time,flags',
      '-of',
      'json',
      file,
    ],
    { signal },
  );
  const parsed = ProbeSchema.safeParse(JSON.parse(stdout.toString('utf8')));
  const s = parsed.success ? parsed.data.streams[0] : undefined;
  if (!parsed.success || !s) return undefined;
  return {
    codec: s.codec_name ?? '',
    profile: s.profile ?? '',
    level: s.level ?? 0,
    pixelFormat: s.pix_fmt ?? '',
    width: s.width ?? 0,
    height: s.height ?? 0,
    frameRate: rate(s.r_frame_rate),
    bFrames: s.has_b_frames ?? 0,
    bitRate: Number(s.bit_rate ?? 0) || 0,
    sampleAspect: s.sample_aspect_ratio ?? '1:1',
    packets: parsed.data.packets.map((p) => ({
      pts: Number(p.pts_time ?? NaN),
      key: (p.flags ?? '').includes('K'),
    })),
  };
}

/**
 * Why `facts` cannot be stream-copied into `rendition` segments of `frames` frames, or undefined
 * when it can.
 * @example streamCopyObstacle(facts, { rendition, settings, frames: 1728 }) // 'not constrained baseline'
 */
export function streamCopyObstacle(
  facts: VideoStreamFacts,
  want: { rendition: RenditionSpec; settings: EncodeSettings; frames: number },
): string | undefined {
  const { rendition: r, settings: s } = want;
  if (facts.codec !== 'h264') return `codec ${facts.codec}, not h264`;
  if (!/^(constrained )?baseline$/i.test(facts.profile)) return `profile ${facts.profile}`;
  if (facts.bFrames !== 0) return 'B-frames';
  if (facts.pixelFormat !== 'yuv420p') return `pixel format ${facts.pixelFormat}`;
  if (facts.width !== r.width || facts.height !== r.height) {
    return `${facts.width}x${facts.height}, not ${r.width}x${r.height}`;
  }
  if (!['1:1', '0:1', 'N/A'].includes(facts.sampleAspect))
    return `pixel aspect ${facts.sampleAspect}`;
  if (Math.abs(facts.frameRate - s.frameRate) > 1e-6) return `${facts.frameRate} fps`;
  if (facts.level > Math.round(Number(s.level) * 10)) return `level ${facts.level / 10}`;
  // The cap is a VBV maxrate: a short clip may average a little over it (the buffer starts
  // full); an intermediate at several times the cap is what this catches.
  if (facts.bitRate > r.maxrateKbps * 1000 * 1.25) {
    return `${Math.round(facts.bitRate / 1000)} kbit/s over the ${r.maxrateKbps} kbit/s cap`;
  }
  if (facts.packets.length !== want.frames) {
    return `${facts.packets.length} frames, not ${want.frames}`;
  }
  const gop = Math.round(s.frameRate * s.segmentDuration);
  const frame = 1 / s.frameRate;
  for (const [i, p] of facts.packets.entries()) {
    if (!(Math.abs(p.pts - i * frame) < frame / 2)) return `frame ${i} at ${p.pts} s`;
    if (i % gop === 0 && !p.key) return `no keyframe at frame ${i}`;
  }
  return undefined;
}
