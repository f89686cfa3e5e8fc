/**
 * `frisson story stats <dir>`: what the audience gets, measured on the packaged segments of every
 * variant (scene × level): duration, integrated loudness, loudness range and true peak (EBU R128 /
 * ITU-R BS.1770-4, ffmpeg's ebur128 meter), the loudest momentary loudness, and the mean luma of
 * the picture (the keyframes, one per segment).
 */
import { join } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { runTool } from '../ffmpeg/run-tool.js';
import { parseEbur128 } from '../ffmpeg/loudness.js';
import { mapLimit } from './check-story-media.js';
import { loadPackagedStory } from './load-manifest.js';
import type { PackagedStory } from '../../contracts/story.js';

/** One variant's figures. */
export interface VariantStats {
  scene: string;
  level: string;
  /** Seconds (sum of the segments' durations). */
  duration: number;
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Loudness range, LU. */
  range: number;
  /** True peak, dBTP. */
  truePeak: number;
  /** Loudest momentary (400 ms) loudness, LUFS. */
  maxMomentary: number;
  /** Mean luma (Y, 8-bit code value) over the keyframes. */
  meanLuma: number;
}

export interface StoryStats {
  story: string;
  rendition: { name: string; width: number; height: number };
  variants: VariantStats[];
}

/** Thrown for a directory without a package, or an unknown rendition: a one-line message. */
export class StoryStatsError extends Error {
  readonly code = 'FRISSON_ERR_STORY_STATS';
  constructor(message: string) {
    super(message);
    this.name = 'StoryStatsError';
  }
}

/** ffmpeg arguments measuring one variant (its segments joined with the concat protocol). */
export function variantStatsArgs(segmentFiles: readonly string[]): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    // Only keyframes are decoded for the luma (one per segment): cheap, and a fair sample.
    '-skip_frame',
    'nokey',
    '-i',
    `concat:${segmentFiles.join('|')}`,
    '-filter_complex',
    '[0:a]ebur128=peak=true:metadata=1:framelog=verbose,ametadata=mode=print:key=lavfi.r128.M:file=-,anullsink;' +
      '[0:v]signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-,nullsink',
    '-f',
    'null',
    '-',
  ];
}

/** Max momentary loudness and mean luma from the metadata lines ffmpeg printed on stdout. */
export function parseStatsMetadata(stdout: string): { maxMomentary: number; meanLuma: number } {
  let maxMomentary = -Infinity;
  let luma = 0;
  let frames = 0;
  for (const line of stdout.split('\n')) {
    const m = /^lavfi\.r128\.M=(-?[\d.]+)/.exec(line);
    if (m?.[1]) maxMomentary = Math.max(maxMomentary, Number(m[1]));
    const y = /^lavfi\.signalstats\.YAVG=([\d.]+)/.exec(line);
    if (y?.[1]) {
      luma += Number(y[1]);
      frames += 1;
    }
  }
  return { maxMomentary, meanLuma: frames ? luma / frames : NaN };
}

/**
 * Measures every variant of the package in `dir` (its main rendition, or `rendition`).
 * @example
 * const { variants } = await storyStats(tools, 'data/demo');
 */
export async function storyStats(
  tools: FfmpegTools,
  dir: string,
  options: { rendition?: string; signal?: AbortSignal } = {},
): Promise<StoryStats> {
  const loaded = await loadPackagedStory(dir);
  if (!loaded.success) {
    throw new StoryStatsError(
      loaded.error.startsWith('no ')
        ? `no package in ${dir} (no dist/manifest.json); run frisson story package ${dir}`
        : loaded.error,
    );
  }
  const { story: manifest, mediaDir: baseDir } = loaded.data;
  const rendition = pickRendition(manifest, options.rendition);
  const jobs = Object.values(manifest.scenes).flatMap((scene) =>
    manifest.levels.map((level) => ({
      scene: scene.id,
      level: level.id,
      segments: scene.variants[level.id]?.segments ?? [],
    })),
  );
  const variants = await mapLimit(jobs, 2, async (job): Promise<VariantStats> => {
    const files = job.segments.map((s) =>
      join(baseDir, options.rendition ? (s.renditionUris?.[options.rendition] ?? s.uri) : s.uri),
    );
    const run = await runTool(tools.ffmpeg, variantStatsArgs(files), {
      signal: options.signal,
    });
    const loudness = parseEbur128(run.stderr);
    if (!loudness) throw new StoryStatsError(`${job.scene}/${job.level}: no audio to measure`);
    const meta = parseStatsMetadata(run.stdout.toString('utf8'));
    return {
      scene: job.scene,
      level: job.level,
      duration: Math.round(job.segments.reduce((sum, s) => sum + s.duration, 0) * 1000) / 1000,
      integrated: loudness.integrated,
      range: loudness.range,
      truePeak: loudness.truePeak ?? NaN,
      maxMomentary: meta.maxMomentary,
      meanLuma: Math.round(meta.meanLuma * 10) / 10,
    };
  });
  return { story: manifest.title, rendition, variants };
}

function pickRendition(manifest: PackagedStory, name: string | undefined): StoryStats['rendition'] {
  if (name === undefined) {
    const main = manifest.renditions[0];
    return {
      name: main?.name ?? `${manifest.height}p`,
      width: manifest.width,
      height: manifest.height,
    };
  }
  const r = manifest.renditions.find((x) => x.name === name);
  if (!r) {
    const names = manifest.renditions.map((x) => x.name).join(', ') || 'none besides the main one';
    throw new StoryStatsError(`no rendition "${name}" in this package (renditions: ${names})`);
  }
  return { name: r.name, width: r.width, height: r.height };
}

const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/**
 * The figures as a text table, then the per-level means.
 * @example process.stdout.write(formatStoryStats(stats));
 */
export function formatStoryStats(stats: StoryStats): string {
  const head = [
    'variant',
    'duration s',
    'LUFS',
    'LRA LU',
    'true peak dBTP',
    'max M LUFS',
    'mean luma',
  ];
  const rows = stats.variants.map((v) => [
    `${v.scene}/${v.level}`,
    fixed(v.duration),
    fixed(v.integrated),
    fixed(v.range),
    fixed(v.truePeak),
    fixed(v.maxMomentary),
    fixed(v.meanLuma),
  ]);
  const levels = [...new Set(stats.variants.map((v) => v.level))];
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const summary = levels.map((level) => {
    const vs = stats.variants.filter((v) => v.level === level);
    return [
      `all/${level}`,
      fixed(vs.reduce((a, v) => a + v.duration, 0)),
      fixed(mean(vs.map((v) => v.integrated))),
      fixed(mean(vs.map((v) => v.range))),
      fixed(Math.max(...vs.map((v) => v.truePeak))),
      fixed(Math.max(...vs.map((v) => v.maxMomentary))),
      fixed(mean(vs.map((v) => v.meanLuma))),
    ];
  });
  const all = [head, ...rows, ...summary];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ');
  return [
    `${stats.story} — ${stats.rendition.name} (${stats.rendition.width}x${stats.rendition.height}); per level: mean LUFS, LRA and luma, max true peak and M`,
    line(head),
    ...rows.map(line),
    ...summary.map(line),
    '',
  ].join('\n');
}
