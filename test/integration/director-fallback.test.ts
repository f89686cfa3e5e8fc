/**
 * "Killing the model never delays a segment": with the model file missing, corrupt, or a primary
 * picker that hangs forever, the Director still answers every boundary via the rule picker (within
 * the deadline logic of DeadlinePicker), counts the fallback, and a simulated session plays on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { ViewerSimulator, samplePopulation } from '../../sensors/simulator/viewer-simulator.js';
import { DeadlinePicker } from '../../models/director/deadline-picker.js';
import { Director, createDirector } from '../../models/director/director.js';
import { defaultModelPath, metadataPathFor } from '../../models/director/model-metadata.js';
import type { Candidate, PickContext, PickResult, ScenePicker } from '../../contracts/director.js';
import { runClosedLoop } from '../../tools/closed-loop/closed-loop.js';
import { DirectorPolicy } from '../../tools/closed-loop/policies.js';
import { generateSyntheticStory } from '../../tools/closed-loop/synthetic-story.js';

const candidates: Candidate[] = [0, 1 / 3, 2 / 3, 1].map((intensity, i) => ({
  id: `s/${i}`,
  kind: 'variant',
  scene: 's',
  level: String(i),
  intensity,
  tags: [],
}));

function ctx(storyTime: number): PickContext {
  return {
    sessionId: 'kill-test',
    now: storyTime * 1000,
    storyTime,
    storyProgress: storyTime / 100,
    scene: 's',
    segmentIndex: storyTime / 2,
    currentIntensity: 0,
    targetArousal: 0.6,
    maxIntensity: 0.7,
    viewer: {
      arousal: 0.2,
      arousalSd: 0.05,
      evidence: 1,
      calibrating: false,
      reading: 0.2,
      arousalSlope: 0,
      rmssdChange: 0,
      heartRate: 75,
      baselineHeartRate: 70,
      contact: 1,
      clicks: 0,
      pauses: 0,
      sinceLastPeak: 20,
    },
    candidates,
  };
}

/** Never settles. */
class HungPicker implements ScenePicker {
  readonly name = 'hung';
  pick(): Promise<PickResult> {
    return new Promise<PickResult>(() => undefined);
  }
}

/** Answers, but only after `ms` (a model stuck behind something slow). */
class SlowPicker implements ScenePicker {
  readonly name = 'slow';
  answeredAt: number | null = null;
  constructor(private readonly ms: number) {}
  pick(): Promise<PickResult> {
    return new Promise((resolve) =>
      setTimeout(() => {
        this.answeredAt = performance.now();
        resolve({ index: 3, picker: this.name, reason: 'late' });
      }, this.ms),
    );
  }
}

function counters(d: Director) {
  const p = d.primary;
  assert.ok(p instanceof DeadlinePicker);
  return p.counters;
}

describe('director fallback when the model is killed', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-kill-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should answer by rule with a missing model file and count the fallback', async () => {
    const director = createDirector({ modelPath: join(dir, 'missing.onnx') });
    for (let k = 0; k < 3; k++) {
      const d = await director.decide(ctx(k * 2));
      assert.equal(d.fallback, true);
      assert.equal(d.picker, 'rule');
      assert.ok(candidates[d.index]!.intensity <= 0.7);
    }
    assert.equal(counters(director).fallbacks, 3);
  });

  it('should answer by rule with a corrupt model file', async () => {
    const path = join(dir, 'corrupt.onnx');
    await writeFile(path, Buffer.alloc(64, 0xff));
    await copyFile(metadataPathFor(defaultModelPath()), metadataPathFor(path));
    const director = createDirector({ modelPath: path });
    const primary = director.primary as DeadlinePicker;
    const d = await director.decide(ctx(0));
    assert.equal(d.fallback, true);
    // Once loading has failed, every answer is a counted error fallback.
    const inner = primary.primaryPicker as { ready?: Promise<boolean> };
    assert.equal(await inner.ready, false);
    const d2 = await director.decide(ctx(2));
    assert.equal(d2.fallback, true);
    assert.ok(counters(director).errors >= 1);
  });

  it('should answer before a hung picker ever does, and keep answering', async () => {
    const hung = new HungPicker();
    const director = createDirector({ picker: new DeadlinePicker(hung, { deadlineMs: 5 }) });
    const decisions = [];
    for (let k = 0; k < 5; k++) decisions.push(await director.decide(ctx(k * 2)));
    assert.ok(decisions.every((d) => d.fallback && d.picker === 'rule'));
    const c = counters(director);
    assert.equal(c.fallbacks, 5);
    assert.equal(c.timeouts, 1); // first call waits for the deadline …
    assert.equal(c.busy, 4); // … later ones answer at once while the primary is still hung
  });

  it('should answer by rule before a slow model’s late answer arrives', async () => {
    const slow = new SlowPicker(200);
    const director = createDirector({ picker: new DeadlinePicker(slow, { deadlineMs: 5 }) });
    const d = await director.decide(ctx(0));
    const answeredAt = performance.now();
    assert.equal(d.fallback, true);
    assert.equal(slow.answeredAt, null);
    await new Promise((r) => setTimeout(r, 250));
    assert.ok(slow.answeredAt !== null && slow.answeredAt > answeredAt);
  });

  it('should let a simulated session play on to the end with a hung model', async () => {
    const story = generateSyntheticStory(3, { durationS: 60 });
    const picker = new DeadlinePicker(new HungPicker(), { deadlineMs: 5 });
    const policy = new DirectorPolicy(
      'hung-model',
      () => new Director({ picker, targetCurve: story.targetCurve, personalise: true }),
    );
    const r = await runClosedLoop({
      story,
      viewers: samplePopulation(3, 3),
      maxIntensity: [1, 0.34, 0.67],
      policy,
      createSimulator: (p) => new ViewerSimulator(p),
      createSignal: () => new ViewerSignalProcessor(),
    });
    assert.equal(r.decisions, 3 * 30);
    assert.equal(r.fallbacks, r.decisions);
    assert.equal(r.capViolations, 0);
  });
});
