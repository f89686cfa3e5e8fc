/**
 * Loads the packaged story a server serves (media/story/load-manifest.ts validates it) and turns a
 * failure into the coded error the CLI and HTTP layers report. `checkStoryDir` decides, before
 * the server starts, whether a story directory is ready, may receive the demo, or is a mistake.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DEMO_STORY_HEADER } from '../media/demo/demo-story.js';
import { loadPackagedStory } from '../media/story/load-manifest.js';
import type { LoadedStory } from '../contracts/story.js';
import { STORY_FILES } from '../media/story/story-source.js';
import { FrissonError } from '../contracts/errors.js';

/**
 * The story a server serves, or a coded error: `dir` is a story package (with dist/manifest.json),
 * its dist/ directory, or the manifest.
 */
export async function requirePackagedStory(dir: string): Promise<LoadedStory> {
  const r = await loadPackagedStory(dir);
  if (!r.success) throw new FrissonError('FRISSON_ERR_STORY_INVALID', r.error);
  return r.data;
}

export interface CheckStoryDirOptions {
  /** `serve --demo`: a missing demo may be rendered into `dir` when `dir` is the demo's. */
  demo: boolean;
  /** How the user runs the CLI, for the commands in messages (e.g. `frisson`, `npm run frisson --`). */
  cli: string;
}

async function kind(path: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** The story file name in `dir` and whether `frisson story demo` wrote it. */
async function storyFileOf(dir: string): Promise<{ file: string; demo: boolean } | undefined> {
  for (const file of STORY_FILES) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (text !== undefined) return { file, demo: text.startsWith(DEMO_STORY_HEADER) };
  }
  return undefined;
}

/**
 * Whether `serve` can start on `dir`: `'packaged'` (a valid manifest), `'render-demo'` (with
 * `--demo`, when `dir` is the demo's: named `demo` like data/demo and /data/demo, or holding the
 * story.yaml the demo wrote; never a directory holding another story). Anything else throws a
 * one-line `FRISSON_ERR_STORY_INVALID` naming `dir` and the command that fixes it, so a mistyped
 * `--story` fails instead of receiving a freshly rendered demo.
 * @example
 *   if ((await checkStoryDir('data/demo', { demo: true, cli: 'frisson' })) === 'render-demo')
 *     await generateDemoStory('data/demo');
 */
export async function checkStoryDir(
  dir: string,
  opts: CheckStoryDirOptions,
): Promise<'packaged' | 'render-demo'> {
  const loaded = await loadPackagedStory(dir);
  if (loaded.success) return 'packaged';
  const fail = (message: string): never => {
    throw new FrissonError('FRISSON_ERR_STORY_INVALID', message);
  };
  const what = await kind(dir);
  const story = what === 'dir' ? await storyFileOf(dir) : undefined;
  const namedDemo = basename(resolve(dir)) === 'demo';
  if (opts.demo && what !== 'file' && (story ? story.demo : namedDemo)) return 'render-demo';
  const demoCmd = `\`${opts.cli} story demo ${dir}\``;
  const demoHint = namedDemo && !opts.demo ? ', or start with --demo' : '';
  if (what === 'missing') {
    return fail(
      `story directory ${dir} does not exist; check --story (or FRISSON_STORY), or render the demo there with ${demoCmd}${demoHint}`,
    );
  }
  const manifestPresent =
    what === 'file' ||
    (await kind(join(dir, 'dist', 'manifest.json'))) === 'file' ||
    (await kind(join(dir, 'manifest.json'))) === 'file';
  if (manifestPresent) return fail(loaded.error);
  if (story) {
    return fail(
      `the story in ${dir} is not packaged yet (no dist/manifest.json); run \`${opts.cli} story package ${dir}\``,
    );
  }
  return fail(
    `${dir} holds no story (no story.yaml, no dist/manifest.json); render the demo there with ${demoCmd}${demoHint}, or write a story.yaml (docs/stories.md) and run \`${opts.cli} story package ${dir}\``,
  );
}
