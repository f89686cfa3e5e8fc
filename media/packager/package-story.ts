/**
 * `frisson story package`: validate a story package, encode every clip into spliceable HLS
 * segments (incrementally, by content hash), measure them and write `<dir>/dist/manifest.json`.
 *
 * Output is built in `<dir>/.dist-tmp-*` and renamed over `<dir>/dist` only when complete, so an
 * interrupted run never leaves a half-written package behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFile,
  link,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { resolveFfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { AAC_LC_CODEC, probeAvcCodec } from '../ffmpeg/h264-codec-string.js';
import { mapLimit } from '../story/check-story-media.js';
import type { ProbedClip } from '../story/check-story-media.js';
import { compileManifest } from '../story/compile-manifest.js';
import { PACKAGE_OUTPUT_DIR } from '../story/load-manifest.js';
import { MANIFEST_FILE } from '../../contracts/story.js';
import type {
  PackageSource,
  PackagedStory,
  Rendition,
  SegmentRef,
  SourceFile,
} from '../../contracts/story.js';
import { checkPackageFreshness, fingerprintFile, sha256Text } from '../story/package-freshness.js';
import type { StoryProblem } from '../story/story-problem.js';
import { formatStoryProblem } from '../story/story-problem.js';
import { DEFAULT_LEVELS } from '../story/story-schema.js';
import { inspectStory } from '../story/validate-story.js';
import { PackageError, encodeClip, encodeClipAudio } from './encode-clip.js';
import { ENCODER_REVISION } from './encode-settings.js';
import { joinParts } from './join-parts.js';
import type { EncodeSettings } from './encode-settings.js';
import { SilentProgress } from './package-progress.js';
import type { PackageProgress } from './package-progress.js';
import { h264LevelFor, parseRendition, renditionForSize } from './rendition-presets.js';
import type { RenditionSpec } from './rendition-presets.js';
import { probeVideoStream, streamCopyObstacle } from './stream-copy.js';

/** Book-keeping written next to the manifest; it is what makes re-packaging incremental. */
export const PACKAGER_STATE_FILE = 'packager-state.json';

const SegmentStateSchema = z.object({
  file: z.string(),
  bytes: z.number(),
  duration: z.number(),
  videoStart: z.number(),
  startsWithKeyframe: z.boolean(),
  videoFrames: z.number(),
  audioStart: z.number().optional(),
  audioEnd: z.number().optional(),
});
const ClipStateSchema = z.object({
  key: z.string(),
  /** Rendition name → directory (relative to dist) and segments. */
  renditions: z.record(
    z.string(),
    z.object({ dir: z.string(), segments: z.array(SegmentStateSchema) }),
  ),
});
const PackagerStateSchema = z.object({
  version: z.literal(1),
  /** ENCODER_REVISION the clips were encoded with. */
  revision: z.number().optional(),
  clips: z.record(z.string(), ClipStateSchema),
});
export type PackagerState = z.infer<typeof PackagerStateSchema>;
type ClipState = z.infer<typeof ClipStateSchema>;

export interface PackageStoryOptions {
  /** Seconds per segment (default: story `packaging.segmentDuration`, else 1). */
  segmentDuration?: number;
  /** ABR ladder, e.g. `['360p', '720p']` (default: story `packaging.renditions`, else one rendition). */
  renditions?: string[];
  tools?: FfmpegTools;
  progress?: PackageProgress;
  signal?: AbortSignal;
  /** ffmpeg processes at once (default 2). */
  concurrency?: number;
  /** x264 preset (default `veryfast`). */
  preset?: string;
}

export interface PackageStoryResult {
  manifest: PackagedStory;
  manifestPath: string;
  /** Clips (scene × level) encoded in this run. */
  encoded: number;
  /** Clips reused from the previous package because source and settings were unchanged. */
  unchanged: number;
  /** e.g. `0 clips re-encoded, 27 unchanged`. */
  summary: string;
}

/** The story has problems; `problems` lists all of them. */
export class StoryInvalidError extends Error {
  readonly code = 'FRISSON_ERR_STORY_INVALID';
  constructor(readonly problems: StoryProblem[]) {
    super(`story is invalid:\n${problems.map(formatStoryProblem).join('\n')}`);
    this.name = 'StoryInvalidError';
  }
}

/**
 * Whether the package in `dir` was written by this packager revision from the story file and
 * media now in `dir` (false when absent).
 * @example
 * if (!(await isPackageCurrent('data/demo'))) await packageStory('data/demo');
 */
export async function isPackageCurrent(dir: string): Promise<boolean> {
  if ((await readState(join(dir, PACKAGE_OUTPUT_DIR)))?.revision !== ENCODER_REVISION) return false;
  return (await checkPackageFreshness(dir)).success;
}

