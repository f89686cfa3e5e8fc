/**
 * Rendering one variant of one scene of a procedural horror film with ffmpeg only: the scene's
 * plate and the apparition sprites are painted once (cached by their arguments), the sound is
 * measured (EBU R128) and its gains solved, then one ffmpeg run films the picture and mixes the
 * sound into a MOV: H.264 encoded exactly as the packager would (constrained baseline, a closed
 * GOP of one segment, a keyframe at every segment start, RFC 8216 §3 / Apple HLS authoring spec
 * alignment) so `frisson story package` segments it by stream copy instead of encoding it twice,
 * and lossless ALAC audio, which the packager encodes to AAC once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { runTool } from '../ffmpeg/run-tool.js';
import { mapLimit } from '../story/check-story-media.js';
import { spriteArgs, type Apparition } from './figure-graph.js';
import type { FilmScene } from './film-scene.js';
import { layerGainDb, parseEbur128, type LoudnessSummary } from '../ffmpeg/loudness.js';
import { pictureGraph, pictureGeometry, type FilmFormat } from './picture-graph.js';
import { plateArgs, type Setting } from './plate-graph.js';
import { BED_LUFS, layersMeter, loudnessTarget, mixGraph, stemsGraph } from './sound-graph.js';

/** Bump when the renderer's output changes in a way its arguments do not show. */
export const FILM_RENDERER_REVISION = 1;

/** How every clip of a film is encoded: the packager's settings for its main rendition. */
export interface FilmEncode extends FilmFormat {
  segmentDuration: number;
  /** H.264 level, e.g. `3.1` (media/packager/rendition-presets.ts h264LevelFor). */
  level: string;
  maxrateKbps: number;
  crf: number;
}

/** Fonts of the captions: DejaVu (dejavu-fonts-ttf) unless another is given (e.g. a CJK font). */
export function filmFonts(): { caption: string; title: string } {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
    'ttf',
  );
  return { caption: join(dir, 'DejaVuSerif.ttf'), title: join(dir, 'DejaVuSerif-Bold.ttf') };
}

