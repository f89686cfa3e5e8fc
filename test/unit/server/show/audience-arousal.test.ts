import assert from 'node:assert/strict';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import { samplePopulation } from '../../../../sensors/simulator/population-spec.js';
import { ViewerSimulator } from '../../../../sensors/simulator/viewer-simulator.js';
import { aggregateAudience } from '../../../../server/show/audience-aggregate.js';
import { AudienceArousal } from '../../../../server/show/audience-arousal.js';
import { SeatState } from '../../../../server/show/seat-state.js';

/** A 300 s film in 30 s steps of 0, ⅓, ⅔, 1 and back: the audience has something to answer. */
const film = (s: number): number =>
  [0, 1 / 3, 2 / 3, 1, 2 / 3, 1 / 3, 0, 1, 1 / 3, 0][Math.floor(s / 30)] ?? 0;

describe('AudienceArousal (one estimator per show on the median heart)', () => {
  it('should track the seats’ mean latent arousal closer than their median reading does', () => {
    const people = samplePopulation(21, 24);
    const sims = people.map((p) => new ViewerSimulator(p));
    const seats = people.map((_, i) => new SeatState(`s${i}`, new ViewerSignalProcessor()));
    const audience = new AudienceArousal();
    let seEstimate = 0;
    let seReading = 0;
    let n = 0;
    let sawCalibrating = false;
    for (let s = 0; s < 300; s++) {
      const t = s * 1000;
      sims.forEach((sim, i) => {
        for (const x of sim.step(1, film(s))) seats[i]?.push({ ...x, t: x.t });
      });
      const agg = audience.update(t, film(s), aggregateAudience(seats.map((x) => x.read(t))));
      const f = agg.features;
      if (f.contact <= 0) continue;
      if (f.calibrating) sawCalibrating = true;
      // What the decision's reason says while calibrating ("calibrating, 12 s left").
      assert.equal(audience.calibrationRemainingS > 0, f.calibrating, `at ${s} s`);
      assert.ok(f.arousal >= 0 && f.arousal <= 1, `arousal ${f.arousal} at ${s} s`);
      if (s < 60 || f.calibrating) continue;
      assert.ok(f.arousalSd > 0, 'the estimate carries its uncertainty');
      assert.ok(f.evidence >= 0 && f.evidence <= 1);
      const latent = sims.reduce((a, sim) => a + sim.trueArousal, 0) / sims.length;
      seEstimate += (f.arousal - latent) ** 2;
      seReading += (f.reading - latent) ** 2;
      n++;
    }
    assert.ok(sawCalibrating, 'it says it is calibrating first');
    assert.ok(n > 200, `${n} calibrated seconds`);
    const rmsEstimate = Math.sqrt(seEstimate / n);
    const rmsReading = Math.sqrt(seReading / n);
    assert.ok(
      rmsEstimate < rmsReading,
      `RMS to the mean latent arousal: estimate ${rmsEstimate.toFixed(3)}, reading ${rmsReading.toFixed(3)}`,
    );
  });

  it('should observe once a second however often the show reads it', () => {
    const people = samplePopulation(22, 8);
    const sims = people.map((p) => new ViewerSimulator(p));
    const seats = people.map((_, i) => new SeatState(`s${i}`, new ViewerSignalProcessor()));
    const once = new AudienceArousal();
    const often = new AudienceArousal();
    let worst = 0;
    for (let s = 0; s < 150; s++) {
      sims.forEach((sim, i) => {
        for (const x of sim.step(1, film(s))) seats[i]?.push(x);
      });
      // The show's 2 Hz tick plus a boundary read, against one read a second.
      for (const dt of [0, 250, 500]) {
        const t = s * 1000 + dt;
        const agg = aggregateAudience(seats.map((x) => x.read(t)));
        const a = often.update(t, film(s), agg).features;
        if (dt !== 0) continue;
        const b = once.update(t, film(s), agg).features;
        worst = Math.max(
          worst,
          Math.abs(a.arousal - b.arousal),
          Math.abs(a.arousalSd - b.arousalSd),
        );
      }
    }
    assert.ok(worst < 0.02, `the extra reads moved the estimate by ${worst.toFixed(3)}`);
  });
});
