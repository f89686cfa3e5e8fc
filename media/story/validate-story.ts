/**
 * `frisson story validate`: everything wrong with a story package, one problem per fault.
 */
import { resolveFfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { checkStoryMedia } from './check-story-media.js';
import type { ProbedClip } from './check-story-media.js';
import { checkStoryStructure } from './check-story-structure.js';
import { loadStory } from './load-story.js';
import type { LoadedStory } from './load-story.js';
import type { StoryProblem } from './story-problem.js';

export interface InspectStoryOptions {
  tools?: FfmpegTools;
  /** Probe the media files (default true). */
  checkMedia?: boolean;
  signal?: AbortSignal;
}

export interface InspectedStory {
  /** Present when the story file passed the schema. */
  loaded?: LoadedStory;
  /** Probed, usable clips (empty when media was not checked). */
  clips: ProbedClip[];
  /** Sorted by line. Empty means valid. */
  problems: StoryProblem[];
}

/** Validates and returns what was learnt along the way (the packager reuses the probes). */
export async function inspectStory(
  dir: string,
  options: InspectStoryOptions = {},
): Promise<InspectedStory> {
  const loaded = await loadStory(dir);
  if (!loaded.success) {
    const problems = [...loaded.error].sort(
      (a, b) => a.line - b.line || a.path.localeCompare(b.path),
    );
    return { clips: [], problems };
  }
  const problems = checkStoryStructure(loaded.data.story, loaded.data.source);
  let clips: ProbedClip[] = [];
  if (options.checkMedia ?? true) {
    const tools = options.tools ?? resolveFfmpegTools();
    const media = await checkStoryMedia(loaded.data, tools, { signal: options.signal });
    clips = media.clips;
    problems.push(...media.problems);
  }
  problems.sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
  return { loaded: loaded.data, clips, problems };
}

/**
 * Every problem of the story package in `dir` (schema, structure, media), sorted by line.
 * @example
 * const problems = await validateStory('stories/night-shift');
 * for (const p of problems) console.log(formatStoryProblem(p)); // story.yaml:14: scenes[1].next: unknown scene "celar"
 */
export async function validateStory(
  dir: string,
  options: InspectStoryOptions = {},
): Promise<StoryProblem[]> {
  return (await inspectStory(dir, options)).problems;
}
