/**
 * Arousal index 0–1 from change against a per-viewer resting baseline. Arousal is relative: the
 * same 80 bpm is calm for one viewer and tense for another, so only deltas count (reference:
 * Nevermind adapts on HRV change, not bpm).
 *
 * Components, each clamped to 0–1:
 * - hr   = (HR − baselineHR) / 25 bpm — a sustained +25 bpm is treated as full arousal (the
 *          simulator's population responds with 8–30 bpm at intensity 1);
 * - rmssd = −(RMSSD − baselineRMSSD) / baselineRMSSD / 0.6 — a 60 % vagal withdrawal is full
 *          arousal (RMSSD falls under acute stress; Task Force 1996 for the index itself);
 * - eda  = (EDA − baselineEDA) / 2 µS — a 2 µS rise in skin conductance is full arousal (phasic
 *          responses are typically 0.1–1 µS, tonic shifts a few µS).
 *
 * Fusion: weighted mean over the components present, weights hr 0.5, rmssd 0.3, eda 0.2,
 * renormalised — heart rate is always present; RMSSD needs RR intervals; EDA needs a seat that
 * measures it.
 */
export const HR_FULL_SCALE_BPM = 25;
export const RMSSD_FULL_DROP = 0.6;
export const EDA_FULL_SCALE_US = 2;
const W_HR = 0.5;
const W_RMSSD = 0.3;
const W_EDA = 0.2;

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export interface ArousalInputs {
  heartRate: number;
  baselineHeartRate: number;
  /** Relative RMSSD change vs baseline (−0.3 = 30 % lower), or null when unknown. */
  rmssdChange: number | null;
  /** EDA rise over baseline in µS, or null when the seat has no EDA channel. */
  edaRise: number | null;
}

/**
 * @example
 * arousalIndex({ heartRate: 85, baselineHeartRate: 70, rmssdChange: -0.3, edaRise: null });
 * // hr 0.6, rmssd 0.5 → (0.5·0.6 + 0.3·0.5) / 0.8 = 0.5625
 */
export function arousalIndex(x: ArousalInputs): number {
  let sum = W_HR * clamp01((x.heartRate - x.baselineHeartRate) / HR_FULL_SCALE_BPM);
  let weight = W_HR;
  if (x.rmssdChange !== null && Number.isFinite(x.rmssdChange)) {
    sum += W_RMSSD * clamp01(-x.rmssdChange / RMSSD_FULL_DROP);
    weight += W_RMSSD;
  }
  if (x.edaRise !== null && Number.isFinite(x.edaRise)) {
    sum += W_EDA * clamp01(x.edaRise / EDA_FULL_SCALE_US);
    weight += W_EDA;
  }
  return sum / weight;
}
