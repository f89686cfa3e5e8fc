/**
 * The story library for recommendations: the served story plus every packaged story beside it
 * (`<dirname(story)>/<name>/dist/manifest.json`), read once and validated with zod.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PackagedStory } from '../../contracts/story.js';
import { requirePackagedStory } from '../story-library.js';

const MAX_STORIES = 50;

export async function loadStoryCatalogue(
  served: PackagedStory,
  storyDir: string,
): Promise<PackagedStory[]> {
  const out = new Map<string, PackagedStory>([[served.id, served]]);
  const parent = dirname(resolve(storyDir));
  let names: string[];
  try {
    names = (await readdir(parent, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .slice(0, MAX_STORIES);
  } catch {
    return [...out.values()];
  }
  for (const name of names) {
    try {
      const { story } = await requirePackagedStory(join(parent, name));
      if (!out.has(story.id)) out.set(story.id, story);
    } catch {
      /* not a story package */
    }
  }
  return [...out.values()];
}
