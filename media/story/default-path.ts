/**
 * The scenes a packaged story plays when nobody steers it: `start`, then each scene's `next` scene
 * or its branch's default, in order. Stops at the end, at a scene the package does not have, or at
 * a scene already on the path (a loop). Used by tools that follow a story without a director
 * (the closed-loop simulator's timeline, the bare home server's segments).
 */
import type { PackagedStory } from '../../contracts/story.js';

export function defaultScenePath(story: PackagedStory): string[] {
  const path: string[] = [];
  for (let id: string | undefined = story.start; id !== undefined && !path.includes(id);) {
    const scene: PackagedStory['scenes'][string] | undefined = story.scenes[id];
    if (!scene) break;
    path.push(id);
    const next: PackagedStory['scenes'][string]['next'] = scene.next;
    id =
      next.type === 'scene'
        ? next.scene
        : next.type === 'branch'
          ? story.branches[next.branch]?.default
          : undefined;
  }
  return path;
}
