import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { stringify } from 'yaml';
import {
  DEMO_LEVEL_MARKERS,
  DEMO_SCENES,
  demoSceneGrey,
  demoStory,
} from '../../../../media/demo/demo-script.js';
import { parseStory } from '../../../../media/story/load-story.js';
import { checkStoryStructure } from '../../../../media/story/check-story-structure.js';

describe('demo story script', () => {
  const story = demoStory((s, l) => `media/${s}-${l}.mp4`);

  it('should be a structurally valid story with 8+ scenes, 2 branch points and 2 endings', () => {
    const parsed = parseStory('.', 'story.yaml', stringify(story));
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error));
    assert.deepEqual(checkStoryStructure(parsed.data.story, parsed.data.source), []);
    assert.ok(story.scenes.length >= 8);
    assert.equal(story.branches?.length, 2);
    assert.equal(story.endings.length, 2);
  });

  it('should give every scene a distinct marker grey and every level a distinct colour', () => {
    const greys = DEMO_SCENES.map((_, i) => demoSceneGrey(i));
    assert.equal(new Set(greys).size, greys.length);
    assert.ok(greys.every((g) => g >= 20 && g <= 235));
    assert.deepEqual(DEMO_LEVEL_MARKERS, {
      calm: [0, 0, 255],
      tense: [255, 255, 0],
      scare: [255, 0, 0],
    });
  });
});
