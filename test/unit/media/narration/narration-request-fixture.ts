/** Builds NarrationRequests for tests; fields mirror a packaged scene of the demo cinema story. */
import type { NarrationRequest } from '../../../../media/narration/narrator.js';

export type RequestOverrides = Partial<
  Omit<NarrationRequest, 'story' | 'scene' | 'level' | 'viewer'>
> & {
  story?: Partial<NarrationRequest['story']>;
  scene?: Partial<NarrationRequest['scene']>;
  level?: Partial<NarrationRequest['level']>;
  viewer?: Partial<NarrationRequest['viewer']>;
};

export function narrationRequest(overrides: RequestOverrides = {}): NarrationRequest {
  return {
    seed: overrides.seed ?? 'demo-seed',
    sessionId: overrides.sessionId ?? 'session-1',
    msn: overrides.msn ?? 7,
    variables: overrides.variables ?? { hasFlashlight: true, visits: 2 },
    story: {
      title: 'The Last Screening',
      locale: 'en',
      contentRating: 'PG-13',
      ...overrides.story,
    },
    scene: {
      id: 'projection-booth',
      title: 'The Projection Booth',
      description: 'The guard climbs to the booth; the projector starts by itself.',
      tags: ['cinema', 'night'],
      mood: 'dread',
      ...overrides.scene,
    },
    level: { id: 'tense', intensity: 0.6, ...overrides.level },
    viewer: {
      arousal: 0.5,
      arousalSlope: 0,
      heartRate: 84,
      baselineHeartRate: 68,
      ...overrides.viewer,
    },
  };
}
