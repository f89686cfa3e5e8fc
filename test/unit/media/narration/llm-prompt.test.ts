import assert from 'node:assert/strict';
import { buildNarrationPrompt, describeViewer } from '../../../../media/narration/llm-prompt.js';
import { narrationRequest } from './narration-request-fixture.js';

describe('buildNarrationPrompt', () => {
  it('should carry story, scene, characters, variables and viewer state', () => {
    const [system, user] = buildNarrationPrompt(
      narrationRequest({ viewer: { arousal: 0.8, arousalSlope: 0.1 } }),
      {
        locale: 'en',
        maxChars: 120,
        contentRating: 'PG-13',
        storyContext: 'A night guard alone in a closed cinema.',
        characters: [{ name: 'Marta', profile: 'the night guard, sceptical' }],
      },
    );
    assert.equal(system?.role, 'system');
    assert.match(system?.content ?? '', /The Last Screening/);
    assert.match(system?.content ?? '', /at most 120 characters/);
    assert.match(system?.content ?? '', /PG-13/);
    assert.match(system?.content ?? '', /in English/);
    const content = user?.content ?? '';
    for (const part of [
      'Story: A night guard alone in a closed cinema.',
      'Scene: The Projection Booth',
      'projector starts by itself',
      'Tags: cinema, night',
      'Intensity: tense (0.60 of 1)',
      'hasFlashlight=true',
      '- Marta: the night guard, sceptical',
      'heart rate 84 bpm, 24% above resting; arousal high and rising',
    ]) {
      assert.ok(content.includes(part), `missing ${part} in\n${content}`);
    }
  });

  it('should ask for Simplified Chinese for zh-CN', () => {
    const [system] = buildNarrationPrompt(narrationRequest(), {
      locale: 'zh-CN',
      maxChars: 40,
      contentRating: 'G',
    });
    assert.match(system?.content ?? '', /in Simplified Chinese/);
  });

  it('should describe an unknown heart rate', () => {
    assert.equal(
      describeViewer({ arousal: 0, arousalSlope: -0.5, heartRate: null, baselineHeartRate: null }),
      'heart rate unknown; arousal low and falling',
    );
  });
});
