import assert from 'node:assert/strict';
import { RulePicker } from '../../../../models/director/rule-picker.js';
import type { DirectorHints } from '../../../../contracts/director.js';
import { LEVELS, pickContext } from './fixtures.js';

const hints = (over: Partial<DirectorHints> = {}): DirectorHints => ({
  phase: 'build-up',
  desiredIntensity: 0.6,
  targetArousalAhead: 0.6,
  horizonS: 6,
  recentIntensity: 0.3,
  lastPlayedAt: {},
  ...over,
});

describe('RulePicker', () => {
  it('should pick the candidate closest to the desired intensity', () => {
    const r = new RulePicker().pickSync(
      pickContext({ director: hints({ desiredIntensity: 0.6 }) }),
    );
    assert.equal(r.index, 2);
    assert.equal(r.scores?.length, LEVELS.length);
  });

  it('should fall back to the target arousal without hints', () => {
    assert.equal(new RulePicker().pickSync(pickContext({ targetArousal: 0.1 })).index, 0);
  });

  it('should break near-ties by least recently seen', () => {
    const twins = [
      { ...LEVELS[1]!, id: 'a', intensity: 0.5 },
      { ...LEVELS[1]!, id: 'b', intensity: 0.5 },
    ];
    const ctx = pickContext({
      storyTime: 100,
      candidates: twins,
      director: hints({ desiredIntensity: 0.5, lastPlayedAt: { a: 95, b: 40 } }),
    });
    assert.equal(new RulePicker().pickSync(ctx).index, 1);
  });

  it('should prefer the pacing phase’s mood at equal distance', () => {
    const ctx = pickContext({
      candidates: [
        { ...LEVELS[0]!, id: 'x', intensity: 0.2, mood: 'tense' },
        { ...LEVELS[0]!, id: 'y', intensity: 0.2, mood: 'calm' },
      ],
      director: hints({ desiredIntensity: 0.2, preferredMood: 'calm' }),
    });
    assert.equal(new RulePicker().pickSync(ctx).index, 1);
  });
});
