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
import { formatStoryPath } from './story-problem.js';
import type { StoryPath, StoryProblem } from './story-problem.js';
import { resolveClipSource } from './story-schema.js';
import type { LoadedStory } from './load-story.js';

/** A probed source clip, ready for the packager. */
export interface ProbedClip {
  sceneId: string;
  levelId: string;
  /** Absolute path of the source file. */
  file: string;
  /** In point, seconds. */
  start: number;
  /** Usable duration after trimming, seconds. */
  duration: number;
  info: MediaInfo;
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
 * Probes every variant of every scene. Returns the usable clips and the problems found.
 * @example
 * const { clips, problems } = await checkStoryMedia(loaded, tools);
 */
export async function checkStoryMedia(
  loaded: LoadedStory,
  tools: FfmpegTools,
  options: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<{ clips: ProbedClip[]; problems: StoryProblem[] }> {
  const { story, source } = loaded;
  const problems: StoryProblem[] = [];
  const add = (code: StoryProblem['code'], path: StoryPath, message: string): void => {
    problems.push({ code, file: source.file, line: source.lineOf(path), path: formatStoryPath(path), message });
  };
  const jobs = story.scenes.flatMap((scene, si) =>
    Object.entries(scene.variants).map(([levelId, clip]) => ({ scene, si, levelId, clip })),
  );
  const probed = await mapLimit(jobs, options.concurrency ?? 4, async (job) => {
    const src = resolveClipSource(job.clip);
    const path: StoryPath =
      typeof job.clip === 'string'
        ? ['scenes', job.si, 'variants', job.levelId]
        : ['scenes', job.si, 'variants', job.levelId, 'file'];
    const file = resolve(loaded.dir, src.file);
    try {
      const st = await stat(file);
      if (!st.isFile()) {
        add('media-missing', path, `media file "${src.file}" is not a file`);
        return undefined;
      }
      if (st.size === 0) {
        add('media-empty', path, `media file "${src.file}" is empty (0 bytes)`);
        return undefined;
      }
    } catch {
      add('media-missing', path, `media file "${src.file}" not found`);
      return undefined;
    }
    try {
      await access(file, constants.R_OK);
    } catch {
      add('media-unreadable', path, `media file "${src.file}" is not readable (permissions)`);
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
      add('media-unreadable', path, `media file "${src.file}" is unreadable: ${detail}`);
      return undefined;
    }
    if (!info.video) {
      add('media-no-video', path, `media file "${src.file}" has no video stream`);
      return undefined;
    }
    const start = src.start ?? 0;
    const end = Math.min(src.end ?? Infinity, info.video.duration);
    const duration = end - start;
    if (!(duration > 0)) {
      add('media-empty', path, `media file "${src.file}" is a zero-length clip`);
      return undefined;
    }
    const clip: ProbedClip = { sceneId: job.scene.id, levelId: job.levelId, file, start, duration, info };
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
