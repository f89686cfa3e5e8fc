/**
 * The demo film's story (media/demo/demo-script.ts), checked against issue 21's bounds by walking
 * its graph: five minutes on every path, seven or more scenes of 30 s or more, two branch points,
 * two endings, and a target curve that builds to a peak and relaxes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { stringify } from 'yaml';
import {
  DEMO_SCENES,
  demoSceneSeconds,
  demoStory,
  type DemoCut,
} from '../../../../media/demo/demo-script.js';
import { checkStoryStructure } from '../../../../media/story/check-story-structure.js';
import { parseStory } from '../../../../media/story/load-story.js';
import type { Story } from '../../../../media/story/story-schema.js';

/** Every path from the start to an ending, as scene ids (every branch candidate is followed). */
function paths(story: Story): string[][] {
  const scenes = new Map(story.scenes.map((s) => [s.id, s]));
  const branches = new Map((story.branches ?? []).map((b) => [b.id, b]));
  const out: string[][] = [];
  const walk = (id: string, path: string[]): void => {
    const scene = scenes.get(id);
    assert.ok(scene, `unknown scene ${id}`);
    assert.ok(!path.includes(id), `cycle through ${id}`);
    const here = [...path, id];
    const next = scene.next;
    assert.ok(next, `${id} has no next`);
    if (typeof next === 'string') walk(next, here);
    else if ('scene' in next) walk(next.scene, here);
    else if ('ending' in next) out.push(here);
    else {
      const branch = branches.get(next.branch);
      assert.ok(branch, `unknown branch ${next.branch}`);
      for (const c of branch.candidates) walk(c.scene, here);
    }
  };
  walk(story.start ?? story.scenes[0]?.id ?? '', []);
  return out;
}

const seconds = (cut: DemoCut) => new Map(DEMO_SCENES.map((s) => [s.id, demoSceneSeconds(s, cut)]));

describe('demo story script', () => {
  const story = demoStory((s, l) => `media/${s}-${l}.mov`);

  it('should be a structurally valid story with two branch points and two endings', () => {
    const parsed = parseStory('.', 'story.yaml', stringify(story));
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error));
    assert.deepEqual(checkStoryStructure(parsed.data.story, parsed.data.source), []);
    assert.equal(story.branches?.length, 2);
    assert.equal(story.endings.length, 2);
    assert.equal(
      new Set(paths(story).map((p) => story.scenes.find((s) => s.id === p.at(-1))?.next)).size,
      2,
    );
  });

  it('should last at least five minutes on every path, with seven or more scenes of 30 s or more', () => {
    const len = seconds('full');
    const all = paths(story);
    assert.equal(all.length, 4, 'two branch points of two candidates each');
    for (const path of all) {
      const total = path.reduce((sum, id) => sum + (len.get(id) ?? 0), 0);
      assert.ok(total >= 300, `${path.join(' → ')} lasts ${total} s`);
    }
    const long = DEMO_SCENES.filter((s) => s.seconds >= 30);
    assert.ok(long.length >= 7, `${long.length} scenes of 30 s or more`);
    // Whole seconds: every scene ends on a segment boundary (1 s segments).
    assert.ok(DEMO_SCENES.every((s) => Number.isInteger(s.seconds)));
  });

  it('should scare mid-segment, inside the scene, with the figure on the plate', () => {
    for (const scene of DEMO_SCENES) {
      assert.ok(scene.scares.length >= 1, `${scene.id} has no scare`);
      for (const s of scene.scares) {
        assert.ok(s.at > 2 && s.at < scene.seconds - 3, `${scene.id}: scare at ${s.at}`);
        // Not on a boundary: a switch never cuts a stinger's attack.
        assert.ok(Math.abs(s.at - Math.round(s.at)) > 0.2, `${scene.id}: scare at ${s.at}`);
        assert.ok(s.figure.x > 0 && s.figure.x < 1 && s.figure.height > 0);
      }
    }
  });

  it('should steer towards a curve that builds, peaks late and relaxes over the whole film', () => {
    const curve = story.targetCurve;
    const peak = curve.reduce((a, b) => (b.arousal > a.arousal ? b : a));
    const first = curve[0];
    const last = curve.at(-1);
    assert.ok(first && last);
    assert.ok(last.t >= 300, `the curve ends at ${last.t} s`);
    assert.ok(peak.t > 0.6 * last.t && peak.t < last.t, `peak at ${peak.t} s`);
    assert.ok(peak.arousal >= 0.9 && first.arousal <= 0.2 && last.arousal <= 0.4);
    // Builds: the curve's running maximum rises in at least five steps before the peak.
    const rises = curve.filter(
      (p, i) => i > 0 && p.t <= peak.t && p.arousal > (curve[i - 1]?.arousal ?? 1),
    );
    assert.ok(rises.length >= 5);
  });

  it('should squeeze the short cut into 4 s scenes with the same graph', () => {
    const short = demoStory((s, l) => `media/${s}-${l}.mov`, 'short');
    assert.deepEqual(
      short.scenes.map((s) => [s.id, s.next]),
      story.scenes.map((s) => [s.id, s.next]),
    );
    const len = seconds('short');
    assert.ok([...len.values()].every((s) => s === 4));
    assert.ok((short.targetCurve.at(-1)?.t ?? 0) <= 24);
    assert.equal(short.packaging?.width, 640);
    assert.deepEqual(story.packaging?.renditions, ['720p', '360p']);
  });
});
