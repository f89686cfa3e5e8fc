/**
 * Candidates that enter a given scene at its first segment, at every level under the cap (the
 * lowest level when all exceed it) — the same rule as StoryCursor, for an operator's forced cut.
 */
import type { Candidate } from '../../contracts/director.js';
import type { PackagedStory } from '../../contracts/story.js';
import { FrissonError } from '../../contracts/errors.js';

export function sceneCandidates(
  story: PackagedStory,
  sceneId: string,
  maxIntensity: number,
): Candidate[] {
  const scene = Object.hasOwn(story.scenes, sceneId) ? story.scenes[sceneId] : undefined;
  if (!scene) throw new FrissonError('FRISSON_ERR_SCENE_NOT_FOUND', 'no such scene in this story');
  const levels = story.levels.filter((l) => scene.variants[l.id] !== undefined);
  let allowed = levels.filter((l) => l.intensity <= maxIntensity + 1e-9);
  if (allowed.length === 0 && levels.length > 0) {
    allowed = [levels.reduce((a, b) => (b.intensity < a.intensity ? b : a))];
  }
  return allowed.map((l) => ({
    id: `forced:${scene.id}/${l.id}`,
    kind: 'branch',
    scene: scene.id,
    level: l.id,
    intensity: l.intensity,
    ...(scene.mood !== undefined ? { mood: scene.mood } : {}),
    tags: scene.tags,
  }));
}
