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
  scenes: Array<{ scene: string; title: string; start: number; end: number }>;
  decisions: Array<{
    t: number;
    msn: number;
    scene: string;
    level: string;
    reason: string;
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
  recommendations: Recommendation[];
}
