import assert from 'node:assert/strict';
import type { PackagedStory } from '../../../../contracts/story.js';
import { defaultScenePath } from '../../../../media/story/default-path.js';

/** Only what the path reads: start, each scene's `next`, the branches' defaults. */
function story(
  start: string,
  scenes: Record<string, PackagedStory['scenes'][string]['next']>,
  branches: Record<string, { default: string }> = {},
): PackagedStory {
  return {
    start,
    scenes: Object.fromEntries(Object.entries(scenes).map(([id, next]) => [id, { next }])),
    branches,
  } as unknown as PackagedStory;
}

describe('defaultScenePath', () => {
  it('should follow next scenes and branch defaults to the end', () => {
    const s = story(
      'a',
      {
        a: { type: 'scene', scene: 'b' },
        b: { type: 'branch', branch: 'fork' },
        c: { type: 'ending', ending: 'e' },
        d: { type: 'ending', ending: 'e' },
      },
      { fork: { default: 'd' } },
    );
    assert.deepEqual(defaultScenePath(s), ['a', 'b', 'd']);
  });

  it('should stop at a scene the package lacks and at a loop', () => {
    assert.deepEqual(defaultScenePath(story('a', { a: { type: 'scene', scene: 'gone' } })), ['a']);
    assert.deepEqual(
      defaultScenePath(
        story('a', {
          a: { type: 'scene', scene: 'b' },
          b: { type: 'scene', scene: 'a' },
        }),
      ),
      ['a', 'b'],
    );
  });
});
