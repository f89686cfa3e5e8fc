/**
 * Measuring a variant switch on decoded audio. A player that switches from variant A to variant B
 * at a segment boundary appends B's next segment after A's (same timeline, no
 * EXT-X-DISCONTINUITY, RFC 8216 §6.3.3) and the AAC decoder runs on: its overlap-add (ISO/IEC
 * 14496-3, 1024-sample frames with 50 % overlap) blends A's last frame into B's first. Around that
 * point the spliced signal is compared with A and B played through without a switch:
 *
 *  - click: the largest sample-to-sample step of the splice against the largest step either
 *    variant has there anyway (a discontinuity is a step neither signal contains);
 *  - gap: the quietest 10 ms of the splice against the quieter variant in the same 10 ms (a hole,
 *    or layers cancelling because they are out of phase between the variants).
 */
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { runTool } from '../ffmpeg/run-tool.js';

export interface SpliceMeasure {
  /** Largest |Δx| of the splice ÷ largest |Δx| of either variant, around the splice. */
  click: number;
  /** Smallest (RMS of the splice ÷ RMS of the quieter variant) over 10 ms blocks around it. */
  level: number;
}

/** Sample window examined around a splice: one AAC frame before, two after. */
export const SPLICE_WINDOW = { before: 1024, after: 2048 };

function maxStep(x: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = Math.max(1, from); i < Math.min(x.length, to); i += 1) {
    m = Math.max(m, Math.abs((x[i] ?? 0) - (x[i - 1] ?? 0)));
  }
  return m;
}

function rms(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i += 1) {
    sum += (x[i] ?? 0) ** 2;
    n += 1;
  }
  return n ? Math.sqrt(sum / n) : 0;
}

/**
 * Compares `spliced` (A up to sample `at`, B from there, decoded as one stream) with `a` and `b`
 * (each decoded without a switch, same time origin).
 * @example measureSplice(spliced, a, b, 47104, 48000) // { click: 1.02, level: 0.93 }
 */
export function measureSplice(
  spliced: Float32Array,
  a: Float32Array,
  b: Float32Array,
  at: number,
  sampleRate: number,
): SpliceMeasure {
  const from = at - SPLICE_WINDOW.before;
  const to = at + SPLICE_WINDOW.after;
  const reference = Math.max(maxStep(a, from, to), maxStep(b, from, to), 1e-6);
  const block = Math.round(sampleRate * 0.01);
  let level = Infinity;
  for (let i = from; i + block <= to; i += block) {
    const quieter = Math.min(rms(a, i, i + block), rms(b, i, i + block));
    if (quieter < 1e-4) continue;
    level = Math.min(level, rms(spliced, i, i + block) / quieter);
  }
  return {
    click: maxStep(spliced, from, to) / reference,
    level: Number.isFinite(level) ? level : 1,
  };
}

/**
 * Decodes the audio of MPEG-TS segments played one after another (the concat protocol: one
 * stream, one decoder, as a player's SourceBuffer sees them) to mono float samples (left channel).
 */
export async function decodeSegments(
  tools: FfmpegTools,
  files: readonly string[],
  signal?: AbortSignal,
): Promise<Float32Array> {
  const { stdout } = await runTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      `concat:${files.join('|')}`,
      '-map',
      '0:a:0',
      '-af',
      'pan=mono|c0=c0',
      '-f',
      'f32le',
      '-acodec',
      'pcm_f32le',
      '-',
    ],
    { signal },
  );
  const copy = new Uint8Array(stdout.byteLength);
  copy.set(stdout);
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}
