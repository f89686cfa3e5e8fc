/** Shared builders for director tests (not a test file: no `.test.ts`). */
import type { Candidate, PickContext, ViewerFeatures } from '../../../../contracts/director.js';

export const LEVELS: Candidate[] = [
  {
    id: 's1/calm',
    kind: 'variant',
    scene: 's1',
    level: 'calm',
    intensity: 0,
    mood: 'calm',
    tags: [],
  },
  { id: 's1/uneasy', kind: 'variant', scene: 's1', level: 'uneasy', intensity: 1 / 3, tags: [] },
  { id: 's1/tense', kind: 'variant', scene: 's1', level: 'tense', intensity: 2 / 3, tags: [] },
  {
    id: 's1/scare',
    kind: 'variant',
    scene: 's1',
    level: 'scare',
    intensity: 1,
    mood: 'scare',
    tags: [],
  },
];

export function viewer(over: Partial<ViewerFeatures> = {}): ViewerFeatures {
  return {
    arousal: 0.2,
    arousalSd: 0.05,
    evidence: 1,
    calibrating: false,
    reading: 0.2,
    arousalSlope: 0,
    rmssdChange: 0,
    heartRate: 72,
    baselineHeartRate: 70,
    contact: 1,
    clicks: 0,
    pauses: 0,
    sinceLastPeak: 30,
    ...over,
  };
}

export function pickContext(over: Partial<PickContext> = {}): PickContext {
  return {
    sessionId: 'test',
    now: 0,
    storyTime: 10,
    storyProgress: 0.1,
    scene: 's1',
    segmentIndex: 5,
    currentIntensity: 0,
    targetArousal: 0.5,
    maxIntensity: 1,
    viewer: viewer(),
    candidates: LEVELS,
    ...over,
  };
}
