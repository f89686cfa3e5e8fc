/**
 * The `oracle` reference of `frisson eval --oracle`: told each simulated viewer, it plans on forks
 * of the viewer's own simulator and signal processor, so it must track the target better than the
 * rule director on the same viewers, obey the same safety cap, and refuse to run blind.
 */
import assert from 'node:assert/strict';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import {
  ViewerSimulator,
  samplePopulation,
} from '../../../../sensors/simulator/viewer-simulator.js';
import { Director } from '../../../../models/director/director.js';
import { RulePicker } from '../../../../models/director/rule-picker.js';
import { runClosedLoop, type LoopPolicy } from '../../../../models/evaluation/closed-loop.js';
import { OraclePolicy } from '../../../../models/evaluation/oracle-policy.js';
import { DirectorPolicy } from '../../../../models/evaluation/policies.js';
import { trackingMetrics } from '../../../../models/evaluation/tracking-metrics.js';
import { targetAt } from '../../../../models/features/target-curve.js';
import { generateSyntheticStory } from '../../../../models/training/synthetic-story.js';

describe('OraclePolicy (perfect-knowledge reference)', function () {
  this.timeout(60_000);
  const story = generateSyntheticStory(5, { durationS: 120 });
  const viewers = samplePopulation(5, 6);
  const caps = [1, 1, 0.34, 1, 0.67, 0.34];
  const run = (policy: LoopPolicy, oracle?: OraclePolicy) =>
    runClosedLoop({
      story,
      viewers,
      maxIntensity: caps,
      policy,
      ...(oracle?.factories() ?? {
        createSimulator: (p) => new ViewerSimulator(p),
        createSignal: () => new ViewerSignalProcessor(),
      }),
    });
  const oracleFor = () =>
    new OraclePolicy({
      segmentS: story.segmentS,
      target: (t) => targetAt(story.targetCurve, t),
      horizonSegments: 8,
      noiseDraws: 2,
      seed: 5,
    });

  it('should track the target better than the rule director, within the same cap', async () => {
    const rule = trackingMetrics(
      await run(
        new DirectorPolicy(
          'rule',
          () => new Director({ picker: new RulePicker(), targetCurve: story.targetCurve }),
        ),
      ),
    );
    const oracle = oracleFor();
    const m = trackingMetrics(await run(oracle, oracle));
    assert.equal(m.policy, 'oracle');
    assert.equal(m.capViolations, 0);
    assert.equal(m.decisions, 6 * 60);
    assert.ok(m.rmse < rule.rmse, `oracle ${m.rmse} vs rule ${rule.rmse}`);
  });

  it('should be reproducible for its seed', async () => {
    const a = oracleFor();
    const b = oracleFor();
    const ra = await run(a, a);
    const rb = await run(b, b);
    assert.deepEqual(
      rb.traces.map((t) => t.intensity),
      ra.traces.map((t) => t.intensity),
    );
  });

  it('should refuse to decide for a viewer it was not shown', async () => {
    await assert.rejects(run(oracleFor()), /oracle: viewer 0 was not watched/);
  });
});
