/**
 * Media checks of a story: every variant's file exists, is readable by ffprobe, has video, is not
 * empty, and all levels of a scene last the same (± one frame).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { probeMedia } from '../ffmpeg/probe-media.js';
import type { MediaInfo } from '../ffmpeg/probe-media.js';
import { ToolFailedError } from '../ffmpeg/run-tool.js';
import { NO_GAPS } from './salvage-story.js';
import type { StoryGaps } from './salvage-story.js';
import { formatStoryPath } from './story-problem.js';
import type { StoryPath, StoryProblem } from './story-problem.js';
import { resolveClipSource } from './story-schema.js';
import type { LoadedStoryFile } from './load-story.js';

/** One probed piece of source media. */
export interface ProbedPart {
  /** Absolute path of the source file. */
  file: string;
  /** In point, seconds. */
  start: number;
  /** Usable duration after trimming, seconds. */
  duration: number;
  info: MediaInfo;
}

/** A probed source clip (one scene × level), ready for the packager. */
export interface ProbedClip {
  sceneId: string;
  levelId: string;
  /** The pieces played back to back (usually one). */
  parts: ProbedPart[];
  /** Total usable duration, seconds. */
  duration: number;
}

/** Default output frame rate when the story does not set `packaging.frameRate`. */
export const DEFAULT_FRAME_RATE = 25;

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Probes every variant of every scene. Returns the usable clips and the problems found. `gaps`:
 * for a story the schema rejected, checked on the parts that parsed (./salvage-story.ts).
 * @example
 * const { clips, problems } = await checkStoryMedia(loaded, tools);
 */
export async function checkStoryMedia(
  loaded: Pick<LoadedStoryFile, 'dir' | 'story' | 'source'>,
  tools: FfmpegTools,
  options: { signal?: AbortSignal; concurrency?: number; gaps?: StoryGaps } = {},
): Promise<{ clips: ProbedClip[]; problems: StoryProblem[] }> {
  const { story, source } = loaded;
  const gaps = options.gaps ?? NO_GAPS;
  const problems: StoryProblem[] = [];
  const add = (code: StoryProblem['code'], path: StoryPath, message: string): void => {
    const at = gaps.sourcePath(path);
    problems.push({
      code,
      file: source.file,
      line: source.lineOf(at),
      path: formatStoryPath(at),
      message,
    });
  };
  const jobs = story.scenes.flatMap((scene, si) =>
    Object.entries(scene.variants).map(([levelId, clip]) => ({ scene, si, levelId, clip })),
  );
  const probePart = async (
    part: { file: string; start?: number; end?: number },
    path: StoryPath,
  ): Promise<ProbedPart | undefined> => {
    const file = resolve(loaded.dir, part.file);
    try {
      const st = await stat(file);
      if (!st.isFile()) {
        add('media-missing', path, `media file "${part.file}" is not a file`);
        return undefined;
      }
      if (st.size === 0) {
        add('media-empty', path, `media file "${part.file}" is empty (0 bytes)`);
        return undefined;
      }
    } catch {
      add('media-missing', path, `media file "${part.file}" not found`);
      return undefined;
    }
    try {
      await access(file, constants.R_OK);
    } catch {
      add('media-unreadable', path, `media file "${part.file}" is not readable (permissions)`);
      return undefined;
    }
    let info: MediaInfo;
    try {
      info = await probeMedia(tools, file, options.signal);
    } catch (error) {
      const detail =
        error instanceof ToolFailedError
          ? (error.stderr.trim().split('\n').pop() ?? 'ffprobe failed')
          : (error as Error).message;
      add('media-unreadable', path, `media file "${part.file}" is unreadable: ${detail}`);
      return undefined;
    }
    if (!info.video) {
      add('media-no-video', path, `media file "${part.file}" has no video stream`);
      return undefined;
    }
    const start = part.start ?? 0;
    const end = Math.min(part.end ?? Infinity, info.video.duration);
    const duration = end - start;
    if (!(duration > 0)) {
      add('media-empty', path, `media file "${part.file}" is a zero-length clip`);
      return undefined;
    }
    return { file, start, duration, info };
  };
  const probed = await mapLimit(jobs, options.concurrency ?? 4, async (job) => {
    const base: StoryPath = ['scenes', job.si, 'variants', job.levelId];
    const parts: ProbedPart[] = [];
    let ok = true;
    for (const part of resolveClipSource(job.clip)) {
      const probedPart = await probePart(part, [...base, ...part.path]);
      if (probedPart) parts.push(probedPart);
      else ok = false;
    }
    if (!ok) return undefined;
    const duration = parts.reduce((sum, p) => sum + p.duration, 0);
    const path: StoryPath =
      parts.length === 1 ? [...base, ...(resolveClipSource(job.clip)[0]?.path ?? [])] : base;
    const clip: ProbedClip = { sceneId: job.scene.id, levelId: job.levelId, parts, duration };
    return { clip, si: job.si, path };
  });
  const frame = 1 / (story.packaging?.frameRate ?? DEFAULT_FRAME_RATE);
  const clips: ProbedClip[] = [];
  const reference = new Map<number, ProbedClip>();
  for (const p of probed) {
    if (!p) continue;
    clips.push(p.clip);
    const ref = reference.get(p.si);
    if (!ref) {
      reference.set(p.si, p.clip);
    } else if (Math.abs(ref.duration - p.clip.duration) > frame + 1e-6) {
      add(
        'duration-mismatch',
        p.path,
        `variant lasts ${p.clip.duration.toFixed(3)} s but "${ref.levelId}" lasts ` +
          `${ref.duration.toFixed(3)} s: levels of a scene must match within one frame (${frame.toFixed(3)} s)`,
      );
    }
  }
  return { clips, problems };
}
