import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Director,
  createDirector,
  createDirectorFactory,
} from '../../../../models/director/director.js';
import { DeadlinePicker } from '../../../../models/director/deadline-picker.js';
import { defaultModelPath } from '../../../../models/director/model-metadata.js';
import { OnnxPicker } from '../../../../models/director/onnx-picker.js';
import type { PickResult, ScenePicker } from '../../../../contracts/director.js';
import { LEVELS, pickContext, viewer } from './fixtures.js';

/** A picker that always wants the most intense candidate it is offered. */
class GreedyPicker implements ScenePicker {
  readonly name = 'greedy';
  pick(ctx: Parameters<ScenePicker['pick']>[0]): Promise<PickResult> {
    let best = 0;
    ctx.candidates.forEach((c, i) => {
      if (c.intensity > (ctx.candidates[best]?.intensity ?? 0)) best = i;
    });
    return Promise.resolve({ index: best, picker: this.name, reason: 'max' });
  }
}

describe('Director', () => {
  it('should never return a candidate above the viewer’s cap, whatever the picker wants', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (cap, arousal) => {
          const d = new Director({ picker: new GreedyPicker() });
          const r = await d.decide(pickContext({ maxIntensity: cap, viewer: viewer({ arousal }) }));
          const chosen = LEVELS[r.index];
          assert.ok(chosen);
          // Either under the cap, or the least intense when nothing is.
          assert.ok(chosen.intensity <= cap + 1e-9 || r.index === 0);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('should force relief over the heart-rate ceiling without asking the picker', async () => {
    const d = new Director({ picker: new GreedyPicker(), safety: { hrAboveBaselineBpm: 30 } });
    const r = await d.decide(
      pickContext({ viewer: viewer({ heartRate: 120, baselineHeartRate: 70 }) }),
    );
    assert.equal(r.index, 0);
    assert.equal(r.picker, 'safety');
    assert.equal(r.relief, true);
  });

  it('should report pacing phase, picker and latency with each decision', async () => {
    const d = createDirector({ targetCurve: [{ t: 0, arousal: 0.6 }] });
    const r = await d.decide(pickContext());
    assert.equal(r.picker, 'rule');
    assert.equal(r.fallback, false);
    assert.equal(r.phase, 'build-up');
    assert.ok(r.latencyMs >= 0);
    assert.equal(r.candidateId, LEVELS[r.index]?.id);
  });

  it('should decide many sessions with one batched model call', async () => {
    const onnx = await OnnxPicker.open(defaultModelPath());
    let batches = 0;
    const counting: ScenePicker = {
      name: 'onnx',
      pick: (c) => onnx.pick(c),
      pickBatch: (cs) => {
        batches++;
        return onnx.pickBatch(cs);
      },
    };
    const picker = new DeadlinePicker(counting, { deadlineMs: 1000 });
    const directors = [0, 1, 2].map(() => new Director({ picker, personalise: true }));
    const ds = await Director.decideMany(
      directors.map((director, i) => ({
        director,
        ctx: pickContext({ sessionId: `v${i}`, maxIntensity: i === 2 ? 0.5 : 1 }),
      })),
    );
    assert.equal(batches, 1);
    assert.equal(ds.length, 3);
    assert.ok(ds.every((d) => d.picker === 'onnx+bandit' && !d.fallback));
    assert.ok((LEVELS[ds[2]?.index ?? 0]?.intensity ?? 1) <= 0.5);
    await onnx.destroy();
  });

  it('should personalise with the planner when asked, learning from what followed', async () => {
    const onnx = await OnnxPicker.open(defaultModelPath());
    const d = new Director({
      picker: new DeadlinePicker(onnx, { deadlineMs: 1000 }),
      personalise: true,
      personaliser: 'planner',
    });
    assert.equal((await d.decide(pickContext())).picker, 'onnx+planner');
    for (let k = 0; k < 20; k++) {
      await d.decide(
        pickContext({ storyTime: k * 2, viewer: viewer({ arousal: 0.2 + k * 0.01 }) }),
      );
    }
    assert.ok(d.banditObservations > 0);
    assert.ok(d.personalModel !== null);
    await onnx.destroy();
  });

  it('should personalise by default with the Thompson-sampling bandit', async () => {
    const onnx = await OnnxPicker.open(defaultModelPath());
    const d = new Director({
      picker: new DeadlinePicker(onnx, { deadlineMs: 1000 }),
      personalise: true,
    });
    assert.equal((await d.decide(pickContext())).picker, 'onnx+bandit');
    for (let k = 0; k < 20; k++) {
      await d.decide(
        pickContext({ storyTime: k * 2, viewer: viewer({ arousal: 0.2 + k * 0.01 }) }),
      );
    }
    assert.ok(d.banditObservations > 0);
    await onnx.destroy();
  });
});

describe('createDirectorFactory', () => {
  it('should share one model between sessions and seed pacing from its metadata', async () => {
    const factory = createDirectorFactory({ modelPath: defaultModelPath(), personalise: true });
    assert.equal(await factory.ready, true);
    const a = factory.create({ targetCurve: [{ t: 0, arousal: 0.5 }] });
    const b = factory.create();
    assert.equal(a.primary, b.primary);
    const d = await a.decide(pickContext());
    assert.equal(d.picker, 'onnx+bandit');
    assert.equal(factory.counters()?.primary, 1);
    await factory.destroy();
  });

  it('should fall back to the rule picker alone without a model', async () => {
    const factory = createDirectorFactory();
    const d = await factory.create().decide(pickContext());
    assert.equal(d.picker, 'rule');
    assert.equal(factory.counters(), null);
  });
});
