import assert from 'node:assert/strict';
import { renderTrackingSvg } from '../../../../tools/evaluation/svg-plot.js';

describe('svg-plot', () => {
  it('should draw the target and one path per policy with a legend', () => {
    const svg = renderTrackingSvg({
      times: [0, 2, 4],
      target: [0.1, 0.5, 0.2],
      arousal: { rule: [0.1, 0.3, 0.3], 'model<x>': [0.1, 0.45, 0.25] },
    });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<path /g) ?? []).length, 4); // band, target, 2 policies
    assert.ok(svg.includes('model&#60;x&#62;'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
  });
});
