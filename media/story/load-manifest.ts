/**
 * Reading a packaged story's manifest (`<package>/dist/manifest.json`) for the runtime.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, PackagedStorySchema, type LoadedStory } from '../../contracts/story.js';

/** Directory (inside a story package) holding the manifest and segments. */
export const PACKAGE_OUTPUT_DIR = 'dist';

export type LoadManifestResult =
  { success: true; data: LoadedStory } | { success: false; error: string };

/**
 * Loads and validates a manifest. `path` may be the package directory, its `dist/` directory or
 * the manifest file itself.
 * @example
 * const r = await loadPackagedStory('data/demo');
 * if (r.success) console.log(Object.keys(r.data.story.scenes));
 */
export async function loadPackagedStory(path: string): Promise<LoadManifestResult> {
  const candidates = path.endsWith('.json')
    ? [path]
    : [join(path, PACKAGE_OUTPUT_DIR, MANIFEST_FILE), join(path, MANIFEST_FILE)];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { success: false, error: `${file}: invalid JSON: ${(error as Error).message}` };
    }
    const parsed = PackagedStorySchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      return { success: false, error: `${file}: not a Frisson manifest: ${first}` };
    }
    return { success: true, data: { story: parsed.data, mediaDir: join(file, '..') } };
  }
  return {
    success: false,
    error: `no ${MANIFEST_FILE} under ${path} (run \`frisson story package\`)`,
  };
}
