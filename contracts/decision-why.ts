/**
 * A decision's reason for people, as data (`WhyParts`, built by server/session/decision-why.ts)
 * and as one line in the reader's language (`formatWhy`): the HUD, the report and the decision
 * log show the same reason, in English or Chinese.
 *
 * @example
 *   formatWhy({ kind: 'state', heartDelta: 6, subject: 'arousal', arousal: 0.31, sd: 0.08,
 *     where: 'below', target: 0.6, level: 'tense' }, 'en');
 *   // 'heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense'
 */
import { t, type Locale } from './i18n.js';

export type WhyParts =
  | { kind: 'no-sensor'; target: number; level: string }
  | { kind: 'calibrating'; remainingS: number; level: string }
  | { kind: 'contact-lost'; level: string }
  | {
      kind: 'state';
      /** Heart rate minus the resting baseline, bpm (null when either is unknown). */
      heartDelta: number | null;
      subject: 'arousal' | 'audience';
      arousal: number;
      sd: number;
      where: 'on' | 'below' | 'above';
      target: number;
      level: string;
    };

const f2 = (x: number): string => x.toFixed(2);

/** A level id in the reader's language (the three usual ones; others as authored). */
export function levelName(level: string, locale: Locale): string {
  return level === 'calm' || level === 'tense' || level === 'scare'
    ? t(locale, `level.${level}`)
    : level;
}

export function formatWhy(p: WhyParts, locale: Locale): string {
  const level = levelName(p.level, locale);
  switch (p.kind) {
    case 'no-sensor':
      return t(locale, 'why.noSensor', { target: f2(p.target), level });
    case 'calibrating':
      return t(locale, 'why.calibrating', { s: Math.max(1, Math.ceil(p.remainingS)), level });
    case 'contact-lost':
      return t(locale, 'why.contactLost', { level });
    case 'state': {
      const parts: string[] = [];
      if (p.heartDelta !== null) {
        const d = Math.round(p.heartDelta);
        parts.push(
          Math.abs(d) < 2
            ? t(locale, 'why.heartFlat')
            : t(locale, 'why.heartDelta', { d: `${d > 0 ? '+' : ''}${d}` }),
        );
      }
      const sd = p.sd > 0.005 ? ` ± ${f2(p.sd)}` : '';
      parts.push(
        t(locale, `why.${p.where}`, {
          subject: t(locale, `why.subject.${p.subject}`),
          a: `${f2(p.arousal)}${sd}`,
          target: f2(p.target),
        }),
      );
      return t(locale, 'why.state', { parts: parts.join(t(locale, 'why.separator')), level });
    }
  }
}
