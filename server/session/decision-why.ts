/**
 * One line for people about a decision: the viewer's state that led to it, as the HUD and the
 * report show it ("heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense"). The decision
 * log keeps the technical reason (pickers, plan costs) beside it.
 */
import type { ViewerFeatures } from '../../contracts/director.js';

export interface WhyContext {
  viewer: ViewerFeatures;
  /** A heart sample was ever accepted (a strap or seat is connected). */
  hasSensor: boolean;
  /** Seconds of resting data still needed, while calibrating. */
  calibrationRemainingS: number;
  targetArousal: number;
  level: string;
  /** "audience" for a venue show, "arousal" for one viewer. */
  subject?: string;
}

const f2 = (x: number): string => x.toFixed(2);

/**
 * @example
 *   decisionWhy({ viewer, hasSensor: true, calibrationRemainingS: 0, targetArousal: 0.6, level: 'tense' });
 *   // 'heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense'
 */
export function decisionWhy(c: WhyContext): string {
  const v = c.viewer;
  const to = `→ ${c.level}`;
  if (!c.hasSensor)
    return `no heart data: following the author's curve (target ${f2(c.targetArousal)}) ${to}`;
  if (v.calibrating) {
    return `calibrating (${Math.max(1, Math.ceil(c.calibrationRemainingS))} s left): following the author's curve ${to}`;
  }
  if (v.contact <= 0) return `sensor contact lost: following the author's curve ${to}`;
  const parts: string[] = [];
  if (v.heartRate !== null && v.baselineHeartRate !== null) {
    const d = Math.round(v.heartRate - v.baselineHeartRate);
    parts.push(Math.abs(d) < 2 ? 'heart flat' : `heart ${d > 0 ? '+' : ''}${d} bpm`);
  }
  const gap = v.arousal - c.targetArousal;
  const where = Math.abs(gap) < 0.07 ? 'on target' : gap < 0 ? 'below target' : 'above target';
  const sd = v.arousalSd > 0.005 ? ` ± ${f2(v.arousalSd)}` : '';
  parts.push(`${c.subject ?? 'arousal'} ${f2(v.arousal)}${sd} ${where} ${f2(c.targetArousal)}`);
  return `${parts.join(', ')} ${to}`;
}
