import assert from 'node:assert/strict';
import {
  aggregateAudience,
  median,
  type SeatReading,
} from '../../../../server/show/audience-aggregate.js';

const seat = (arousal: number, inContact = true): SeatReading => ({
  arousal,
  arousalSlope: 0,
  rmssdChange: 0,
  heartRate: 70 + arousal * 25,
  baselineHeartRate: 70,
  inContact,
});

describe('audience aggregate', () => {
  it('should compute the median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
  });

  it('should ignore seats out of contact', () => {
    const a = aggregateAudience([seat(0.2), seat(0.3), seat(1, false), seat(1, false)]);
    assert.equal(a.seatsInContact, 2);
    assert.equal(a.features.arousal, 0.25);
    assert.equal(a.features.contact, 1);
  });

  it('should resist a minority of seats stuck at full arousal', () => {
    const readings = [0.2, 0.22, 0.25, 0.21, 0.23, 1, 1, 1].map((v) => seat(v));
    const a = aggregateAudience(readings);
    assert.ok(a.features.arousal < 0.3, `median ${a.features.arousal}`);
  });

  it('should report no contact below the quorum', () => {
    const readings = [seat(0.9), ...Array.from({ length: 19 }, () => seat(0, false))];
    const a = aggregateAudience(readings);
    assert.equal(a.features.contact, 0);
    assert.equal(a.features.arousal, 0);
  });
});
