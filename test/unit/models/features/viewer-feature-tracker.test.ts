import assert from 'node:assert/strict';
import type { SignalSnapshot } from '../../../../contracts/heart.js';
import { ViewerFeatureTracker } from '../../../../models/features/viewer-feature-tracker.js';

function snap(
  t: number,
  arousal: number,
  contact: SignalSnapshot['contact'] = 'ok',
): SignalSnapshot {
  return {
    t,
    heartRate: 80,
    rmssd: 40,
    baselineHeartRate: 70,
    baselineRmssd: 50,
    eda: null,
    arousal,
    arousalSlope: 0,
    rmssdChange: -0.2,
    contact,
    cleanFraction: 1,
    calibrated: true,
  };
}

describe('ViewerFeatureTracker', () => {
  it('should count seconds since the last peak and reset at a new one', () => {
    const tr = new ViewerFeatureTracker({ peakArousal: 0.6 });
    tr.update(snap(0, 0.7));
    assert.equal(tr.update(snap(12_000, 0.3)).sinceLastPeak, 12);
    assert.equal(tr.update(snap(13_000, 0.8)).sinceLastPeak, 0);
  });

  it('should report no contact and keep clicks within the window', () => {
    const tr = new ViewerFeatureTracker({ windowMs: 10_000 });
    tr.recordClick(1000);
    tr.recordClick(9000);
    tr.recordPause(9500);
    const f = tr.update(snap(15_000, 0.2, 'no-contact'));
    assert.equal(f.contact, 0);
    assert.equal(f.clicks, 1);
    assert.equal(f.pauses, 1);
  });
});
