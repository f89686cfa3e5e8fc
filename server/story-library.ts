/**
 * Loads the packaged story a server serves (media/story/load-manifest.ts validates it) and turns a
 * failure into the coded error the CLI and HTTP layers report.
 */
import { loadPackagedStory as loadManifest } from '../media/story/load-manifest.js';
import type { PackagedStory } from '../media/story/manifest.js';
import { FrissonError } from './errors.js';

export interface LoadedStory {
  story: PackagedStory;
  /** Directory holding the manifest; segment URIs are relative to it. */
  mediaDir: string;
}

/** `dir` is a story package (with dist/manifest.json), its dist/ directory, or the manifest. */
export async function loadPackagedStory(dir: string): Promise<LoadedStory> {
  const r = await loadManifest(dir);
  if (!r.success) throw new FrissonError('FRISSON_ERR_STORY_INVALID', r.error);
  return { story: r.data.manifest, mediaDir: r.data.baseDir };
}
