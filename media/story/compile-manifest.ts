/**
 * Compiling an authored story plus measured segments into the runtime manifest (./manifest.ts).
 */
import { DEFAULT_LEVELS, resolveNextRef } from './story-schema.js';
import type { Story } from './story-schema.js';
import { PackagedStorySchema } from '../../contracts/story.js';
import type { PackageSource, PackagedStory, Rendition, SegmentRef } from '../../contracts/story.js';

/** Facts measured by the packager. */
export interface CompiledMedia {
  segmentDuration: number;
  codecs: string;
  width: number;
  height: number;
  frameRate: number;
  /** Scene id → level id → segments. */
  segments: ReadonlyMap<string, ReadonlyMap<string, SegmentRef[]>>;
  renditions: Rendition[];
  /** The story file and source media the segments were encoded from. */
  builtFrom?: PackageSource;
}

/** `The Night Shift` → `the-night-shift`. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'story'
  );
}

/**
 * Builds and schema-checks the manifest. The story must already be valid (see validateStory).
 * @example
 * const manifest = compileManifest(story, media); // PackagedStory
 */
export function compileManifest(story: Story, media: CompiledMedia): PackagedStory {
  const levels = story.levels ?? DEFAULT_LEVELS.map((l) => ({ ...l }));
  const firstScene = story.scenes[0];
  const scenes: Record<string, unknown> = {};
  for (const scene of story.scenes) {
    const variants: Record<string, { segments: SegmentRef[] }> = {};
    for (const level of levels) {
      const segments = media.segments.get(scene.id)?.get(level.id);
      if (!segments?.length)
        throw new Error(`scene "${scene.id}" has no packaged "${level.id}" variant`);
      variants[level.id] = { segments };
    }
    if (!scene.next) throw new Error(`scene "${scene.id}" has no next`);
    scenes[scene.id] = {
      id: scene.id,
      title: scene.title,
      description: scene.description ?? '',
      tags: scene.tags ?? [],
      ...(scene.mood === undefined ? {} : { mood: scene.mood }),
      set: scene.set ?? {},
      variants,
      next: resolveNextRef(scene.next),
      narration: scene.narration ?? [],
    };
  }
  const manifest = {
    format: 'frisson-package',
    version: 1,
    id: story.id ?? slugify(story.title),
    title: story.title,
    locales: story.locales ?? ['en'],
    contentRating: story.contentRating ?? 'unrated',
    defaultMaxIntensity: story.defaultMaxIntensity ?? 1,
    segmentDuration: media.segmentDuration,
    codecs: media.codecs,
    width: media.width,
    height: media.height,
    frameRate: media.frameRate,
    levels: levels.map((l) => ({ id: l.id, intensity: l.intensity })),
    start: story.start ?? firstScene?.id,
    scenes,
    branches: Object.fromEntries(
      (story.branches ?? []).map((b) => [
        b.id,
        {
          id: b.id,
          ...(b.prompt === undefined ? {} : { prompt: b.prompt }),
          candidates: b.candidates.map((c) => ({ ...c, tags: c.tags ?? [] })),
          default: b.default,
          ...(b.voteSeconds === undefined ? {} : { voteSeconds: b.voteSeconds }),
        },
      ]),
    ),
    endings: Object.fromEntries(
      story.endings.map((e) => [e.id, { title: e.title, description: e.description ?? '' }]),
    ),
    variables: Object.fromEntries(
      Object.entries(story.variables ?? {}).map(([k, v]) => [k, { initial: v.initial }]),
    ),
    targetCurve: story.targetCurve,
    renditions: media.renditions,
    ...(story.narration === undefined ? {} : { narration: story.narration }),
    ...(media.builtFrom === undefined ? {} : { builtFrom: media.builtFrom }),
  };
  return PackagedStorySchema.parse(manifest);
}
