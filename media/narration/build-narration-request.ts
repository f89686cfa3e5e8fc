/**
 * Assembles a {@link NarrationRequest} from what a session knows: the packaged story, the scene and
 * level chosen for a segment, the story variables and the viewer's signal snapshot.
 */
import type { SignalSnapshot } from '../../contracts/heart.js';
import type { PackagedStory, VariableValue } from '../../contracts/story.js';
import { viewerStateFromSnapshot, type NarrationRequest } from './narrator.js';

export interface BuildNarrationRequestInput {
  story: PackagedStory;
  sceneId: string;
  levelId: string;
  variables: Readonly<Record<string, VariableValue>>;
  snapshot: SignalSnapshot;
  /** The session's locale; default the story's first locale. */
  locale?: string;
  seed: string | number;
  sessionId: string;
  msn: number;
}

/**
 * Undefined when the scene is unknown (nothing to narrate).
 * @example
 * const req = buildNarrationRequest({ story, sceneId, levelId, variables, snapshot, seed, sessionId, msn });
 * if (req) void scheduler.segment({ msn, start, duration }, req);
 */
export function buildNarrationRequest(
  input: BuildNarrationRequestInput,
): NarrationRequest | undefined {
  const scene = input.story.scenes[input.sceneId];
  if (!scene) return undefined;
  const level = input.story.levels.find((l) => l.id === input.levelId);
  return {
    story: {
      title: input.story.title,
      locale: input.locale ?? input.story.locales[0] ?? 'en',
      contentRating: input.story.contentRating,
    },
    scene: {
      id: scene.id,
      title: scene.title,
      description: scene.description,
      tags: scene.tags,
      ...(scene.mood ? { mood: scene.mood } : {}),
      hooks: scene.narration,
    },
    level: { id: input.levelId, intensity: level?.intensity ?? 0 },
    variables: input.variables,
    viewer: viewerStateFromSnapshot(input.snapshot),
    seed: input.seed,
    sessionId: input.sessionId,
    msn: input.msn,
  };
}