async function readState(distDir: string): Promise<PackagerState | undefined> {
  try {
    const parsed = PackagerStateSchema.safeParse(
      JSON.parse(await readFile(join(distDir, PACKAGER_STATE_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Hard-links (or copies across devices) a finished clip from the previous package. */
async function reuseClip(prev: ClipState, fromDist: string, toDist: string): Promise<boolean> {
  try {
    for (const r of Object.values(prev.renditions)) {
      await mkdir(join(toDist, r.dir), { recursive: true });
      for (const s of r.segments) {
        const from = join(fromDist, r.dir, s.file);
        const to = join(toDist, r.dir, s.file);
        if ((await stat(from)).size !== s.bytes) return false;
        await link(from, to).catch(() => copyFile(from, to));
      }
    }
    return true;
  } catch {
    return false;
  }
}

async function removeStale(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith('.dist-tmp-') || name.startsWith('.dist-old-')) {
      await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Packages the story in `dir`.
 * @example
 * const { summary } = await packageStory('stories/night-shift', { renditions: ['360p', '720p'] });
 * console.log(summary); // "27 clips re-encoded, 0 unchanged"
 */
export async function packageStory(
  dir: string,
  options: PackageStoryOptions = {},
): Promise<PackageStoryResult> {
  const tools = options.tools ?? resolveFfmpegTools();
  const progress = options.progress ?? new SilentProgress();
  const inspected = await inspectStory(dir, { tools, signal: options.signal });
  if (inspected.problems.length || !inspected.loaded)
    throw new StoryInvalidError(inspected.problems);
  const { story } = inspected.loaded;
  const clips = inspected.clips;
  // Every source file is fingerprinted once (a clip may reuse a file); the manifest records them.
  const fingerprints = new Map<string, Promise<SourceFile>>();
  const fingerprint = (file: string): Promise<SourceFile> => {
    let p = fingerprints.get(file);
    if (!p) {
      p = fingerprintFile(file);
      fingerprints.set(file, p);
    }
    return p;
  };

  const segmentDuration = options.segmentDuration ?? story.packaging?.segmentDuration ?? 1;
  const frameRate = story.packaging?.frameRate ?? 25;
  const gop = frameRate * segmentDuration;
  if (Math.abs(gop - Math.round(gop)) > 1e-9) {
    throw new PackageError(
      `segment duration ${segmentDuration} s is not a whole number of frames at ${frameRate} fps`,
    );
  }
  const ladder = options.renditions ?? story.packaging?.renditions;
  let renditions: RenditionSpec[];
  if (ladder?.length) {
    renditions = ladder.map((name) => {
      const r = parseRendition(name);
      if (!r.success) throw new PackageError(r.error);
      return r.data;
    });
  } else {
    const v = clips[0]?.parts[0]?.info.video;
    renditions = [
      renditionForSize(
        story.packaging?.width ?? v?.width ?? 1280,
        story.packaging?.height ?? v?.height ?? 720,
      ),
    ];
  }
  const main = renditions[0] as RenditionSpec;
  const settings: EncodeSettings = {
    segmentDuration,
    frameRate,
    renditions,
    level: h264LevelFor(renditions, frameRate),
    preset: options.preset ?? 'veryfast',
    crf: 23,
    audioBitrateKbps: 128,
  };

  // All levels of a scene are cut to the same frame count, so their segments match exactly.
  const framesByScene = new Map<string, number>();
  for (const c of clips) {
    const frames = Math.max(1, Math.floor(c.duration * frameRate + 0.5));
    framesByScene.set(c.sceneId, Math.min(framesByScene.get(c.sceneId) ?? Infinity, frames));
  }

  const distDir = join(dir, PACKAGE_OUTPUT_DIR);
  await removeStale(dir);
  const previous = await readState(distDir);
  const tmpDir = join(dir, `.dist-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  let encoded = 0;
  let unchanged = 0;
  try {
    progress.start(clips.length);
    const states = await mapLimit(clips, options.concurrency ?? 2, async (clip: ProbedClip) => {
      const id = `${clip.sceneId}/${clip.levelId}`;
      const frames = framesByScene.get(clip.sceneId) ?? 1;
      const hash = createHash('sha256').update(
        JSON.stringify({
          rev: ENCODER_REVISION,
          settings,
          frames,
          parts: clip.parts.map((p) => ({
            start: p.start,
            duration: p.duration,
            audio: !!p.info.audio,
          })),
        }),
      );
      for (const part of clip.parts) hash.update((await fingerprint(part.file)).sha256);
      const key = hash.digest('hex');
      const prev = previous?.clips[id];
      if (prev?.key === key && (await reuseClip(prev, distDir, tmpDir))) {
        unchanged += 1;
        progress.clipDone(id, true);
        return [id, prev] as const;
      }
      progress.clipStart(id);
      const state: ClipState = { key, renditions: {} };
      const clipDir = join(tmpDir, 'clips', clip.sceneId, clip.levelId);
      await mkdir(clipDir, { recursive: true });
      // Several pieces of media: join them first, at the largest rendition's size.
      const largest = renditions.reduce((a, b) =>
        b.width * b.height > a.width * a.height ? b : a,
      );
      const source =
        clip.parts.length === 1 && clip.parts[0]
          ? clip.parts[0]
          : await joinParts(
              tools,
              { parts: clip.parts, frameRate, size: largest, outFile: join(clipDir, 'joined.mkv') },
              options.signal,
            );
      const audioFile = await encodeClipAudio(
        tools,
        {
          source: source.file,
          start: source.start,
          frames,
          hasAudio: !!source.info.audio,
          settings,
          outFile: join(clipDir, 'audio.aac'),
        },
        { signal: options.signal },
      );
      // A source that already is a rendition's picture is segmented by stream copy.
      const facts =
        source.start === 0 && source.info.video?.codec === 'h264'
          ? await probeVideoStream(tools, source.file, options.signal)
          : undefined;
      for (const [ri, rendition] of renditions.entries()) {
        const rel = `clips/${clip.sceneId}/${clip.levelId}/${rendition.name}`;
        const copyVideo =
          facts !== undefined && !streamCopyObstacle(facts, { rendition, settings, frames });
        const segments = await encodeClip(
          tools,
          {
            source: source.file,
            start: source.start,
            frames,
            audioFile,
            rendition,
            settings,
            outDir: join(tmpDir, rel),
            copyVideo,
          },
          {
            signal: options.signal,
            onProgress: (f) => progress.clipProgress(id, (ri + f) / renditions.length),
          },
        );
        state.renditions[rendition.name] = { dir: rel, segments };
      }
      await rm(audioFile, { force: true });
      if (source !== clip.parts[0]) await rm(source.file, { force: true });
      encoded += 1;
      progress.clipDone(id, false);
      return [id, state] as const;
    });
    const state: PackagerState = {
      version: 1,
      revision: ENCODER_REVISION,
      clips: Object.fromEntries(states),
    };

    const levels = story.levels ?? DEFAULT_LEVELS;
    const frame = 1 / frameRate;
    const segments = new Map<string, Map<string, SegmentRef[]>>();
    for (const scene of story.scenes) {
      const byLevel = new Map<string, SegmentRef[]>();
      let reference: { level: string; durations: number[] } | undefined;
      for (const level of levels) {
        const clipState = state.clips[`${scene.id}/${level.id}`];
        const mainSegs = clipState?.renditions[main.name]?.segments ?? [];
        const durations = mainSegs.map((s) => s.duration);
        if (!reference) reference = { level: level.id, durations };
        else if (
          durations.length !== reference.durations.length ||
          durations.some((d, i) => Math.abs(d - (reference?.durations[i] ?? 0)) > frame + 1e-6)
        ) {
          throw new PackageError(
            `scene "${scene.id}": level "${level.id}" segments [${durations.join(', ')}] do not match ` +
              `"${reference.level}" [${reference.durations.join(', ')}]`,
          );
        }
        byLevel.set(
          level.id,
          mainSegs.map((s, i) => ({
            uri: `${clipState?.renditions[main.name]?.dir}/${s.file}`,
            duration: s.duration,
            ...(ladder?.length
              ? {
                  renditionUris: Object.fromEntries(
                    Object.entries(clipState?.renditions ?? {}).map(([name, r]) => [
                      name,
                      `${r.dir}/${r.segments[i]?.file ?? s.file}`,
                    ]),
                  ),
                }
              : {}),
          })),
        );
      }
      segments.set(scene.id, byLevel);
    }

    const firstUri = segments
      .get(story.scenes[0]?.id ?? '')
      ?.values()
      .next().value?.[0]?.uri;
    if (!firstUri) throw new PackageError('no segments were produced');
    const codecs = `${await probeAvcCodec(tools, join(tmpDir, firstUri))},${AAC_LC_CODEC}`;
    const manifestRenditions: Rendition[] = ladder?.length
      ? renditions.map((r) => {
          let peak = 1;
          for (const c of Object.values(state.clips)) {
            for (const s of c.renditions[r.name]?.segments ?? []) {
              peak = Math.max(peak, Math.ceil((s.bytes * 8) / s.duration));
            }
          }
          return { name: r.name, width: r.width, height: r.height, bandwidth: peak };
        })
      : [];
    const builtFrom: PackageSource = {
      storyFile: inspected.loaded.file,
      storySha256: sha256Text(inspected.loaded.text),
      media: Object.fromEntries(
        (
          await Promise.all(
            [...fingerprints].map(async ([file, p]) => [relative(dir, file), await p] as const),
          )
        ).sort(([a], [b]) => a.localeCompare(b)),
      ),
    };
    const manifest = compileManifest(story, {
      builtFrom,
      segmentDuration,
      codecs,
      width: main.width,
      height: main.height,
      frameRate,
      segments,
      renditions: manifestRenditions,
    });
    await writeFile(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(tmpDir, PACKAGER_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);

    // Swap in the finished package. The old one is moved aside first (rename is atomic per call).
    const oldDir = join(dir, `.dist-old-${process.pid}-${randomBytes(4).toString('hex')}`);
    const hadOld = await stat(distDir).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(distDir, oldDir);
    await rename(tmpDir, distDir);
    if (hadOld) await rm(oldDir, { recursive: true, force: true });
    const summary = `${encoded} clip${encoded === 1 ? '' : 's'} re-encoded, ${unchanged} unchanged`;
    return { manifest, manifestPath: join(distDir, MANIFEST_FILE), encoded, unchanged, summary };
  } finally {
    progress.stop();
    await rm(tmpDir, { recursive: true, force: true });
  }
}
