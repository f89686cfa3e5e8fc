import assert from 'node:assert/strict';
import { ArtifactFilter, cleanRrIntervals } from '../../../../sensors/signal/artifact-filter.js';

const base = [800, 810, 790, 805, 795];

describe('ArtifactFilter', () => {
  it('should pass a clean series unchanged with clean fraction 1', () => {
    const r = cleanRrIntervals([...base, 800, 812]);
    assert.deepEqual(r.nn, [...base, 800, 812]);
    assert.equal(r.cleanFraction, 1);
    assert.equal(r.segments.length, 1);
  });

  it('should interpolate an isolated bad beat between its neighbours', () => {
    // 1300 differs > 20 % from the median (800) and from the last beat (795), and is not ≈ 2×median
    const r = cleanRrIntervals([...base, 1300, 805]);
    assert.deepEqual(r.nn, [...base, 800, 805]); // (795 + 805) / 2
    assert.deepEqual(r.kinds.slice(-2), ['interpolated', 'clean']);
    assert.equal(r.cleanFraction, 6 / 7);
  });

  it('should reject beats outside the 300–2000 ms physiological limits', () => {
    const r = cleanRrIntervals([...base, 250, 800]);
    assert.deepEqual(r.nn, [...base, 797.5, 800]);
    const warm = cleanRrIntervals([2500, 800, 810]);
    assert.deepEqual(warm.nn, [800, 810], 'a bad first beat has no left neighbour: dropped');
    assert.equal(warm.segments.length, 1);
  });

  it('should keep a beat that is within 20 % of the last accepted beat (gradual change)', () => {
    // median 800; 700 is 12.5 % off the median → clean. 620 is 22.5 % off the median but only
    // 11.4 % off the last beat (700) → kept: a real acceleration is not an artifact.
    const r = cleanRrIntervals([...base, 700, 620]);
    assert.deepEqual(r.nn, [...base, 700, 620]);
    assert.equal(r.cleanFraction, 1);
  });

  it('should split a missed beat (≈ 2 × median) into two', () => {
    const r = cleanRrIntervals([...base, 1600, 800]);
    assert.deepEqual(r.nn, [...base, 800, 800, 800]);
    assert.deepEqual(r.kinds.slice(-3), ['split', 'split', 'clean']);
  });

  it('should merge an extra beat (two short intervals summing to ≈ median)', () => {
    const r = cleanRrIntervals([...base, 350, 450, 805]);
    assert.deepEqual(r.nn, [...base, 800, 805]);
    assert.deepEqual(r.kinds.slice(-2), ['merged', 'clean']);
    assert.ok(Math.abs(r.cleanFraction - 6 / 8) < 1e-12);
  });

  it('should replace an ectopic beat with compensatory pause by two averaged beats', () => {
    // premature 560 + compensatory 1040 = 1600 ≈ 2 × median
    const r = cleanRrIntervals([...base, 560, 1040, 800]);
    assert.deepEqual(r.nn, [...base, 800, 800, 800]);
    assert.deepEqual(r.kinds.slice(-3), ['interpolated', 'interpolated', 'clean']);
  });

  it('should drop a run of bad beats and start a new segment', () => {
    const r = cleanRrIntervals([...base, 1300, 1350, 1250, 800, 805]);
    assert.deepEqual(r.nn, [...base, 800, 805]);
    assert.equal(r.segments.length, 2);
    assert.deepEqual(r.segments[1], [800, 805]);
  });

  it('should re-anchor after a sustained jump instead of rejecting forever', () => {
    const jump = Array.from({ length: 12 }, () => 1300);
    const r = cleanRrIntervals([...base, ...jump]);
    // after 5 consecutive rejections the median is forgotten and 1300 becomes the new normal
    assert.ok(r.nn.filter((v) => v === 1300).length >= 6);
  });

  it('should start a new segment after markGap', () => {
    const gaps: boolean[] = [];
    const f = new ArtifactFilter((_rr, _k, gap) => gaps.push(gap));
    f.push(800);
    f.push(810);
    f.markGap();
    f.push(805);
    assert.deepEqual(gaps, [false, false, true]);
    assert.deepEqual(f.stats, { input: 3, clean: 3, dropped: 0 });
  });

  it('should treat NaN as an artifact without throwing', () => {
    const r = cleanRrIntervals([...base, Number.NaN, 800]);
    assert.equal(r.nn.length, base.length + 2);
    assert.ok(r.nn.every(Number.isFinite));
  });
});
