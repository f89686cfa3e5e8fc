/**
 * The post-show report as it travels: what server/http/report-builder.ts builds from the store
 * (`GET /api/reports/sessions/:id`, `/api/reports/shows/:id`) and client/report renders. Times are seconds since the epoch.
 */
import type { Locale } from './i18n.js';

/** A story suggested after a viewing, with the tags that moved the viewer most. */
export interface Recommendation {
  storyId: string;
  title: string;
  score: number;
  why: string[];
}

export interface ReportData {
  kind: 'session' | 'show';
  id: string;
  title: string;
  storyId: string;
  locale: Locale;
  heartRate: Array<[number, number]>;
  arousal: Array<[number, number]>;
  /** The author's target arousal at each decision (same times as `arousal`). */
  target: Array<[number, number]>;
  scenes: Array<{ scene: string; title: string; start: number; end: number }>;
  decisions: Array<{
    t: number;
    msn: number;
    scene: string;
    level: string;
    reason: string;
    /** The decision's one line for people ('' for decisions recorded before it existed). */
    why: string;
    fallback: boolean;
  }>;
  votes: Array<{
    t: number;
    branch: string;
    winner: string;
    rule: string;
    votes: number;
    counts: Record<string, number>;
  }>;
  recap: string[];
  /** Other stories of the library, best first (never the one just seen). */
  recommendations: Recommendation[];
}
