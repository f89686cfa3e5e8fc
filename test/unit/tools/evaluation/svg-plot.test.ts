import assert from 'node:assert/strict';
import { renderTrackingSvg } from '../../../../tools/evaluation/svg-plot.js';

describe('svg-plot', () => {
  const group = {
    viewers: 2,
    latent: [0.1, 0.4, 0.3],
    estimate: [0.1, 0.35, 0.3],
    reading: [0, 0.2, 0.1],
  };
  const traces = {
    times: [0, 2, 4],
    target: [0.1, 0.5, 0.2],
    groups: { 'model<x>': { all: group, 'strongly reacts': { ...group, viewers: 1 } } },
  };

  it('should draw one panel per viewer type with target, felt, estimated and read arousal', () => {
    const svg = renderTrackingSvg(traces, { policy: 'model<x>' });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Per panel: band, target, latent, estimate, reading.
    assert.equal((svg.match(/<path /g) ?? []).length, 2 * 5);
    assert.ok(svg.includes('model&#60;x&#62;'));
    assert.ok(svg.includes('strongly reacts (1 viewers)'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
  });

  it('should refuse a policy that was not run', () => {
    assert.throws(() => renderTrackingSvg(traces, { policy: 'rule' }), /no traces for policy rule/);
  });
});
