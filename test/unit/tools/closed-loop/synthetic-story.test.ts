import assert from 'node:assert/strict';
import { generateSyntheticStory } from '../../../../tools/closed-loop/synthetic-story.js';

describe('synthetic-story', () => {
  it('should be deterministic per seed and differ between seeds', () => {
    const a = generateSyntheticStory(3);
    assert.deepEqual(a.targetCurve, generateSyntheticStory(3).targetCurve);
    assert.notDeepEqual(a.targetCurve, generateSyntheticStory(4).targetCurve);
  });

  it('should keep the target in 0–1 over the whole story, with four levels per scene', () => {
    const s = generateSyntheticStory(9, { durationS: 200 });
    assert.ok(s.targetCurve.every((p) => p.arousal >= 0 && p.arousal <= 1 && p.t <= 200));
    assert.equal(s.targetCurve.at(-1)?.t, 200);
    const c = s.candidatesAt(45);
    assert.deepEqual(
      c.map((x) => x.intensity),
      [0, 1 / 3, 2 / 3, 1],
    );
    assert.equal(c[0]?.scene, 's1');
  });
});
