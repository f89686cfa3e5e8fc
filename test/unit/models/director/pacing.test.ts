import assert from 'node:assert/strict';
import { Pacing, type PacingInput } from '../../../../models/director/pacing.js';

const base: PacingInput = {
  storyTime: 0,
  arousal: 0.1,
  targetArousal: 0.5,
  targetArousalAhead: 0.6,
  currentIntensity: 0.3,
  maxIntensity: 1,
};

describe('Pacing', () => {
  it('should go build-up → sustain-peak → fade → relax → build-up like the L4D director', () => {
    const p = new Pacing({ sustainS: 4, relaxS: 30, peakArousal: 0.7 });
    assert.equal(p.update(base).phase, 'build-up');
    assert.equal(p.update({ ...base, storyTime: 2, arousal: 0.75 }).phase, 'sustain-peak');
    assert.equal(p.update({ ...base, storyTime: 4, arousal: 0.75 }).phase, 'sustain-peak');
    assert.equal(
      p.update({ ...base, storyTime: 6, arousal: 0.7, targetArousalAhead: 0.5 }).phase,
      'fade',
    );
    const flat = { targetArousal: 0.2, targetArousalAhead: 0.2 };
    assert.equal(p.update({ ...base, ...flat, storyTime: 8, arousal: 0.3 }).phase, 'relax');
    const relaxed = p.update({ ...base, ...flat, storyTime: 20, arousal: 0.15 });
    assert.equal(relaxed.phase, 'relax');
    assert.ok(relaxed.desiredIntensity <= 0.4);
    assert.equal(p.update({ ...base, ...flat, storyTime: 39, arousal: 0.1 }).phase, 'build-up');
  });

  it('should end a relax early when the author’s target rises clearly', () => {
    const p = new Pacing({ relaxS: 45 });
    p.update({ ...base, arousal: 0.8 });
    p.update({ ...base, storyTime: 5, arousal: 0.8 });
    p.update({ ...base, storyTime: 6, arousal: 0.3, targetArousalAhead: 0.2 });
    assert.equal(p.currentPhase, 'relax');
    assert.equal(
      p.update({ ...base, storyTime: 10, arousal: 0.1, targetArousalAhead: 0.7 }).phase,
      'build-up',
    );
  });

  it('should never propose more than the viewer’s max intensity', () => {
    const p = new Pacing({ nominalGain: 0.2 });
    const s = p.update({ ...base, targetArousalAhead: 1, arousal: 0, maxIntensity: 0.34 });
    assert.equal(s.desiredIntensity, 0.34);
  });
});
