import assert from 'node:assert/strict';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';
import { Director } from '../../../../models/director/director.js';
import { RulePicker } from '../../../../models/director/rule-picker.js';
import { runClosedLoop } from '../../../../tools/closed-loop/closed-loop.js';
import { DirectorPolicy, LinearCutPolicy } from '../../../../tools/closed-loop/policies.js';
import { trackingMetrics } from '../../../../tools/evaluation/tracking-metrics.js';
import { generateSyntheticStory } from '../../../../tools/closed-loop/synthetic-story.js';

describe('closed-loop', () => {
  const story = generateSyntheticStory(5, { durationS: 120 });
  const viewers = samplePopulation(5, 6);
  const caps = [1, 1, 0.34, 1, 0.67, 0.34];
  const run = (policy: ConstructorParameters<typeof Object>[0]) =>
    runClosedLoop({
      story,
      viewers,
      maxIntensity: caps,
      policy,
      createSimulator: (p) => new ViewerSimulator(p),
      createSignal: () => new ViewerSignalProcessor(),
    });

  it('should count cap violations for an uncapped fixed cut and none for the director', async () => {
    const linear = trackingMetrics(await run(new LinearCutPolicy(1)));
    assert.ok(linear.capViolations > 0);
    const rule = trackingMetrics(
      await run(
        new DirectorPolicy(
          'rule',
          () => new Director({ picker: new RulePicker(), targetCurve: story.targetCurve }),
        ),
      ),
    );
    assert.equal(rule.capViolations, 0);
    assert.equal(rule.decisions, 6 * 60);
    assert.ok(
      rule.rmseTrue > 0 && rule.rmseTrue < 1 && rule.estimatorRms > 0 && rule.estimatorRms < 1,
    );
    assert.ok(rule.withinBandTrue >= 0 && rule.withinBandTrue <= 1);
  });

  it('should be deterministic for the same viewers and policy', async () => {
    const a = trackingMetrics(await run(new LinearCutPolicy(1 / 3)));
    const b = trackingMetrics(await run(new LinearCutPolicy(1 / 3)));
    assert.equal(a.rmseReading, b.rmseReading);
    assert.equal(a.estimatorRms, b.estimatorRms);
    assert.equal(a.rmseTrue, b.rmseTrue);
  });
});
