/**
 * The estimator on real people: `frisson eval --replay <dir>` runs every recorded trace
 * (`*.trace.jsonl`, e.g. ../shared/physio/traces) through the server's own signal stage and
 * latent-arousal estimator (models/estimator ViewerArousal, exactly what a session holds), with
 * what the screen showed taken from the header's labelled segments, and reports per person:
 *
 * - the estimate (mean, and its sd) and the raw reading in every labelled segment;
 * - the resting noise floor: mean and 95th percentile of the estimate in the rest segments, next to
 *   the reading's (the reading's was 0.29 on these people, as large as any effect);
 * - the range the estimate took (it must never leave [0, 1]);
 * - recovery from a bad start: the same trace with a start-up artifact (the first `badStartS`
 *   seconds read `badStartBpm` too high with erratic intervals, as a strap settling does) against the
 *   clean replay; recovery is the last time the two estimates differ by more than `recoveredWithin`,
 *   counted from the end of the artifact.
 *
 * What the screen showed: in a segment named CLIP-…, the first seconds at the scare intensity and
 * then the clip intensity, rest at 0 (sensors/simulator/physio-compare.ts `CLIP_PROTOCOL`, the same
 * stand-in the simulator comparison uses); a trace without segments is replayed as one unlabelled
 * segment at intensity 0. There is no ground truth here: these figures say how the estimator behaves
 * on real bodies (bounded, quiet at rest, recovering), not how right it is.
 */
import { z } from 'zod';
import type { HeartSample } from '../../contracts/heart.js';
import { ViewerArousal } from '../../models/estimator/viewer-arousal.js';
import { CLIP_PROTOCOL } from '../../sensors/simulator/physio-compare.js';
import { ViewerSignalProcessor } from '../../sensors/signal/viewer-signal-processor.js';
import { TraceSegmentSchema, type TraceSegment } from '../../sensors/trace/trace-format.js';
import { readTraceFolder } from '../../sensors/trace/trace-folder.js';
import { quantileOfSorted } from '../quantile.js';

export interface ReplayOptions {
  /** Seconds of the bad-start artifact. */
  badStartS?: number;
  /** How much too high the artifact reads, bpm. */
  badStartBpm?: number;
  /** The bad-start replay has recovered once it stays within this of the clean one. */
  recoveredWithin?: number;
}

export interface SegmentFigures {
  name: string;
  startS: number;
  endS: number;
  /** Mean estimate over the segment (null: no estimate yet, e.g. still calibrating). */
  estimate: number | null;
  /** Mean posterior sd over the segment. */
  estimateSd: number | null;
  /** Mean signal-stage reading over the segment. */
  reading: number | null;
  /** Screen intensity the replay assumed (mean over the segment). */
  intensity: number;
}

export interface PersonReplay {
  name: string;
  samples: number;
  segments: SegmentFigures[];
  /** Estimate at rest: the noise floor (mean, 95th percentile), and the reading's mean there. */
  restFloor: {
    estimateMean: number | null;
    estimateP95: number | null;
    readingMean: number | null;
  };
  /** Smallest and largest estimate over the session. */
  range: { min: number; max: number };
  withinUnitInterval: boolean;
  /** Evidence (0 = prior only, 1 = data alone) at the end of the session. */
  finalEvidence: number;
  /** Seconds after the artifact ends until the bad-start replay stays within `recoveredWithin`. */
  badStartRecoveryS: number;
}

export interface ReplayReport {
  dir: string;
  options: Required<ReplayOptions>;
  persons: PersonReplay[];
  summary: {
    persons: number;
    allWithinUnitInterval: boolean;
    maxBadStartRecoveryS: number;
    restFloorMean: number | null;
    restReadingMean: number | null;
  };
}

/** Intensity the screen showed at `tMs`, from the labelled segments (see the file comment). */
export function segmentIntensity(segments: readonly TraceSegment[], tMs: number): number {
  const seg = segments.find((s) => tMs >= s.startMs && tMs < s.endMs);
  if (!seg || !/^clip/i.test(seg.name)) return 0;
  return tMs - seg.startMs < CLIP_PROTOCOL.onsetS * 1000
    ? CLIP_PROTOCOL.onsetIntensity
    : CLIP_PROTOCOL.clipIntensity;
}

