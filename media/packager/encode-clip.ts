/**
 * Encoding one source clip into the segments of one rendition, then measuring them.
 */
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { probeSegments } from '../ffmpeg/probe-media.js';
import type { SegmentTiming } from '../ffmpeg/probe-media.js';
import { runTool } from '../ffmpeg/run-tool.js';
import { audioArgs, encodeArgs, stripFirstAdtsFrame } from './encode-settings.js';
import type { EncodeSettings } from './encode-settings.js';
import type { RenditionSpec } from './rendition-presets.js';

/** One measured output segment. */
export interface EncodedSegment extends SegmentTiming {
  /** File name inside the rendition directory, e.g. `seg-00000.ts`. */
  file: string;
  bytes: number;
}

/** A packaging step failed for a specific clip. */
export class PackageError extends Error {
  readonly code = 'FRISSON_ERR_PACKAGE';
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/**
 * Encodes a clip's audio once for all renditions (see audioArgs) and removes the encoder's
 * priming frame. Returns the path of the prepared ADTS file.
 */
export async function encodeClipAudio(
  tools: FfmpegTools,
  job: {
    source: string;
    start: number;
    frames: number;
    hasAudio: boolean;
    settings: EncodeSettings;
    outFile: string;
  },
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const raw = `${job.outFile}.raw`;
  await runTool(tools.ffmpeg, audioArgs({ ...job, outFile: raw }), { signal: options.signal });
  await writeFile(job.outFile, stripFirstAdtsFrame(await readFile(raw)));
  await rm(raw, { force: true });
  return job.outFile;
}

/**
 * Encodes `source` (picture) and `audioFile` (from encodeClipAudio) into `outDir/seg-NNNNN.ts`
 * and measures each segment with ffprobe.
 * @example
 * const segs = await encodeClip(tools, { source, start: 0, frames: 100, audioFile, rendition, settings, outDir });
 */
export async function encodeClip(
  tools: FfmpegTools,
  job: {
    source: string;
    start: number;
    frames: number;
    audioFile: string;
    rendition: RenditionSpec;
    settings: EncodeSettings;
    outDir: string;
    /** Segment the source picture as it is (see stream-copy.ts). */
    copyVideo?: boolean;
  },
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<EncodedSegment[]> {
  await mkdir(job.outDir, { recursive: true });
  const totalUs = (job.frames / job.settings.frameRate) * 1e6;
  await runTool(tools.ffmpeg, encodeArgs(job), {
    signal: options.signal,
    onStdoutLine: (line) => {
      // `-progress pipe:1`: out_time_us (out_time_ms is also microseconds, an old ffmpeg quirk).
      const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
      if (m && options.onProgress) options.onProgress(Number(m[1]) / totalUs);
    },
  });
  const files = (await readdir(job.outDir)).filter((f) => /^seg-\d+\.ts$/.test(f)).sort();
  if (!files.length) throw new PackageError(`${job.source}: ffmpeg produced no segments`);
  const paths = files.map((file) => join(job.outDir, file));
  const timings = await probeSegments(tools, paths, options.signal);
  const segments: EncodedSegment[] = [];
  for (const [i, file] of files.entries()) {
    const path = paths[i] ?? file;
    const timing = timings[i];
    if (!timing?.startsWithKeyframe) {
      throw new PackageError(`${path}: segment does not start with a keyframe`);
    }
    segments.push({ file, bytes: (await stat(path)).size, ...timing });
  }
  return segments;
}
