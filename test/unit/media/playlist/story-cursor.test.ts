import assert from 'node:assert/strict';
import { evaluateCondition, StoryCursor } from '../../../../media/playlist/story-cursor.js';
import { fixtureStory } from '../../../support/story-fixture.js';

describe('StoryCursor', () => {
  it('should offer every level of the start scene, capped by the viewer maximum', () => {
    const c = new StoryCursor(fixtureStory());
    assert.deepEqual(
      c.candidates(1).map((x) => x.id),
      ['a/calm', 'a/tense', 'a/scare'],
    );
    assert.deepEqual(
      c.candidates(0.6).map((x) => x.level),
      ['calm', 'tense'],
    );
  });

  it('should switch variants inside a scene without a discontinuity', () => {
    const c = new StoryCursor(fixtureStory());
    const first = c.advance(c.candidates(1)[0]!);
    assert.equal(first.discontinuity, true);
    const second = c.advance(c.candidates(1)[2]!);
    assert.equal(second.discontinuity, false);
    assert.equal(second.segment.uri, 'a/scare/1.ts');
  });

  it('should set variables on entering a scene and honour branch preconditions', () => {
    const c = new StoryCursor(fixtureStory());
    for (let i = 0; i < 4; i++) c.advance(c.candidates(1)[0]!);
    assert.equal(c.position.variables.key, true);
    const atBranch = c.candidates(1);
    assert.ok(atBranch.every((x) => x.kind === 'branch'));
    assert.deepEqual([...new Set(atBranch.map((x) => x.scene))], ['c', 'd']);
    const step = c.advance(atBranch.find((x) => x.scene === 'd')!);
    assert.equal(step.discontinuity, true);
    assert.equal(step.ending, 'caught');
    assert.equal(c.ended, true);
    assert.deepEqual(c.candidates(1), []);
  });

  it('should fall back to the branch default when no candidate is eligible', () => {
    const story = fixtureStory();
    story.variables = { key: { initial: false } };
    story.scenes.a!.set = {};
    const c = new StoryCursor(story);
    for (let i = 0; i < 4; i++) c.advance(c.candidates(1)[0]!);
    assert.deepEqual([...new Set(c.candidates(1).map((x) => x.scene))], ['d']);
  });

  it('should evaluate nested conditions', () => {
    const vars = { n: 3, s: 'x', b: true };
    assert.equal(
      evaluateCondition(
        {
          all: [
            { var: 'n', op: 'gt', value: 2 },
            { var: 'b', op: 'eq', value: true },
          ],
        },
        vars,
      ),
      true,
    );
    assert.equal(
      evaluateCondition(
        { any: [{ var: 'n', op: 'lt', value: 2 }, { not: { var: 's', op: 'eq', value: 'x' } }] },
        vars,
      ),
      false,
    );
    assert.equal(evaluateCondition({ var: 'missing', op: 'eq', value: 1 }, vars), false);
  });
});
