/**
 * `frisson story validate`: everything wrong with a story package, one problem per fault.
 */
import { resolveFfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import type { FfmpegTools } from '../ffmpeg/ffmpeg-tools.js';
import { checkStoryMedia } from './check-story-media.js';
import type { ProbedClip } from './check-story-media.js';
import { checkStoryStructure } from './check-story-structure.js';
import { loadStory } from './load-story.js';
import type { LoadedStoryFile } from './load-story.js';
import { salvageStory } from './salvage-story.js';
import type { StoryGaps } from './salvage-story.js';
import type { StoryProblem } from './story-problem.js';

export interface InspectStoryOptions {
  tools?: FfmpegTools;
  /** Probe the media files (default true). */
  checkMedia?: boolean;
  signal?: AbortSignal;
}

export interface InspectedStory {
  /** Present when the story file passed the schema. */
  loaded?: LoadedStoryFile;
  /** Probed, usable clips (empty when media was not checked). */
  clips: ProbedClip[];
  /** Sorted by line. Empty means valid. */
  problems: StoryProblem[];
}

const byLine = (a: StoryProblem, b: StoryProblem): number =>
  a.line - b.line || a.path.localeCompare(b.path);

/**
 * Validates and returns what was learnt along the way (the packager reuses the probes). A story
 * the schema rejects is still checked for structure and media on the parts that parsed, so one run
 * reports every problem. Throws StoryNotFoundError when `dir` holds no story file.
 */
export async function inspectStory(
  dir: string,
  options: InspectStoryOptions = {},
): Promise<InspectedStory> {
  const loaded = await loadStory(dir);
  let checked: { story: Omit<LoadedStoryFile, 'text'>; gaps?: StoryGaps } | undefined;
  const problems: StoryProblem[] = [];
  if (loaded.success) {
    checked = { story: loaded.data };
  } else {
    problems.push(...loaded.error);
    // Syntax errors leave no data; schema errors leave the parts that parsed.
    const salvaged = loaded.source && salvageStory(loaded.source.data);
    if (loaded.source && salvaged) {
      checked = {
        story: { dir, file: loaded.source.file, story: salvaged.story, source: loaded.source },
        gaps: salvaged.gaps,
      };
    }
  }
  let clips: ProbedClip[] = [];
  if (checked) {
    const { story, gaps } = checked;
    problems.push(...checkStoryStructure(story.story, story.source, gaps));
    if (options.checkMedia ?? true) {
      const tools = options.tools ?? resolveFfmpegTools();
      const media = await checkStoryMedia(story, tools, { signal: options.signal, gaps });
      clips = media.clips;
      problems.push(...media.problems);
    }
  }
  problems.sort(byLine);
  return loaded.success ? { loaded: loaded.data, clips, problems } : { clips: [], problems };
}

/**
 * Every problem of the story package in `dir` (schema, structure, media), sorted by line. Throws
 * StoryNotFoundError when `dir` holds no story file.
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
