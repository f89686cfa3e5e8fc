/**
 * The `oracle` reference of `frisson eval --oracle`: told each simulated viewer, it plans on forks
 * of the viewer's own simulator (its latent arousal), so it must track the target better than the
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
import { runClosedLoop, type LoopPolicy } from '../../../../tools/closed-loop/closed-loop.js';
import { OraclePolicy } from '../../../../tools/evaluation/oracle-policy.js';
import { DirectorPolicy } from '../../../../tools/closed-loop/policies.js';
import { trackingMetrics } from '../../../../tools/evaluation/tracking-metrics.js';
import { targetAt } from '../../../../models/features/target-curve.js';
import { generateSyntheticStory } from '../../../../tools/closed-loop/synthetic-story.js';

describe('OraclePolicy (perfect-knowledge reference)', function () {
  this.timeout(180_000); // forks a tree of simulators per decision: slow on a busy 2-core machine
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
      blocks: [1],
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
    assert.ok(m.rmseTrue < rule.rmseTrue, `oracle ${m.rmseTrue} vs rule ${rule.rmseTrue}`);
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

  it('should score every sequence of its move blocks as independent rollouts would', async () => {
    // Brute force beside the oracle, on the same viewers: every sequence (blocks [1, 1]: one
    // segment, one segment, then held to the 4-segment horizon) rolled out on its own fresh fork.
    const short = generateSyntheticStory(9, { durationS: 24 });
    const seg = short.segmentS;
    const target = (t: number) => targetAt(short.targetCurve, t);
    const oracle = new OraclePolicy({
      segmentS: seg,
      target,
      horizonSegments: 4,
      blocks: [1, 1],
      noiseDraws: 2,
      seed: 3,
    });
    const shown = oracle.factories();
    const sims: ViewerSimulator[] = [];
    const compared: number[] = [];
    const checker: LoopPolicy = {
      name: 'checked-oracle',
      capped: true,
      async decide(ctxs) {
        const choices = await oracle.decide(ctxs);
        ctxs.forEach((ctx, i) => {
          const levels = ctx.candidates
            .map((c, index) => ({ index, u: c.intensity }))
            .filter((l) => l.u <= ctx.maxIntensity + 1e-9);
          let best = -1;
          let bestCost = Infinity;
          for (const a of levels) {
            for (const b of levels) {
              for (const c of levels) {
                let cost = 0;
                for (let k = 0; k < 2; k++) {
                  const seed = 3 * 7919 + ctx.segmentIndex * 131 + k * 17 + i * 100_003;
                  const sim = (sims[i] as ViewerSimulator).fork(seed);
                  [a.u, b.u, c.u, c.u].forEach((u, h) => {
                    sim.step(seg, u);
                    cost += (sim.trueArousal - target(ctx.storyTime + (h + 1) * seg)) ** 2;
                  });
                }
                if (cost < bestCost) {
                  bestCost = cost;
                  best = a.index;
                }
              }
            }
          }
          assert.equal(choices[i]?.index, best, `viewer ${i} at ${ctx.storyTime} s`);
          compared.push(best);
        });
        return choices;
      },
    };
    await runClosedLoop({
      story: short,
      viewers: samplePopulation(9, 3),
      maxIntensity: [1, 0.67, 1],
      policy: checker,
      createSimulator: (p) => {
        const sim = shown.createSimulator(p);
        sims.push(sim);
        return sim;
      },
      createSignal: () => shown.createSignal(),
    });
    assert.equal(compared.length, 3 * 12);
    assert.ok(new Set(compared).size > 1, 'the plans chose more than one level');
  });

  it('should reject move blocks that are not positive or do not end before the horizon', () => {
    const make = (blocks: number[]) =>
      new OraclePolicy({ segmentS: 2, target: () => 0.5, horizonSegments: 4, blocks });
    assert.throws(() => make([0]), /blocks must be positive integers/);
    assert.throws(() => make([1.5]), /blocks must be positive integers/);
    assert.throws(() => make([2, 2]), /must end before the horizon/);
    assert.doesNotThrow(() => make([1, 2]));
  });

  it('should refuse to decide for a viewer it was not shown', async () => {
    await assert.rejects(run(oracleFor()), /oracle: viewer 0 was not watched/);
  });
});
