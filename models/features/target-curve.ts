/**
 * Target arousal along story time: linear interpolation between the author's points
 * (PackagedStory.targetCurve), held flat before the first and after the last point.
 */
export interface TargetPoint {
  t: number;
  arousal: number;
}

/**
 * @example
 *   targetAt([{ t: 0, arousal: 0.1 }, { t: 60, arousal: 0.7 }], 30); // 0.4
 */
export function targetAt(curve: readonly TargetPoint[], t: number): number {
  const first = curve[0];
  if (!first) return 0;
  if (t <= first.t) return first.arousal;
  // Binary search for the segment [lo, lo+1] containing t.
  let lo = 0;
  let hi = curve.length - 1;
  const last = curve[hi];
  if (last && t >= last.t) return last.arousal;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((curve[mid]?.t ?? 0) <= t) lo = mid;
    else hi = mid;
  }
  const a = curve[lo] ?? first;
  const b = curve[hi] ?? a;
  const span = b.t - a.t;
  return span > 0 ? a.arousal + ((b.arousal - a.arousal) * (t - a.t)) / span : b.arousal;
}
