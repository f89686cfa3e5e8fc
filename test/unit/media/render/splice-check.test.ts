/**
 * The splice measures (media/render/splice-check.ts) on synthetic signals: a switch between two
 * in-phase mixes of the same layers, blended the way AAC's overlap-add blends frames, passes;
 * a hard cut, a polarity flip and a hole are caught.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { measureSplice } from '../../../../media/render/splice-check.js';

const RATE = 48000;
const N = RATE; // one second
const AT = 24000;

/** A low drone (55 + 110 Hz) and a little noise, deterministic, times `gain`. */
function layer(gain: number, seed = 1): Float32Array {
  let s = seed;
  const out = new Float32Array(N);
  for (let i = 0; i < N; i += 1) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const t = i / RATE;
    out[i] =
      gain *
      (0.3 * Math.sin(2 * Math.PI * 55 * t) +
        0.2 * Math.sin(2 * Math.PI * 110 * t) +
        0.01 * (s / 2 ** 30 - 1));
  }
  return out;
}

/** A up to AT, B after, blended over one AAC frame (sine window) as the decoder's overlap-add does. */
function blended(a: Float32Array, b: Float32Array, frame = 1024): Float32Array {
  return a.map((x, i) => {
    if (i < AT - frame) return x;
    if (i >= AT) return b[i] ?? 0;
    const w = Math.sin((Math.PI / 2) * ((i - (AT - frame)) / frame)) ** 2;
    return (1 - w) * x + w * (b[i] ?? 0);
  });
}

describe('splice measures', () => {
  const calm = layer(0.2);
  const scare = layer(1);

  it('should pass a switch between in-phase mixes blended by the decoder', () => {
    const m = measureSplice(blended(calm, scare), calm, scare, AT, RATE);
    assert.ok(m.click <= 1.5, `click ${m.click}`);
    assert.ok(m.level >= 0.5, `level ${m.level}`);
  });

  it('should catch a hard cut as a click', () => {
    // Cut where the drone is far from zero, as a switch at an arbitrary sample would.
    let at = AT;
    for (let i = AT; i < AT + 1000; i += 1) if ((scare[i] ?? 0) > (scare[at] ?? 0)) at = i;
    const cut = calm.map((x, i) => (i < at ? x : (scare[i] ?? 0)));
    const m = measureSplice(cut, calm, scare, at, RATE);
    assert.ok(m.click > 1.5, `click ${m.click}`);
  });

  it('should catch layers out of phase between variants as a dip', () => {
    const inverted = scare.map((x) => -x * 0.2);
    const m = measureSplice(blended(calm, inverted), calm, inverted, AT, RATE);
    assert.ok(m.level < 0.5, `level ${m.level}`);
  });

  it('should catch a hole at the splice', () => {
    const hole = blended(calm, scare).map((x, i) => (i >= AT && i < AT + 960 ? 0 : x));
    const m = measureSplice(hole, calm, scare, AT, RATE);
    assert.ok(m.level < 0.5, `level ${m.level}`);
  });
});