interface Series {
  t: number[];
  estimate: (number | null)[];
  sd: (number | null)[];
  reading: number[];
  intensity: number[];
  evidence: number;
}

/** Replays samples second by second through a fresh ViewerArousal. */
function replay(samples: readonly HeartSample[], segments: readonly TraceSegment[]): Series {
  const viewer = new ViewerArousal(new ViewerSignalProcessor());
  const out: Series = { t: [], estimate: [], sd: [], reading: [], intensity: [], evidence: 0 };
  let shown = Number.NaN;
  for (const s of samples) {
    const level = segmentIntensity(segments, s.t);
    if (level !== shown) {
      viewer.play(s.t, level);
      shown = level;
    }
    viewer.push(s);
    const { signal, estimate } = viewer.snapshot(s.t);
    out.t.push(s.t);
    out.estimate.push(estimate.calibrating ? null : estimate.arousal);
    out.sd.push(estimate.calibrating ? null : estimate.sd);
    out.reading.push(signal.arousal);
    out.intensity.push(level);
    out.evidence = estimate.evidence;
  }
  return out;
}

/** The same trace with a start-up artifact over its first `seconds`. */
export function withBadStart(
  samples: readonly HeartSample[],
  seconds: number,
  bpmTooHigh: number,
): HeartSample[] {
  const t0 = samples[0]?.t ?? 0;
  return samples.map((s, i) => {
    if (s.t - t0 >= seconds * 1000) return s;
    const bpm = (s.bpm ?? 70) + bpmTooHigh;
    // Erratic intervals around the too-high rate: a strap settling, a seat not yet sat on.
    const rr = [60000 / bpm, (60000 / bpm) * (i % 2 === 0 ? 0.8 : 1.25)];
    return { ...s, bpm: Math.round(bpm), rr };
  });
}

const mean = (xs: readonly number[]): number | null =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

const p95 = (xs: readonly number[]): number | null =>
  xs.length
    ? quantileOfSorted(
        [...xs].sort((a, b) => a - b),
        0.95,
      )
    : null;

function figures(series: Series, seg: TraceSegment): SegmentFigures {
  const idx = series.t.flatMap((t, i) => (t >= seg.startMs && t < seg.endMs ? [i] : []));
  const pick = (xs: readonly (number | null)[]): number[] =>
    idx.flatMap((i) => {
      const x = xs[i];
      return x === null || x === undefined ? [] : [x];
    });
  return {
    name: seg.name,
    startS: seg.startMs / 1000,
    endS: seg.endMs / 1000,
    estimate: mean(pick(series.estimate)),
    estimateSd: mean(pick(series.sd)),
    reading: mean(pick(series.reading)),
    intensity: mean(pick(series.intensity)) ?? 0,
  };
}

/** One person: every figure of the report. */
export function replayPerson(
  name: string,
  samples: readonly HeartSample[],
  segments: readonly TraceSegment[],
  options: Required<ReplayOptions>,
): PersonReplay {
  const first = samples[0]?.t ?? 0;
  const last = samples[samples.length - 1]?.t ?? 0;
  const segs: TraceSegment[] = segments.length
    ? [...segments]
    : [{ name: 'session', startMs: first, endMs: last + 1 }];
  const clean = replay(samples, segs);
  const bad = replay(withBadStart(samples, options.badStartS, options.badStartBpm), segs);
  const est = clean.estimate.filter((x): x is number => x !== null);
  const badEst = bad.estimate.filter((x): x is number => x !== null);
  const all = [...est, ...badEst];
  const rest = segs.filter((s) => /rest/i.test(s.name));
  const inRest = (t: number): boolean => rest.some((s) => t >= s.startMs && t < s.endMs);
  const restEst = clean.t.flatMap((t, i) => {
    const x = clean.estimate[i];
    return inRest(t) && x !== null && x !== undefined ? [x] : [];
  });
  const restReading = clean.t.flatMap((t, i) => (inRest(t) ? [clean.reading[i] ?? 0] : []));
  const artifactEnd = first + options.badStartS * 1000;
  let lastApart = artifactEnd;
  clean.t.forEach((t, i) => {
    const a = clean.estimate[i];
    const b = bad.estimate[i];
    if (t < artifactEnd) return;
    const apart =
      (a === null) !== (b === null) ||
      (a !== null && b !== null && Math.abs((a ?? 0) - (b ?? 0)) > options.recoveredWithin);
    if (apart) lastApart = t;
  });
  return {
    name,
    samples: samples.length,
    segments: segs.map((s) => figures(clean, s)),
    restFloor: {
      estimateMean: mean(restEst),
      estimateP95: p95(restEst),
      readingMean: mean(restReading),
    },
    range: { min: all.length ? Math.min(...all) : 0, max: all.length ? Math.max(...all) : 0 },
    withinUnitInterval: all.every((x) => x >= 0 && x <= 1),
    finalEvidence: clean.evidence,
    badStartRecoveryS: (lastApart - artifactEnd) / 1000,
  };
}

