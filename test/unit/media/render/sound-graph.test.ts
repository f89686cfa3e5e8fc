import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { FilmScene } from '../../../../media/render/film-scene.js';
import {
  BED_LUFS,
  STEMS,
  hushExpr,
  layerWeights,
  loudnessTarget,
  looped,
  mixCoefficients,
  mixGraph,
  stemSources,
  stemsGraph,
  stingerExpr,
} from '../../../../media/render/sound-graph.js';

const scene: FilmScene = {
  index: 3,
  setting: 'boiler',
  seconds: 30,
  scares: [{ at: 18.45, figure: { x: 0.4, y: 0.9, height: 0.5 } }],
  root: 37,
  ambience: 'furnace',
  heartbeat: 80,
  title: 'Boiler Room',
};

describe('sound graph', () => {
  it('should aim calm and scare more than 6 LU apart, well above the bed (EBU R128)', () => {
    assert.equal(loudnessTarget(0), -27);
    assert.equal(loudnessTarget(0.5), -21.5);
    assert.equal(loudnessTarget(1), -16);
    assert.ok(loudnessTarget(1) - loudnessTarget(0) >= 6);
    assert.ok(loudnessTarget(0) - BED_LUFS >= 10);
  });

  it('should make calm the pad alone and add layers with intensity', () => {
    const calm = layerWeights(0);
    assert.deepEqual(
      Object.entries(calm)
        .filter(([, w]) => w > 0)
        .map(([k]) => k),
      ['pad'],
    );
    const tense = layerWeights(0.5);
    const scare = layerWeights(1);
    for (const layer of ['diss', 'strings', 'sub', 'heart', 'sting'] as const) {
      assert.ok(scare[layer] > 0 && scare[layer] >= tense[layer], layer);
    }
    assert.ok(tense.heart > 0 && tense.diss > 0 && tense.strings === 0);
  });

  it('should generate the stems from the scene alone: every variant mixes the same samples', () => {
    const stems = stemSources(scene);
    for (const stem of STEMS) assert.ok(stems.includes(`[${stem}]`), stem);
    // Whole-hertz oscillators and fixed noise seeds: deterministic, in phase in every variant.
    for (const m of stems.matchAll(/sine=f=([\d.]+)/g)) assert.ok(Number.isInteger(Number(m[1])));
    assert.ok(!/seed=-1|random\(0\)/.test(stems));
    const g0 = stemsGraph(scene, [0]);
    const g1 = stemsGraph(scene, [1]);
    assert.equal(g0.split(';[stems]asplit')[0], g1.split(';[stems]asplit')[0]);
    // The bed has the same gains in every variant; only the layers' differ.
    const bed = (i: number) => [...mixCoefficients(i, { bed: 0.5, layers: 2 })[0]].slice(0, 4);
    assert.deepEqual(bed(0), bed(1));
  });

  it('should hush the drones before each scare, then land the stinger after a soft attack', () => {
    assert.equal(hushExpr([]), '1');
    assert.equal(hushExpr([18.45]), '1-0.95*min(1,clip(min((t-16.75)/0.4,(19.15-t)/0.7),0,1))');
    const sting = stingerExpr([18.45]);
    assert.match(sting, /^if\(between\(t,18\.45,21\.25\),\(1-exp\(-250\*\(t-18\.45\)\)\)\*/);
    assert.equal(stingerExpr([]), '0');
  });

  it('should loop short patterns instead of evaluating them for the whole scene', () => {
    assert.equal(
      looped('sin(t)', 0.75, 3),
      "aevalsrc=exprs='sin(t)':c=mono:s=48000:d=0.85,atrim=end_sample=36000,aloop=loop=-1:size=36000,atrim=end_sample=144000,asetpts=N/SR/TB",
    );
  });

  it('should meter bed and layers apart, and mix with the solved gains through a limiter', () => {
    const g = stemsGraph(scene, [0, 1]);
    assert.match(g, /ebur128@bed=framelog=verbose,anullsink/);
    assert.match(g, /ebur128@layers0=/);
    assert.match(g, /ebur128@layers1=/);
    const mix = mixGraph('3:a', 1, { bed: -20, layers: 0 });
    assert.match(mix, /^\[3:a\]pan=stereo\|c0=0\.1\*c0\+/);
    assert.match(mix, /alimiter=limit=0\.7079:attack=5:release=80:level=0/);
  });
});
