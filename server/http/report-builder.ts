/**
 * Builds a post-show report (one home viewer, or one show's audience) from the store: heart rate
 * and arousal over time, scene bands, decisions, votes, a recap generated from templates
 * (contracts/i18n.ts) and story recommendations (story-recommender.ts); the shape it returns is
 * contracts/report.ts.
 *
 * Times are seconds since the epoch. Arousal comes from the decision log (the value the director
 * saw at each decision); scene bands run from a scene's first decision to the next scene's. A
 * decision is published ~the horizon ahead of the screen, so bands lead the picture by ≈ 1 s (`FRISSON_HORIZON`; more for a viewer whose stalls widened it).
 */
import { count, resolveLocale, t } from '../../contracts/i18n.js';
import { formatWhy } from '../../contracts/decision-why.js';
import { targetAt } from '../../models/features/target-curve.js';
import type { ReportData } from '../../contracts/report.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { DecisionRecord, StoredSample, VoteResultRecord } from '../store/store.js';
import { median } from '../show/audience-aggregate.js';
import { recommendStories, tagResponses } from './story-recommender.js';

export interface ReportInput {
  kind: 'session' | 'show';
  id: string;
  title: string;
  story: PackagedStory;
  library: readonly PackagedStory[];
  decisions: readonly DecisionRecord[];
  samples: readonly StoredSample[];
  votes: readonly VoteResultRecord[];
  endedAt: number | null;
  lang?: string | null;
}

/** Heart rate per second: a viewer's own bpm, or the median over seats for a show. */
function heartRateSeries(samples: readonly StoredSample[]): Array<[number, number]> {
  const bySecond = new Map<number, number[]>();
  for (const s of samples) {
    const bpm =
      s.bpm ??
      (s.rr && s.rr.length > 0 ? 60_000 / (s.rr.reduce((a, b) => a + b) / s.rr.length) : undefined);
    if (bpm === undefined || s.contact === false) continue;
    const sec = Math.floor(s.t / 1000);
    const list = bySecond.get(sec) ?? [];
    list.push(bpm);
    bySecond.set(sec, list);
  }
  return [...bySecond.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([sec, xs]) => [sec, Math.round((median(xs) ?? 0) * 10) / 10]);
}

export function buildReport(input: ReportInput): ReportData {
  const locale = resolveLocale(input.lang);
  const { story } = input;
  const sceneTitle = (id: string): string => story.scenes[id]?.title ?? id;
  const decisions = [...input.decisions].sort((a, b) => a.msn - b.msn);
  const scenes: ReportData['scenes'] = [];
  for (const d of decisions) {
    const last = scenes[scenes.length - 1];
    const at = d.at / 1000;
    if (last && last.scene === d.scene && !d.discontinuity) {
      last.end = at + d.duration;
    } else {
      if (last) last.end = at;
      scenes.push({ scene: d.scene, title: sceneTitle(d.scene), start: at, end: at + d.duration });
    }
  }
  const heartRate = heartRateSeries(input.samples);
  const arousal: Array<[number, number]> = decisions.map((d) => [d.at / 1000, d.arousal]);
  // The author's target at each decision: the curve at the story time the segment starts.
  let storyTime = 0;
  const target: Array<[number, number]> = decisions.map((d) => {
    const p: [number, number] = [d.at / 1000, targetAt(story.targetCurve, storyTime)];
    storyTime += d.duration;
    return p;
  });

  // Recap: templates filled from the decision log.
  const recap: string[] = [];
  const path = scenes.map((s) => s.title).join(' → ');
  recap.push(
    t(locale, 'recap.watched', {
      title: story.title,
      scenes: count(locale, 'scenes', scenes.length),
      path,
    }),
  );
  const lastScene = scenes[scenes.length - 1]?.scene;
  const lastNext = lastScene ? story.scenes[lastScene]?.next : undefined;
  if (lastNext?.type === 'ending' && input.endedAt !== null) {
    recap.push(
      t(locale, 'recap.ending', {
        ending: story.endings[lastNext.ending]?.title ?? lastNext.ending,
      }),
    );
  }
  const sceneAt = (sec: number): string =>
    scenes.find((s) => sec >= s.start && sec < s.end)?.title ??
    scenes[scenes.length - 1]?.title ??
    '';
  const peakHr = heartRate.reduce<[number, number] | null>(
    (best, p) => (best === null || p[1] > best[1] ? p : best),
    null,
  );
  if (peakHr) {
    recap.push(
      t(locale, 'recap.peakHr', { bpm: Math.round(peakHr[1]), scene: sceneAt(peakHr[0]) }),
    );
  } else {
    recap.push(t(locale, 'recap.noSamples'));
  }
  const peakAr = decisions.reduce<DecisionRecord | null>(
    (best, d) => (best === null || d.arousal > best.arousal ? d : best),
    null,
  );
  if (peakAr && peakAr.arousal > 0) {
    recap.push(
      t(locale, 'recap.peakArousal', {
        arousal: peakAr.arousal.toFixed(2),
        scene: sceneTitle(peakAr.scene),
      }),
    );
  }
  const intensity = new Map(story.levels.map((l) => [l.id, l.intensity]));
  let up = 0;
  let down = 0;
  for (let i = 1; i < decisions.length; i++) {
    const a = decisions[i - 1];
    const b = decisions[i];
    if (!a || !b || b.discontinuity) continue;
    const da = intensity.get(a.level) ?? 0;
    const db = intensity.get(b.level) ?? 0;
    if (db > da) up++;
    else if (db < da) down++;
  }
  recap.push(
    up + down === 0
      ? t(locale, 'recap.intensityNone')
      : t(locale, 'recap.intensity', {
          up: count(locale, 'times', up),
          down: count(locale, 'times', down),
        }),
  );
  const fallbacks = decisions.filter((d) => d.fallback).length;
  if (fallbacks > 0) {
    recap.push(t(locale, 'recap.fallbacks', { n: count(locale, 'times', fallbacks) }));
  }
  for (const v of input.votes) {
    recap.push(
      t(locale, 'recap.vote', {
        branch: story.branches[v.branch]?.prompt ?? v.branch,
        winner: sceneTitle(v.winner),
        votes: v.votes,
        rule: t(locale, `rule.${v.rule}` as Parameters<typeof t>[1]),
      }),
    );
  }

  const responses = tagResponses(
    story,
    decisions.map((d) => ({ scene: d.scene, arousal: d.arousal })),
  );
  return {
    kind: input.kind,
    id: input.id,
    title: input.title,
    storyId: story.id,
    locale,
    heartRate,
    arousal,
    target,
    scenes,
    decisions: decisions.map((d) => ({
      t: d.at / 1000,
      msn: d.msn,
      scene: d.scene,
      level: d.level,
      reason: d.reason,
      why: d.why ? formatWhy(d.why, locale) : '',
      fallback: d.fallback,
    })),
    votes: input.votes.map((v) => ({
      t: v.at / 1000,
      branch: v.branch,
      winner: v.winner,
      rule: v.rule,
      votes: v.votes,
      counts: v.counts,
    })),
    recap,
    // Other stories only: recommending the film just seen tells the viewer nothing.
    recommendations: recommendStories(
      responses,
      input.library.filter((s) => s.id !== story.id),
    ),
  };
}
