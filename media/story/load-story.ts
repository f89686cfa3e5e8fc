/**
 * Loading a story package's story file: find it, parse it with positions, check it against the
 * authoring schema. Structure and media checks live in validate-story.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { formatStoryPath } from './story-problem.js';
import type { StoryProblem } from './story-problem.js';
import { StorySchema } from './story-schema.js';
import type { Story } from './story-schema.js';
import { STORY_FILES, StorySource } from './story-source.js';

/** A story file that passed the schema. */
export interface LoadedStoryFile {
  /** Absolute (or as given) package directory. */
  dir: string;
  /** Story file name inside `dir`, e.g. `story.yaml`. */
  file: string;
  /** The story file's text, exactly as read (the packager records its hash). */
  text: string;
  story: Story;
  source: StorySource;
}

export type LoadStoryResult =
  | { success: true; data: LoadedStoryFile }
  | { success: false; error: StoryProblem[]; source?: StorySource };

/** `dir` holds no story file (or does not exist): not a problem *in* a story, so no line. */
export class StoryNotFoundError extends Error {
  readonly code = 'FRISSON_ERR_STORY_NOT_FOUND';
  constructor(readonly dir: string) {
    super(
      `no story at ${dir} (expected ${join(dir, STORY_FILES[0])}); ` +
        `create one with frisson story new ${dir}`,
    );
    this.name = 'StoryNotFoundError';
  }
}

/** zod says only "Invalid input" for a union; say which shapes are allowed instead. */
function unionMessage(path: readonly (string | number)[], fallback: string): string {
  const last = path[path.length - 1];
  if (path.includes('when')) {
    return 'invalid condition: expected { var, op, value } (op: eq ne gt gte lt lte), { all: [...] }, { any: [...] } or { not: {...} }';
  }
  if (last === 'next')
    return 'expected a scene id, { scene: <id> }, { branch: <id> } or { ending: <id> }';
  if (path[path.length - 2] === 'variants') {
    return 'expected a media file path or { file, start?, end? }';
  }
  if (path.includes('set') || last === 'initial' || last === 'value') {
    return 'expected a number, a string or true/false';
  }
  return fallback;
}

/** Converts zod issues to problems with lines; unknown fields get one problem each. */
export function schemaProblems(source: StorySource, issues: z.core.$ZodIssue[]): StoryProblem[] {
  const problems: StoryProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = [...path, key];
        problems.push({
          code: 'schema',
          file: source.file,
          line: source.lineOf(full),
          path: formatStoryPath(full),
          message: `unknown field "${key}"`,
        });
      }
      continue;
    }
    problems.push({
      code: 'schema',
      file: source.file,
      line: source.lineOf(path),
      path: formatStoryPath(path),
      message: issue.code === 'invalid_union' ? unionMessage(path, issue.message) : issue.message,
    });
  }
  return problems;
}

/** Finds the story file of a package directory (`story.yaml`, `story.yml` or `story.json`). */
export async function readStoryFile(
  dir: string,
): Promise<{ file: string; text: string } | undefined> {
  for (const file of STORY_FILES) {
    try {
      return { file, text: await readFile(join(dir, file), 'utf8') };
    } catch (error) {
      // ENOTDIR: `dir` is a file, which holds no story either.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
  }
  return undefined;
}

/**
 * Parses text as a story file (no file system access).
 * @example
 * const r = parseStory('story.yaml', text); if (r.success) console.log(r.data.story.title);
 */
export function parseStory(dir: string, file: string, text: string): LoadStoryResult {
  const { source, errors } = StorySource.parse(file, text);
  if (errors.length) {
    return {
      success: false,
      source,
      error: errors.map((e) => ({
        code: 'syntax',
        file,
        line: e.line,
        path: '(root)',
        message: e.message,
      })),
    };
  }
  const parsed = StorySchema.safeParse(source.data);
  if (!parsed.success)
    return { success: false, source, error: schemaProblems(source, parsed.error.issues) };
  return { success: true, data: { dir, file, text, story: parsed.data, source } };
}

/**
 * Reads and schema-checks `<dir>/story.yaml`. Throws StoryNotFoundError when there is none.
 * @example
 * const r = await loadStory('stories/night-shift');
 * if (!r.success) r.error.forEach((p) => console.log(formatStoryProblem(p)));
 */
export async function loadStory(dir: string): Promise<LoadStoryResult> {
  const found = await readStoryFile(dir);
  if (!found) throw new StoryNotFoundError(dir);
  return parseStory(dir, found.file, found.text);
}
