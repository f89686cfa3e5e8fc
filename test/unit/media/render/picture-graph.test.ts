import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { FilmScene } from '../../../../media/render/film-scene.js';
import {
  captionWindow,
  pictureGeometry,
  pictureGraph,
  pictureLook,
} from '../../../../media/render/picture-graph.js';

const scene: FilmScene = {
  index: 2,
  setting: 'corridor',
  seconds: 30,
  scares: [
    { at: 12.45, figure: { x: 0.5, y: 0.6, height: 0.3 } },
    { at: 24.45, figure: { x: 0.4, y: 0.9, height: 0.6 }, apparition: 'face' },
  ],
  root: 46,
  ambience: 'hum',
  heartbeat: 90,
  title: 'Long Corridor',
};
const graph = (intensity: number, s: FilmScene = scene): string =>
  pictureGraph({
    scene: s,
    intensity,
    format: { width: 1280, height: 720, frameRate: 24 },
    inputs: { plate: 0, figure: 1, face: 2 },
    captionFile: '/tmp/caption.txt',
    fontFile: '/fonts/serif.ttf',
    titleFontFile: '/fonts/bold.ttf',
  });

describe('picture graph', () => {
  it('should letterbox 2.39:1 inside 720p and give the camera a larger plate to drift over', () => {
    assert.deepEqual(pictureGeometry({ width: 1280, height: 720 }), {
      pictureWidth: 1280,
      pictureHeight: 536,
      bar: 92,
      plateWidth: 1382,
      plateHeight: 578,
    });
    const low = pictureGeometry({ width: 640, height: 360 });
    assert.equal(low.pictureHeight, 268);
    assert.ok(low.plateWidth > low.pictureWidth && low.plateHeight > low.pictureHeight);
  });

  it('should darken, grain and haunt the picture more as intensity rises', () => {
    const [calm, tense, scare] = [0, 0.5, 1].map(pictureLook);
    assert.ok(calm && tense && scare);
    assert.ok(calm.brightness > tense.brightness && tense.brightness > scare.brightness);
    assert.ok(calm.grain < scare.grain && calm.flickerDepth < scare.flickerDepth);
    assert.deepEqual(
      [calm.apparition, tense.apparition, scare.apparition],
      ['none', 'hint', 'full'],
    );
  });

  it('should film every variant with the same camera path (a switch never jumps the camera)', () => {
    const crop = (g: string): string => /crop=([^,]+:'[^']+':'[^']+')/.exec(g)?.[1] ?? '';
    assert.ok(crop(graph(0)).includes('sin(2*PI*t/47'));
    assert.equal(crop(graph(0)), crop(graph(0.5)));
    // Scare adds a jolt, zero outside 0.6 s after each scare.
    const jolted = crop(graph(1));
    assert.ok(jolted.startsWith(crop(graph(0)).split("'")[0] ?? 'x'));
    assert.match(jolted, /clip\(min\(\(t-12\.45\)\/0\.05,\(13\.05-t\)\/0\.05\),0,1\)/);
  });

  it('should show apparitions only in tense (a glimpse) and scare (the figure, and before it a shadow)', () => {
    const overlays = (g: string): number => (g.match(/overlay=/g) ?? []).length;
    assert.equal(overlays(graph(0)), 0);
    assert.equal(overlays(graph(0.5)), 2);
    // Figure at 12.45 and its earlier faint presence; the face at 24.45.
    assert.equal(overlays(graph(1)), 3);
    assert.match(graph(0.5), /colorchannelmixer=aa=0\.45/);
    assert.match(graph(1), /enable='between\(t,12\.45,14\.05\)/);
  });

  it('should caption the title briefly, fade it, and mark variant and scene in the letterbox', () => {
    assert.deepEqual(captionWindow(scene), { caption: [0.6, 5.2] });
    assert.deepEqual(captionWindow({ ...scene, filmTitle: 'T' }), {
      title: [1, 6.5],
      caption: [7, 11.5],
    });
    const g = graph(1);
    assert.match(g, /textfile='\/tmp\/caption\.txt'/);
    assert.match(g, /enable='between\(t,0\.6,5\.2\)'/);
    assert.match(g, /pad=1280:720:0:92:black/);
    assert.match(g, /drawbox=x=0:y=691:w=38:h=29:color=0xc0c0c0@1:t=fill/);
    assert.match(g, /drawbox=x=1242:y=691:w=38:h=29:color=0x484848@1:t=fill/);
    assert.match(graph(0), /color=0x404040@1/);
    assert.match(g, /trim=end_frame=720\[plate0\]/);
  });
});
