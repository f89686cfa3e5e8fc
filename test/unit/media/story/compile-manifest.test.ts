import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { parse } from 'yaml';
import { compileManifest, slugify } from '../../../../media/story/compile-manifest.js';
import { PackagedStorySchema } from '../../../../contracts/story.js';
import type { SegmentRef } from '../../../../contracts/story.js';
import { StorySchema } from '../../../../media/story/story-schema.js';
import { FIXTURES } from '../packager/tiny-media.js';

async function fixtureStory(): Promise<ReturnType<typeof StorySchema.parse>> {
  return StorySchema.parse(
    parse(await readFile(join(FIXTURES, 'two-rooms', 'story.yaml'), 'utf8')),
  );
}

function segments(scenes: string[], levels: string[]): Map<string, Map<string, SegmentRef[]>> {
  return new Map(
    scenes.map((s) => [
      s,
      new Map(
        levels.map((l) => [
          l,
          [0, 1].map((i) => ({ uri: `clips/${s}/${l}/seg-${i}.ts`, duration: 1 })),
        ]),
      ),
    ]),
  );
}

describe('compileManifest', () => {
  it('should compile the fixture into a schema-valid manifest', async () => {
    const story = await fixtureStory();
    const m = compileManifest(story, {
      segmentDuration: 1,
      codecs: 'avc1.42c01e,mp4a.40.2',
      width: 64,
      height: 36,
      frameRate: 25,
      segments: segments(['hall', 'red-room', 'blue-room'], ['calm', 'tense', 'scare']),
      renditions: [],
    });
    assert.ok(PackagedStorySchema.safeParse(m).success);
    assert.equal(m.id, 'two-rooms');
    assert.equal(m.start, 'hall');
    assert.equal(m.defaultMaxIntensity, 0.8);
    assert.deepEqual(m.scenes.hall?.next, { type: 'branch', branch: 'choice' });
    assert.deepEqual(m.scenes['red-room']?.set, { opened_door: true, visits: 1 });
    assert.deepEqual(
      m.branches.choice?.candidates.map((c) => c.scene),
      ['red-room', 'blue-room'],
    );
    assert.equal(m.branches.choice?.voteSeconds, 10);
    assert.deepEqual(m.variables, { opened_door: { initial: false }, visits: { initial: 0 } });
    assert.deepEqual(Object.keys(m.endings), ['caught', 'safe']);
    assert.deepEqual(m.narration, { hall: ['Two doors.'] });
    assert.equal(
      m.scenes['blue-room']?.variants.scare?.segments[1]?.uri,
      'clips/blue-room/scare/seg-1.ts',
    );
  });

  it('should refuse a scene without a packaged level', async () => {
    const story = await fixtureStory();
    assert.throws(
      () =>
        compileManifest(story, {
          segmentDuration: 1,
          codecs: 'x',
          width: 64,
          height: 36,
          frameRate: 25,
          segments: segments(['hall', 'red-room', 'blue-room'], ['calm', 'tense']),
          renditions: [],
        }),
      /no packaged "scare" variant/,
    );
  });

  it('should slugify titles into ids', () => {
    assert.equal(slugify('The Night Shift!'), 'the-night-shift');
    assert.equal(slugify('***'), 'story');
  });
});