/** Every `*.trace.jsonl` in `dir`; a problem is one line naming the file. */
export async function runReplayEvaluation(
  dir: string,
  options: ReplayOptions = {},
): Promise<{ success: true; data: ReplayReport } | { success: false; error: string }> {
  const opts: Required<ReplayOptions> = {
    badStartS: options.badStartS ?? 20,
    badStartBpm: options.badStartBpm ?? 15,
    recoveredWithin: options.recoveredWithin ?? 0.05,
  };
  const folder = await readTraceFolder(dir);
  if (!folder.success) return folder;
  const persons: PersonReplay[] = [];
  for (const { name, path, trace } of folder.data) {
    const rawSegs = (trace.header as Record<string, unknown>).segments;
    const segs = z.array(TraceSegmentSchema).safeParse(rawSegs ?? []);
    if (!segs.success) {
      return { success: false, error: `${path}: header segments must be [{name, startMs, endMs}]` };
    }
    persons.push(replayPerson(name, trace.samples, segs.data, opts));
  }
  const floors = persons.flatMap((p) =>
    p.restFloor.estimateMean === null ? [] : [p.restFloor.estimateMean],
  );
  const readings = persons.flatMap((p) =>
    p.restFloor.readingMean === null ? [] : [p.restFloor.readingMean],
  );
  return {
    success: true,
    data: {
      dir,
      options: opts,
      persons,
      summary: {
        persons: persons.length,
        allWithinUnitInterval: persons.every((p) => p.withinUnitInterval),
        maxBadStartRecoveryS: Math.max(...persons.map((p) => p.badStartRecoveryS)),
        restFloorMean: mean(floors),
        restReadingMean: mean(readings),
      },
    },
  };
}

/** The report as text: one block of segment rows per person, then the summary. */
export function formatReplayReport(r: ReplayReport): string {
  const f = (x: number | null, d = 2): string => (x === null ? '—' : x.toFixed(d));
  const lines: string[] = [
    `estimator on real recordings (${r.dir}); screen intensity from the labelled segments; no ground truth`,
    '',
  ];
  for (const p of r.persons) {
    lines.push(
      `${p.name}: ${p.samples} samples; rest floor ${f(p.restFloor.estimateMean)} (p95 ${f(p.restFloor.estimateP95)}, reading ${f(p.restFloor.readingMean)}); ` +
        `range ${f(p.range.min)}–${f(p.range.max)}; evidence ${f(p.finalEvidence)}; bad start recovered in ${p.badStartRecoveryS.toFixed(0)} s`,
    );
    lines.push(
      `  ${'segment'.padEnd(17)} ${'from–to s'.padEnd(11)} ${'shown'.padStart(5)} ${'estimate'.padStart(8)} ${'± sd'.padStart(6)} ${'reading'.padStart(8)}`,
    );
    for (const s of p.segments) {
      lines.push(
        `  ${s.name.padEnd(17)} ${`${s.startS.toFixed(0)}–${s.endS.toFixed(0)}`.padEnd(11)} ${f(s.intensity).padStart(5)} ${f(s.estimate).padStart(8)} ${f(s.estimateSd).padStart(6)} ${f(s.reading).padStart(8)}`,
      );
    }
  }
  const s = r.summary;
  lines.push(
    '',
    `${s.persons} persons: estimate within [0, 1] ${s.allWithinUnitInterval ? 'always' : 'NOT always'}; ` +
      `rest floor ${f(s.restFloorMean)} (reading ${f(s.restReadingMean)}); ` +
      `bad start (${r.options.badStartS} s, +${r.options.badStartBpm} bpm) recovered within ${s.maxBadStartRecoveryS.toFixed(0)} s (goal ≤ 60 s)`,
  );
  return `${lines.join('\n')}\n`;
}
