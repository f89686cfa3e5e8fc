import assert from 'node:assert/strict';
import { recommendStories, tagResponses } from '../../../../server/http/story-recommender.js';
import type { PackagedStory } from '../../../../contracts/story.js';
import { fixtureStory } from '../../../support/story-fixture.js';

function withTags(id: string, tags: Record<string, string[]>): PackagedStory {
  const s = fixtureStory();
  s.id = id;
  s.title = id.toUpperCase();
  for (const [scene, t] of Object.entries(tags)) {
    const sc = s.scenes[scene];
    if (sc) sc.tags = t;
  }
  return s;
}

describe('story recommender', () => {
  const watched = withTags('watched', {
    a: ['quiet'],
    b: ['jump-scare'],
    c: ['quiet'],
    d: ['chase'],
  });

  it('should score tags by arousal relative to the viewer mean', () => {
    const r = tagResponses(watched, [
      { scene: 'a', arousal: 0.1 },
      { scene: 'a', arousal: 0.1 },
      { scene: 'b', arousal: 0.7 },
      { scene: 'b', arousal: 0.7 },
    ]);
    assert.ok(Math.abs((r.get('jump-scare') ?? 0) - 0.3) < 1e-9);
    assert.ok(Math.abs((r.get('quiet') ?? 0) + 0.3) < 1e-9);
    assert.equal(r.has('chase'), false);
  });

  it('should rank stories full of the tags that moved the viewer first', () => {
    const responses = new Map([
      ['jump-scare', 0.3],
      ['quiet', -0.3],
    ]);
    const scary = withTags('scary', { a: ['jump-scare'], b: ['jump-scare'], c: ['chase'], d: [] });
    const calm = withTags('calm', { a: ['quiet'], b: ['quiet'], c: ['quiet'], d: [] });
    const ranked = recommendStories(responses, [calm, scary]);
    assert.deepEqual(
      ranked.map((r) => r.storyId),
      ['scary', 'calm'],
    );
    assert.deepEqual(ranked[0]?.why, ['jump-scare']);
  });
});
