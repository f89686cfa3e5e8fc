/**
 * Joining a level made of several pieces of media (e.g. the shots of a scene) into one
 * intermediate source, so it is packaged like a single clip on one continuous timeline.
 */
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { runTool } from '../ffmpeg/run-tool.js';
import type { ProbedPart } from '../story/check-story-media.js';
import type { RenditionSpec } from './rendition-presets.js';

/**
 * ffmpeg arguments that conform every part (frame rate, size, 48 kHz stereo, silence where a part
 * has no sound, each part's audio exactly as long as its picture) and concatenate them into a
 * near-lossless Matroska intermediate (H.264 CRF 12, PCM audio).
 */
export function joinPartsArgs(input: {
  parts: readonly ProbedPart[];
  frameRate: number;
  size: Pick<RenditionSpec, 'width' | 'height'>;
  outFile: string;
}): string[] {
  const { width: w, height: h } = input.size;
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  const filters: string[] = [];
  const labels: string[] = [];
  let next = 0;
  for (const [i, part] of input.parts.entries()) {
    if (part.start > 0) args.push('-ss', part.start.toFixed(6));
    args.push('-i', part.file);
    const video = next;
    next += 1;
    let audio = `${video}:a:0`;
    if (!part.info.audio) {
      args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
      audio = `${next}:a:0`;
      next += 1;
    }
    const frames = Math.max(1, Math.round(part.duration * input.frameRate));
    const samples = Math.round((frames / input.frameRate) * 48000);
    filters.push(
      `[${video}:v:0]setpts=PTS-STARTPTS,fps=${input.frameRate},trim=end_frame=${frames},` +
        `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black,` +
        `setsar=1,format=yuv420p[v${i}]`,
      `[${audio}]asetpts=PTS-STARTPTS,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,` +
        `apad,atrim=end_sample=${samples}[a${i}]`,
    );
    labels.push(`[v${i}][a${i}]`);
  }
  filters.push(`${labels.join('')}concat=n=${input.parts.length}:v=1:a=1[v][a]`);
  args.push(
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '12',
    '-c:a',
    'pcm_s16le',
    input.outFile,
  );
  return args;
}

/**
 * Writes the joined intermediate and returns it as a single part starting at 0.
 * @example
 * const joined = await joinParts(tools, { parts, frameRate: 25, size: { width: 1280, height: 720 }, outFile });
 */
export async function joinParts(
  tools: FfmpegTools,
  input: Parameters<typeof joinPartsArgs>[0],
  signal?: AbortSignal,
): Promise<ProbedPart> {
  await runTool(tools.ffmpeg, joinPartsArgs(input), { signal });
  const duration = input.parts.reduce(
    (sum, p) => sum + Math.max(1, Math.round(p.duration * input.frameRate)) / input.frameRate,
    0,
  );
  return {
    file: input.outFile,
    start: 0,
    duration,
    info: {
      duration,
      video: {
        width: input.size.width,
        height: input.size.height,
        frameRate: input.frameRate,
        duration,
        codec: 'h264',
      },
      audio: { sampleRate: 48000, channels: 2, duration, codec: 'pcm_s16le' },
    },
  };
}
