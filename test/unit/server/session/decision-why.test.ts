import assert from 'node:assert/strict';
import type { ViewerFeatures } from '../../../../contracts/director.js';
import { decisionWhy, decisionWhyParts } from '../../../../server/session/decision-why.js';

function viewer(over: Partial<ViewerFeatures> = {}): ViewerFeatures {
  return {
    arousal: 0.31,
    arousalSd: 0.08,
    evidence: 0.5,
    calibrating: false,
    reading: 0.2,
    arousalSlope: 0,
    rmssdChange: 0,
    heartRate: 76,
    baselineHeartRate: 70,
    contact: 1,
    clicks: 0,
    pauses: 0,
    sinceLastPeak: 30,
    ...over,
  };
}

describe('decision why (server)', () => {
  const base = { hasSensor: true, calibrationRemainingS: 0, targetArousal: 0.6, level: 'tense' };

  it("should cite the viewer's heart and arousal against the target", () => {
    assert.equal(
      decisionWhy({ ...base, viewer: viewer() }),
      'heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense',
    );
  });

  it('should call the first seconds of a strap calibration, not a lost sensor', () => {
    const p = decisionWhyParts({
      ...base,
      viewer: viewer({ contact: 0 }),
      calibrationRemainingS: 18,
    });
    assert.deepEqual(p, { kind: 'calibrating', remainingS: 18, level: 'tense' });
    const lost = decisionWhyParts({ ...base, viewer: viewer({ contact: 0 }) });
    assert.equal(lost.kind, 'contact-lost');
  });

  it('should say the author curve is followed without a sensor', () => {
    assert.equal(
      decisionWhy({ ...base, hasSensor: false, viewer: viewer() }),
      "no heart data: following the author's curve (target 0.60) → tense",
    );
  });
});
