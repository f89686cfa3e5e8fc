import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { formatStoryPath, formatStoryProblem } from '../../../../media/story/story-problem.js';
import { StorySource } from '../../../../media/story/story-source.js';

const TEXT = [
  '# comment', // 1
  'title: T', // 2
  'scenes:', // 3
  '  - id: a', // 4
  '    variants:', // 5
  '      calm: a.mp4', // 6
  '    next: { scene: b }', // 7
  '  - id: b', // 8
  '    next:', // 9
  '      ending: e', // 10
].join('\n');

describe('StorySource', () => {
  const { source, errors } = StorySource.parse('story.yaml', TEXT);

  it('should map paths to the line of their key or item', () => {
    assert.deepEqual(errors, []);
    assert.equal(source.lineOf(['title']), 2);
    assert.equal(source.lineOf(['scenes', 0]), 4);
    assert.equal(source.lineOf(['scenes', 0, 'variants', 'calm']), 6);
    assert.equal(source.lineOf(['scenes', 0, 'next', 'scene']), 7);
    assert.equal(source.lineOf(['scenes', 1, 'next', 'ending']), 10);
  });

  it('should fall back to the nearest existing ancestor for missing paths', () => {
    assert.equal(source.lineOf(['scenes', 1, 'title']), 8);
    assert.equal(source.lineOf(['scenes', 7]), 3);
    assert.equal(source.lineOf([]), 2);
  });

  it('should report YAML syntax errors with their line', () => {
    const bad = StorySource.parse('story.yaml', 'title: T\nscenes: [\n  - a\n');
    assert.ok(bad.errors.length > 0);
    assert.ok(
      bad.errors.every((e) => e.line >= 2),
      JSON.stringify(bad.errors),
    );
  });

  it('should read JSON story files too', () => {
    const json = StorySource.parse(
      'story.json',
      '{\n  "title": "T",\n  "scenes": [\n    { "id": "a" }\n  ]\n}',
    );
    assert.deepEqual(json.errors, []);
    assert.equal(json.source.lineOf(['scenes', 0, 'id']), 4);
  });
});

describe('story problem formatting', () => {
  it('should format paths with indices and dotted keys', () => {
    assert.equal(formatStoryPath(['scenes', 2, 'next', 'scene']), 'scenes[2].next.scene');
    assert.equal(formatStoryPath(['variables', 'has space']), 'variables["has space"]');
    assert.equal(formatStoryPath([]), '(root)');
  });

  it('should print file:line: path: message', () => {
    assert.equal(
      formatStoryProblem({
        code: 'unknown-scene',
        file: 'story.yaml',
        line: 12,
        path: 'scenes[2].next',
        message: 'unknown scene "x"',
      }),
      'story.yaml:12: scenes[2].next: unknown scene "x"',
    );
  });
});
