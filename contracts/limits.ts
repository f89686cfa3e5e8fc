/**
 * Physiological limits: the one place they are set, each named by what it is for.
 *
 * - `EDGE_*` reject the impossible. A value outside them is a bug or a broken device, not an
 *   artifact: the hub answers a viewer's sample FRISSON_ERR_OUT_OF_RANGE and drops a seat's
 *   sample, the signal stage refuses it (state unchanged), and the HID decoder tries the field's
 *   other unit before reporting it implausible. Wider than resting physiology, narrower than
 *   nonsense (RHRV `FilterNIHR` keeps 25–200 bpm; 250 bpm and 3 s pauses do occur).
 * - `PLAUSIBLE_BEAT_RR_MS` is a believable beat. Inside the edge, an interval outside it is an
 *   artifact the signal stage's filter removes (hrv-analysis `remove_outliers` uses 300–2000 ms,
 *   i.e. 30–200 bpm; RHRV `FilterNIHR` 25–200 bpm ≈ 300–2400 ms); the simulator's true beats stay
 *   inside it.
 *
 * The signal stage checks the same edge as the wire, with one difference kept on purpose: it
 * accepts any positive interval up to `EDGE_RR_MS.max` (a split beat from a detector is short, an
 * artifact to filter, not an impossible value); below `EDGE_RR_MS.min` only the wire refuses.
 */

/** Heart rate at the edge, beats per minute (inclusive). */
export const EDGE_BPM = { min: 20, max: 250 } as const;

/** One RR (beat-to-beat) interval at the edge, milliseconds (inclusive). */
export const EDGE_RR_MS = { min: 200, max: 3000 } as const;

/** Skin conductance (EDA/GSR) at the edge, microsiemens (inclusive). */
export const EDGE_EDA_US = { min: 0, max: 100 } as const;

/** RR intervals one sample may carry (a BLE frame holds at most 9; a batch of a few seconds more). */
export const MAX_RR_PER_SAMPLE = 32;

/** A believable beat, milliseconds (inclusive): outside it an interval is an artifact. */
export const PLAUSIBLE_BEAT_RR_MS = { min: 300, max: 2000 } as const;

/** Whether a sample's heart values (bpm, RR intervals), where present, are within the edge. */
export function heartValuesInLimits(s: { bpm?: number; rr?: readonly number[] }): boolean {
  if (s.bpm !== undefined && (s.bpm < EDGE_BPM.min || s.bpm > EDGE_BPM.max)) return false;
  if (s.rr !== undefined) {
    for (const v of s.rr) if (v < EDGE_RR_MS.min || v > EDGE_RR_MS.max) return false;
  }
  return true;
}

/** Whether a sample's values (heart and EDA), where present, are within the edge. */
export function withinEdgeLimits(s: {
  bpm?: number;
  rr?: readonly number[];
  eda?: number;
}): boolean {
  if (s.eda !== undefined && (s.eda < EDGE_EDA_US.min || s.eda > EDGE_EDA_US.max)) return false;
  return heartValuesInLimits(s);
}

/** The one-line message of an out-of-range sample at the edge. */
export const EDGE_LIMITS_MESSAGE = `bpm must be ${EDGE_BPM.min}–${EDGE_BPM.max} and rr ${EDGE_RR_MS.min}–${EDGE_RR_MS.max} ms`;
