/**
 * A decision's reason for people, from the viewer's state that led to it: as data (`WhyParts`,
 * stored with the decision so the report can say it in the reader's language) and as the English
 * line the decision event and log carry ("heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 →
 * tense"). The formatting lives in contracts/decision-why.ts, shared with the pages.
 */
import type { ViewerFeatures } from '../../contracts/director.js';
import { formatWhy, type WhyParts } from '../../contracts/decision-why.js';

export interface WhyContext {
  viewer: ViewerFeatures;
  /** A heart sample was ever accepted (a strap or seat is connected). */
  hasSensor: boolean;
  /** Seconds of resting data still needed, while calibrating. */
  calibrationRemainingS: number;
  targetArousal: number;
  level: string;
  /** "audience" for a venue show, "arousal" for one viewer. */
  subject?: 'arousal' | 'audience';
}

/** The reason as data. */
export function decisionWhyParts(c: WhyContext): WhyParts {
  const v = c.viewer;
  const level = c.level;
  if (!c.hasSensor) return { kind: 'no-sensor', target: c.targetArousal, level };
  // Before the first clean beats the signal reports no contact yet: that is the start of the
  // calibration, not a lost sensor.
  if (v.calibrating || (v.contact <= 0 && c.calibrationRemainingS > 0)) {
    return { kind: 'calibrating', remainingS: c.calibrationRemainingS, level };
  }
  if (v.contact <= 0) return { kind: 'contact-lost', level };
  const gap = v.arousal - c.targetArousal;
  return {
    kind: 'state',
    heartDelta:
      v.heartRate !== null && v.baselineHeartRate !== null
        ? v.heartRate - v.baselineHeartRate
        : null,
    subject: c.subject ?? 'arousal',
    arousal: v.arousal,
    sd: v.arousalSd,
    where: Math.abs(gap) < 0.07 ? 'on' : gap < 0 ? 'below' : 'above',
    target: c.targetArousal,
    level,
  };
}

/**
 * @example
 *   decisionWhy({ viewer, hasSensor: true, calibrationRemainingS: 0, targetArousal: 0.6, level: 'tense' });
 *   // 'heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense'
 */
export function decisionWhy(c: WhyContext): string {
  return formatWhy(decisionWhyParts(c), 'en');
}
