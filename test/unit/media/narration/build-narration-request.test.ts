import assert from 'node:assert/strict';
import { buildNarrationRequest } from '../../../../media/narration/build-narration-request.js';
import type { SignalSnapshot } from '../../../../contracts/heart.js';
import { PackagedStorySchema } from '../../../../contracts/story.js';

const story = PackagedStorySchema.parse({
  format: 'frisson-package',
  version: 1,
  id: 's',
  title: 'The Night Shift',
  locales: ['zh-CN', 'en'],
  contentRating: 'PG-13',
  defaultMaxIntensity: 1,
  segmentDuration: 1,
  codecs: 'avc1.42c01e,mp4a.40.2',
  width: 426,
  height: 240,
  frameRate: 25,
  levels: [
    { id: 'calm', intensity: 0 },
    { id: 'scare', intensity: 1 },
  ],
  start: 'lobby',
  scenes: {
    lobby: {
      id: 'lobby',
      title: 'The Lobby',
      description: 'Lights flicker.',
      tags: ['unease'],
      mood: 'unease',
      variants: {
        calm: { segments: [{ uri: 'a.m4s', duration: 1 }] },
        scare: { segments: [{ uri: 'b.m4s', duration: 1 }] },
      },
      next: { type: 'ending', ending: 'end' },
      narration: ['#lobby#'],
    },
  },
  endings: { end: { title: 'End' } },
  targetCurve: [{ t: 0, arousal: 0.2 }],
});

const snapshot: SignalSnapshot = {
  t: 1000,
  heartRate: 92,
  rmssd: 30,
  baselineHeartRate: 70,
  baselineRmssd: 45,
  eda: null,
  arousal: 0.7,
  arousalSlope: 0.04,
  rmssdChange: -0.3,
  contact: 'ok',
  cleanFraction: 1,
  calibrated: true,
};

describe('buildNarrationRequest', () => {
  it('should carry scene, level intensity, hooks, viewer state and determinism inputs', () => {
    const req = buildNarrationRequest({
      story,
      sceneId: 'lobby',
      levelId: 'scare',
      variables: { k: true },
      snapshot,
      seed: 9,
      sessionId: 'x',
      msn: 3,
    });
    assert.deepEqual(req, {
      story: { title: 'The Night Shift', locale: 'zh-CN', contentRating: 'PG-13' },
      scene: {
        id: 'lobby',
        title: 'The Lobby',
        description: 'Lights flicker.',
        tags: ['unease'],
        mood: 'unease',
        hooks: ['#lobby#'],
      },
      level: { id: 'scare', intensity: 1 },
      variables: { k: true },
      viewer: { arousal: 0.7, arousalSlope: 0.04, heartRate: 92, baselineHeartRate: 70 },
      seed: 9,
      sessionId: 'x',
      msn: 3,
    });
  });

  it('should honour the session locale and skip unknown scenes', () => {
    const base = {
      story,
      levelId: 'calm',
      variables: {},
      snapshot,
      seed: 1,
      sessionId: 'x',
      msn: 0,
    };
    assert.equal(
      buildNarrationRequest({ ...base, sceneId: 'lobby', locale: 'en' })?.story.locale,
      'en',
    );
    assert.equal(buildNarrationRequest({ ...base, sceneId: 'nope' }), undefined);
  });
});
