import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { layerGainDb, parseEbur128 } from '../../../../media/ffmpeg/loudness.js';

/**
 * ffmpeg's ebur128 output, as the bundled static ffmpeg (N-47683) prints it: a summary from the
 * filter's initialisation (before any audio) and the real one at the end, for two named meters.
 */
const STDERR = `[ebur128@layers0 @ 0x2e098940] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
    Threshold:   0.0 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS
    LRA low:     0.0 LUFS
    LRA high:    0.0 LUFS
size=N/A time=00:00:03.00 bitrate=N/A speed= 271x
[ebur128@layers0 @ 0xdbe1d40] Summary:

  Integrated loudness:
    I:         -21.6 LUFS
    Threshold: -31.6 LUFS

  Loudness range:
    LRA:        20.0 LU
    Threshold: -41.6 LUFS
    LRA low:   -41.6 LUFS
    LRA high:  -21.6 LUFS

  True peak:
    Peak:      -15.0 dBFS
[ebur128@bed @ 0xdbe1d80] Summary:

  Integrated loudness:
    I:         -39.2 LUFS
    Threshold: -49.2 LUFS

  Loudness range:
    LRA:         2.5 LU
    Threshold: -59.3 LUFS
    LRA low:   -40.6 LUFS
    LRA high:  -38.1 LUFS
`;

describe('loudness', () => {
  it('should read the last summary of each named ebur128 meter', () => {
    assert.deepEqual(parseEbur128(STDERR, 'ebur128@layers0'), {
      integrated: -21.6,
      range: 20,
      truePeak: -15,
    });
    assert.deepEqual(parseEbur128(STDERR, 'ebur128@bed'), { integrated: -39.2, range: 2.5 });
    assert.equal(parseEbur128(STDERR, 'ebur128@layers1'), undefined);
    assert.equal(parseEbur128('no meter here'), undefined);
  });

  it('should read the loudest momentary loudness from per-frame lines', () => {
    const log = `[ebur128@x @ 0x1] t: 0.4  TARGET:-23 LUFS    M: -30.2 S:-120.7     I: -30.2 LUFS       LRA:   0.0 LU
[ebur128@x @ 0x1] t: 0.5  TARGET:-23 LUFS    M: -12.9 S:-120.7     I: -20.0 LUFS       LRA:   0.0 LU
${STDERR.replace(/layers0/g, 'x')}`;
    assert.equal(parseEbur128(log, 'ebur128@x')?.maxMomentary, -12.9);
  });

  it('should solve the layers gain so that bed + layers reach the target (power sum)', () => {
    const gain = layerGainDb({ target: -16, bed: -39, layers: -21 });
    const total = 10 * Math.log10(10 ** (-39 / 10) + 10 ** ((-21 + gain) / 10));
    assert.ok(Math.abs(total - -16) < 1e-9);
    assert.ok(Math.abs(gain - 4.98) < 0.01);
    assert.throws(
      () => layerGainDb({ target: -40, bed: -39, layers: -21 }),
      /cannot reach -40 LUFS/,
    );
  });
});
