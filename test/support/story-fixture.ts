/**
 * An in-memory packaged story for unit tests that need a graph but no media: three levels, a
 * branch with a precondition, two endings. Segment URIs are fake; integration tests use the real
 * demo package (test/support/demo-story.ts).
 */
import { PackagedStorySchema, type PackagedStory } from '../../contracts/story.js';

function scene(
  id: string,
  segments: number,
  next: PackagedStory['scenes'][string]['next'],
  extra: object = {},
) {
  const variants: Record<string, { segments: Array<{ uri: string; duration: number }> }> = {};
  for (const level of ['calm', 'tense', 'scare']) {
    variants[level] = {
      segments: Array.from({ length: segments }, (_, i) => ({
        uri: `${id}/${level}/${i}.ts`,
        duration: 1,
      })),
    };
  }
  return { id, title: id.toUpperCase(), variants, next, ...extra };
}

export function fixtureStory(): PackagedStory {
  return PackagedStorySchema.parse({
    format: 'frisson-package',
    version: 1,
    id: 'fixture',
    title: 'Fixture',
    locales: ['en'],
    contentRating: 'PG-13',
    defaultMaxIntensity: 1,
    segmentDuration: 1,
    codecs: 'avc1.42c01e,mp4a.40.2',
    width: 426,
    height: 240,
    frameRate: 25,
    levels: [
      { id: 'calm', intensity: 0 },
      { id: 'tense', intensity: 0.5 },
      { id: 'scare', intensity: 1 },
    ],
    start: 'a',
    scenes: {
      a: scene('a', 2, { type: 'scene', scene: 'b' }, { set: { key: true } }),
      b: scene('b', 2, { type: 'branch', branch: 'door' }),
      c: scene('c', 2, { type: 'ending', ending: 'escape' }),
      d: scene('d', 1, { type: 'ending', ending: 'caught' }),
    },
    branches: {
      door: {
        id: 'door',
        default: 'd',
        candidates: [
          {
            scene: 'c',
            intensity: 0.3,
            mood: 'relief',
            when: { var: 'key', op: 'eq', value: true },
          },
          { scene: 'd', intensity: 0.9, mood: 'dread' },
        ],
      },
    },
    endings: { escape: { title: 'Escape' }, caught: { title: 'Caught' } },
    variables: { key: { initial: false } },
    targetCurve: [
      { t: 0, arousal: 0.2 },
      { t: 7, arousal: 0.8 },
    ],
  });
}
