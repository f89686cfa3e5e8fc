import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  LEVEL_MARKER_GREYS,
  classifyMarkerPixel,
  classifySceneMarkerPixel,
  markerSamplePoints,
  sceneMarkerGrey,
  variantMarkerGrey,
} from '../../../../media/render/film-markers.js';
import { pictureGeometry } from '../../../../media/render/picture-graph.js';

describe('film markers', () => {
  it('should code calm, tense and scare as greys 64 apart and read them back with H.264 noise', () => {
    assert.deepEqual([0, 0.5, 1].map(variantMarkerGrey), [
      LEVEL_MARKER_GREYS.calm,
      LEVEL_MARKER_GREYS.tense,
      LEVEL_MARKER_GREYS.scare,
    ]);
    for (const [level, grey] of Object.entries(LEVEL_MARKER_GREYS)) {
      assert.equal(classifyMarkerPixel([grey - 9, grey + 6, grey - 3]), level);
    }
    assert.equal(classifyMarkerPixel([0, 0, 0]), 'unknown');
    assert.equal(classifyMarkerPixel([200, 20, 20]), 'unknown');
  });

  it('should give every scene of the demo its own grey and read it back', () => {
    const greys = Array.from({ length: 9 }, (_, i) => sceneMarkerGrey(i));
    assert.equal(new Set(greys).size, 9);
    greys.forEach((g, i) => assert.equal(classifySceneMarkerPixel([g + 4, g - 3, g + 2]), i));
    assert.equal(classifySceneMarkerPixel([42, 42, 42]), -1);
    // Just under the first grey (H.264 noise): scene 0, not −0.
    assert.equal(classifySceneMarkerPixel([29, 30, 30]), 0);
  });

  it('should sample inside the letterbox bar at both renditions, below the picture', () => {
    for (const [w, h] of [
      [1280, 720],
      [640, 360],
    ] as const) {
      const { variant, scene } = markerSamplePoints(w, h);
      const geo = pictureGeometry({ width: w, height: h });
      assert.ok(variant[1] > geo.bar + geo.pictureHeight, `${w}x${h}: ${variant[1]}`);
      assert.ok(variant[0] < w * 0.03 && scene[0] > w * 0.97);
    }
  });
});
