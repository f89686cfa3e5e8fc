/**
 * The audience as one viewer: a robust aggregate of the seats in contact.
 *
 * Choice: the MEDIAN (not a trimmed mean). A venue always has a few bad seats — a loose finger
 * clip, a sensor reporting a stuck value, someone who just ran up the stairs — and the median
 * ignores up to half of the seats being arbitrarily wrong (breakdown point 50 %), where a 20 %
 * trimmed mean breaks once more than 20 % are bad and needs a tuning constant. With few seats in
 * contact (a quiet matinee) the median is still defined (n = 1, 2) while trimming a fraction of
 * two values is not. Its cost — it moves in steps rather than smoothly — is invisible here, because
 * each seat's arousal is already smoothed over seconds by the signal stage. See docs/venues.md.
 */
import type { ViewerFeatures } from '../../contracts/director.js';

export function median(values: readonly number[]): number | null {
  const xs = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) xs[n++] = v;
  return medianOf(xs, n);
}

/**
 * Median of `xs[0..n)`, which it sorts in place. A typed array sorts numerically in native code
 * without a comparator call per step: the show tick takes five medians over up to 5,000 seats twice
 * a second.
 */
function medianOf(xs: Float64Array, n: number): number | null {
  if (n === 0) return null;
  const s = xs.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export interface SeatReading {
  arousal: number;
  arousalSlope: number;
  rmssdChange: number;
  heartRate: number | null;
  baselineHeartRate: number | null;
  /** In contact and calibrated: only these count. */
  inContact: boolean;
}

/** Fewest seats in contact (absolute, and as a fraction of known seats) before the aggregate counts. */
export const QUORUM_MIN_SEATS = 1;
export const QUORUM_FRACTION = 0.1;

export interface AudienceAggregate {
  features: ViewerFeatures;
  seatsInContact: number;
  seats: number;
}

/** Median of every feature over the seats in contact; `contact` is 1 once the quorum is met. */
export function aggregateAudience(
  readings: readonly SeatReading[],
  extra: { clicks?: number; sinceLastPeak?: number } = {},
): AudienceAggregate {
  const live: SeatReading[] = [];
  for (const r of readings) if (r.inContact) live.push(r);
  const quorum = Math.max(QUORUM_MIN_SEATS, Math.ceil(QUORUM_FRACTION * readings.length));
  const scratch = new Float64Array(live.length);
  const pick = (f: (r: SeatReading) => number | null): number | null => {
    let n = 0;
    for (const r of live) {
      const v = f(r);
      if (v !== null && Number.isFinite(v)) scratch[n++] = v;
    }
    return medianOf(scratch, n);
  };
  const met = live.length >= quorum;
  return {
    seats: readings.length,
    seatsInContact: live.length,
    features: {
      arousal: met ? (pick((r) => r.arousal) ?? 0) : 0,
      arousalSd: 0,
      evidence: met ? 1 : 0,
      calibrating: !met,
      reading: met ? (pick((r) => r.arousal) ?? 0) : 0,
      arousalSlope: met ? (pick((r) => r.arousalSlope) ?? 0) : 0,
      rmssdChange: met ? (pick((r) => r.rmssdChange) ?? 0) : 0,
      heartRate: pick((r) => r.heartRate),
      baselineHeartRate: pick((r) => r.baselineHeartRate),
      contact: met ? 1 : 0,
      clicks: extra.clicks ?? 0,
      pauses: 0,
      sinceLastPeak: extra.sinceLastPeak ?? 0,
    },
  };
}
