/**
 * Loads a packaged story (dist/manifest.json) and validates it before any session may use it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, PackagedStorySchema, type PackagedStory } from '../media/story/manifest.js';
import { FrissonError } from './errors.js';

export interface LoadedStory {
  story: PackagedStory;
  /** Directory holding the manifest; segment URIs are relative to it. */
  mediaDir: string;
}

/** `dir` is a story package (with dist/manifest.json) or a packaged output dir itself. */
export async function loadPackagedStory(dir: string): Promise<LoadedStory> {
  const candidates = [join(dir, 'dist'), dir];
  for (const mediaDir of candidates) {
    let text: string;
    try {
      text = await readFile(join(mediaDir, MANIFEST_FILE), 'utf8');
    } catch {
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new FrissonError(
        'FRISSON_ERR_STORY_INVALID',
        `${join(mediaDir, MANIFEST_FILE)}: ${String(err)}`,
      );
    }
    const parsed = PackagedStorySchema.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
      }));
      throw new FrissonError(
        'FRISSON_ERR_STORY_INVALID',
        `${join(mediaDir, MANIFEST_FILE)}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
        details,
      );
    }
    return { story: parsed.data, mediaDir };
  }
  throw new FrissonError(
    'FRISSON_ERR_STORY_INVALID',
    `no packaged story at ${dir} (expected ${join(dir, 'dist', MANIFEST_FILE)}); run \`frisson story package ${dir}\``,
  );
}
