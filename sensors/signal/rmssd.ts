/**
 * RMSSD: root mean square of successive differences of normal-to-normal (RR/NN) intervals, the
 * standard short-term vagal HRV index (Task Force of the ESC and NASPE, 1996, "Heart rate
 * variability: standards of measurement…", Circulation 93:1043–1065).
 *
 * @example
 * rmssd([800, 810, 790, 820, 805]); // √((10² + 20² + 30² + 15²) / 4) ≈ 20.16 ms
 */
export function rmssd(nn: readonly number[]): number | null {
  if (nn.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < nn.length; i++) {
    const d = (nn[i] ?? 0) - (nn[i - 1] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum / (nn.length - 1));
}