/** H.264 output options for a clip (see FilmEncode); the caller adds sound and container. */
export function filmEncodeArgs(encode: FilmEncode): string[] {
  const gop = Math.round(encode.frameRate * encode.segmentDuration);
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    // The cheapest motion search: the camera drifts a few pixels a second and grain has no motion.
    // repeat-headers puts SPS/PPS before every keyframe, as the packager's own segments have them.
    '-x264-params',
    'me=dia:subme=1:repeat-headers=1',
    '-profile:v',
    'baseline',
    '-level',
    encode.level,
    '-pix_fmt',
    'yuv420p',
    '-crf',
    String(encode.crf),
    '-maxrate',
    `${encode.maxrateKbps}k`,
    '-bufsize',
    `${encode.maxrateKbps * 2}k`,
    '-g',
    String(gop),
    '-keyint_min',
    String(gop),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${encode.segmentDuration})`,
    '-r',
    String(encode.frameRate),
  ];
}

/** Where a film's painted plates and sprites are cached. */
export interface FilmAssets {
  plate(setting: Setting): string;
  sprite(apparition: Apparition): string;
}

/** The ffmpeg runs that paint a film's plates and sprites, each with its cache file name. */
export function filmAssetJobs(
  dir: string,
  format: FilmFormat,
  settings: readonly Setting[],
): { file: string; args: string[] }[] {
  const geo = pictureGeometry(format);
  const named = (
    prefix: string,
    args: (out: string) => string[],
  ): { file: string; args: string[] } => {
    const key = createHash('sha256')
      .update(JSON.stringify(args('OUT')))
      .digest('hex')
      .slice(0, 12);
    const file = join(dir, `${prefix}-${key}.png`);
    return { file, args: args(file) };
  };
  const unique = [...new Set(settings)];
  return [
    ...unique.map((setting) =>
      named(`plate-${setting}`, (output) =>
        plateArgs({ setting, width: geo.plateWidth, height: geo.plateHeight, output }),
      ),
    ),
    named('sprite-figure', (output) => spriteArgs({ apparition: 'figure', output })),
    named('sprite-face', (output) => spriteArgs({ apparition: 'face', output })),
  ];
}

/**
 * Paints what is missing of a film's plates and sprites into `dir` and says where they are.
 * @example const assets = await paintFilmAssets(tools, 'media/.film', format, ['corridor']);
 */
export async function paintFilmAssets(
  tools: FfmpegTools,
  dir: string,
  format: FilmFormat,
  settings: readonly Setting[],
  signal?: AbortSignal,
): Promise<FilmAssets> {
  await mkdir(dir, { recursive: true });
  const jobs = filmAssetJobs(dir, format, settings);
  await mapLimit(jobs, 2, async (job) => {
    const exists = await stat(job.file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (exists) return;
    const tmp = job.file.replace(/\.png$/, `.${process.pid}-${randomBytes(4).toString('hex')}.png`);
    try {
      await runTool(tools.ffmpeg, [...job.args.slice(0, -1), tmp], { signal });
      await rename(tmp, job.file);
    } finally {
      await rm(tmp, { force: true });
    }
  });
  const unique = [...new Set(settings)];
  const plates = new Map(unique.map((s, i) => [s, jobs[i]?.file ?? '']));
  return {
    plate: (setting) => {
      const file = plates.get(setting);
      if (!file) throw new Error(`no plate painted for ${setting}`);
      return file;
    },
    sprite: (apparition) => jobs[jobs.length - (apparition === 'figure' ? 2 : 1)]?.file ?? '',
  };
}

export interface FilmClipJob {
  scene: FilmScene;
  intensity: number;
  encode: FilmEncode;
  /** Caption text files (see pictureGraph). */
  captionFile: string;
  titleFile?: string;
  fonts?: { caption: string; title: string };
  output: string;
}

/**
 * A clip's render key: everything its picture and sound depend on, with file paths left out so
 * a film that moves is not rendered again. Captions are hashed by content (`captions`).
 */
export function filmClipKey(
  job: Omit<FilmClipJob, 'output' | 'captionFile' | 'titleFile'>,
  captions: string,
): string {
  const format = {
    width: job.encode.width,
    height: job.encode.height,
    frameRate: job.encode.frameRate,
  };
  return createHash('sha256')
    .update(
      JSON.stringify({
        rev: FILM_RENDERER_REVISION,
        picture: pictureGraph({
          scene: job.scene,
          intensity: job.intensity,
          format,
          inputs: { plate: 0, figure: 1, face: 2 },
          captionFile: 'caption',
          titleFile: 'title',
          fontFile: 'font',
          titleFontFile: 'title-font',
        }),
        plate: filmAssetJobs('.', format, [job.scene.setting]).map((j) => j.file),
        sound: stemsGraph(job.scene, [job.intensity]),
        target: loudnessTarget(job.intensity),
        encode: filmEncodeArgs(job.encode),
        fonts: job.fonts ?? null,
        captions,
      }),
    )
    .digest('hex');
}

/** A scene's stems file and, per intensity, the gains (dB) of its bed and layers. */
export interface SceneStems {
  file: string;
  bed: LoudnessSummary;
  layers: Map<number, LoudnessSummary>;
  gainsDb(intensity: number): { bed: number; layers: number };
}

/**
 * Writes a scene's stems (one channel per stem, 32-bit float, NUT) to `file` while metering the
 * bed and the layers of every intensity, and solves each variant's gains (EBU R128).
 * @example
 * const stems = await renderSceneStems(tools, scene, [0, 0.5, 1], 'media/.film/stems.nut');
 */
export async function renderSceneStems(
  tools: FfmpegTools,
  scene: FilmScene,
  intensities: readonly number[],
  file: string,
  signal?: AbortSignal,
): Promise<SceneStems> {
  const run = await runTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-y',
      '-loglevel',
      'info',
      '-filter_complex',
      stemsGraph(scene, intensities),
      '-map',
      '[stems_out]',
      '-c:a',
      'pcm_f32le',
      '-f',
      'nut',
      file,
    ],
    { signal },
  );
  const bed = parseEbur128(run.stderr, 'ebur128@bed');
  if (!bed) throw new Error(`ffmpeg printed no loudness summary for the bed of ${file}`);
  const layers = new Map<number, LoudnessSummary>();
  intensities.forEach((intensity, k) => {
    const summary = parseEbur128(run.stderr, layersMeter(k));
    if (!summary) throw new Error(`ffmpeg printed no loudness summary for the layers of ${file}`);
    layers.set(intensity, summary);
  });
  return {
    file,
    bed,
    layers,
    gainsDb: (intensity) => {
      const measured = layers.get(intensity);
      if (!measured) throw new Error(`stems of ${file} were not metered at intensity ${intensity}`);
      return {
        bed: BED_LUFS - bed.integrated,
        layers: layerGainDb({
          target: loudnessTarget(intensity),
          bed: BED_LUFS,
          layers: measured.integrated,
        }),
      };
    },
  };
}

/**
 * Renders one variant of one scene into `job.output` (MOV) from the scene's stems. The file
 * appears only when complete.
 * @example
 * await renderFilmClip(tools, assets, stems, { scene, intensity: 1, encode, captionFile, output: 'media/hall-scare.mov' });
 */
export async function renderFilmClip(
  tools: FfmpegTools,
  assets: FilmAssets,
  stems: SceneStems,
  job: FilmClipJob,
  signal?: AbortSignal,
): Promise<void> {
  const fonts = job.fonts ?? filmFonts();
  const picture = pictureGraph({
    scene: job.scene,
    intensity: job.intensity,
    format: job.encode,
    inputs: { plate: 0, figure: 1, face: 2 },
    captionFile: job.captionFile,
    ...(job.titleFile ? { titleFile: job.titleFile } : {}),
    fontFile: fonts.caption,
    titleFontFile: fonts.title,
  });
  // The container follows the name: MOV with lossless ALAC sound (the packager encodes it to AAC
  // once), or MP4 (this ffmpeg cannot put ALAC in MP4: AAC at 256 kbit/s).
  const ext = extname(job.output).toLowerCase() === '.mp4' ? 'mp4' : 'mov';
  const audio = ext === 'mp4' ? ['-c:a', 'aac', '-b:a', '256k'] : ['-c:a', 'alac'];
  const tmp = `${job.output}.tmp.${ext}`;
  try {
    await runTool(
      tools.ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-nostats',
        '-y',
        '-loglevel',
        'error',
        '-i',
        assets.plate(job.scene.setting),
        '-i',
        assets.sprite('figure'),
        '-i',
        assets.sprite('face'),
        '-i',
        stems.file,
        '-filter_complex',
        `${picture};${mixGraph('3:a', job.intensity, stems.gainsDb(job.intensity))}`,
        '-map',
        '[v]',
        '-map',
        '[a]',
        ...filmEncodeArgs(job.encode),
        ...audio,
        '-f',
        ext,
        tmp,
      ],
      { signal },
    );
    await rename(tmp, job.output);
  } finally {
    await rm(tmp, { force: true });
  }
}
