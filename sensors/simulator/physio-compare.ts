/**
 * Real people next to simulated ones: the same statistics, computed the same way, on recorded
 * traces (`../shared/physio/traces`, PhysioNet ecg-spider-clip) and on simulated viewers put through
 * the same protocol. Everything heart-related goes through the real `ViewerSignalProcessor` (and the
 * same `ArtifactFilter` for the beat-level figures), so a difference in the table is a difference
 * between people and the simulator, not between two pipelines.
 *
 * Protocol of the recordings: five 60 s spider clips back to back (0–300 s), then rest (300 s to
 * the end, ≈ 600 s). The simulated session mirrors it (`CLIP_PROTOCOL`): each clip opens with the
 * spider's first appearance — intensity 0.9 for 3 s, a jump of ≥ 0.3 to ≥ 0.6, i.e. a scare in the
 * simulator's terms — and then holds 0.5, the middle of the director's four levels (0, ⅓, ⅔, 1):
 * a spider clip for a spider-fearful viewer is a sustained, moderate threat with one sudden onset,
 * not a horror film's peak. Rest is intensity 0. Like the recordings, the session starts with the
 * first clip, so the processor's 20 s resting calibration falls into clip 1 in both.
 */
import { z } from 'zod';
import type { HeartSample } from '../../contracts/heart.js';
import { ArtifactFilter } from '../signal/artifact-filter.js';
import { ViewerSignalProcessor } from '../signal/viewer-signal-processor.js';
import { TraceSegmentSchema, type TraceHeader } from '../trace/trace-format.js';

/** The simulated stand-in for the recordings' session (see the file comment for the why). */
export const CLIP_PROTOCOL = {
  clips: 5,
  clipS: 60,
  /** Seconds at `onsetIntensity` when each clip starts (the scare). */
  onsetS: 3,
  onsetIntensity: 0.9,
  clipIntensity: 0.5,
  restS: 300,
} as const;

/** Screen intensity of the simulated session at second `s` (0-based). */
export function protocolIntensity(s: number): number {
  const p = CLIP_PROTOCOL;
  if (s < 0 || s >= p.clips * p.clipS) return 0;
  return s % p.clipS < p.onsetS ? p.onsetIntensity : p.clipIntensity;
}

/** Clip and rest windows of one session, ms (start inclusive, end exclusive). */
export interface SessionSpans {
  clips: readonly [number, number];
  rest: readonly [number, number];
}

export const PROTOCOL_SPANS: SessionSpans = {
  clips: [0, CLIP_PROTOCOL.clips * CLIP_PROTOCOL.clipS * 1000],
  rest: [
    CLIP_PROTOCOL.clips * CLIP_PROTOCOL.clipS * 1000,
    (CLIP_PROTOCOL.clips * CLIP_PROTOCOL.clipS + CLIP_PROTOCOL.restS) * 1000 + 1,
  ],
};

/** One session (person or simulated viewer): each figure null when its data is missing. */
export interface PhysioStats {
  /** Mean processor heart rate in the clips minus at rest, bpm. */
  hrClipsMinusRest: number | null;
  /** Mean processor RMSSD (30 s window) at rest, ms. */
  restRmssdMs: number | null;
  /** Mean RMSSD in the clips ÷ mean RMSSD at rest. */
  rmssdClipsOverRest: number | null;
  /** SDNN of the cleaned beats at rest, ms. */
  restSdnnMs: number | null;
  /** Share of RR intervals the artifact filter did not pass unmodified, %. */
  filterChangedPct: number | null;
  /** Mean arousal reading at rest (the noise floor). */
  restReading: number | null;
  /** Mean arousal reading in the clips minus at rest. */
  readingClipsMinusRest: number | null;
  /** Mean skin conductance over the session, µS. */
  edaLevelUs: number | null;
  /** Mean EDA of the last 60 s minus the first 60 s, µS. */
  edaDriftUs: number | null;
  /** Mean EDA in the clips minus at rest, µS. */
  edaClipsMinusRestUs: number | null;
  /** Skin conductance responses per minute at rest (non-specific: nothing is shown). */
  nsScrPerMin: number | null;
  /** Peak of the cleaned RR spectrum in 0.1–0.5 Hz (breathing, through RSA), Hz. */
  breathHz: number | null;
}

export type StatName = keyof PhysioStats;

/** Column order, labels and display precision (shared by the table and the docs). */
export const STAT_COLUMNS: readonly { key: StatName; label: string; digits: number }[] = [
  { key: 'hrClipsMinusRest', label: 'heart rate, clips − rest (bpm)', digits: 1 },
  { key: 'restRmssdMs', label: 'resting RMSSD (ms)', digits: 0 },
  { key: 'rmssdClipsOverRest', label: 'RMSSD clips ÷ rest', digits: 2 },
  { key: 'restSdnnMs', label: 'resting SDNN (ms)', digits: 0 },
  { key: 'filterChangedPct', label: 'intervals changed by the filter (%)', digits: 1 },
  { key: 'restReading', label: 'arousal reading at rest', digits: 2 },
  { key: 'readingClipsMinusRest', label: 'arousal reading, clips − rest', digits: 2 },
  { key: 'edaLevelUs', label: 'EDA level (µS)', digits: 1 },
  { key: 'edaDriftUs', label: 'EDA drift, last − first minute (µS)', digits: 1 },
  { key: 'edaClipsMinusRestUs', label: 'EDA clips − rest (µS)', digits: 2 },
  { key: 'nsScrPerMin', label: 'NS-SCR at rest (/min)', digits: 1 },
  { key: 'breathHz', label: 'RR spectrum peak (Hz)', digits: 2 },
];

/** Dropout rule of the processor: no sample for longer than this breaks the beat sequence. */
const DROPOUT_MS = 3000;
/** A skin conductance response: a rise of at least this much … */
const SCR_MIN_US = 0.05;
/** … within this many 1 s samples (slow drift stays below it: 0.6 µS/min is 0.03 µS in 3 s). */
const SCR_RISE_SAMPLES = 3;
const SPECTRUM_HZ = 4;
const WELCH_SEGMENT_S = 120;
const BREATH_BAND: readonly [number, number] = [0.1, 0.5];
const BREATH_STEP_HZ = 0.005;

class Mean {
  sum = 0;
  n = 0;
  add(x: number): void {
    this.sum += x;
    this.n += 1;
  }
  get value(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }
}

const inSpan = (t: number, s: readonly [number, number]): boolean => t >= s[0] && t < s[1];
const diff = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : a - b;

/**
 * The statistics of one session's samples (1 Hz BLE-like, as recorded or simulated).
 *
 * @example
 * const stats = physioStats(trace.samples, spansFromHeader(trace.header).data);
 */
export function physioStats(samples: readonly HeartSample[], spans: SessionSpans): PhysioStats {
  const sig = new ViewerSignalProcessor();
  const hr = { clips: new Mean(), rest: new Mean() };
  const rm = { clips: new Mean(), rest: new Mean() };
  const reading = { clips: new Mean(), rest: new Mean() };
  // The beats as the processor's own filter sees them: same options, same gaps, same timing.
  const nnT: number[] = [];
  const nnV: number[] = [];
  let beatT = 0;
  const filter = new ArtifactFilter((rr) => {
    nnT.push(beatT);
    nnV.push(rr);
  });
  let lastT: number | null = null;
  let lastContact = true;
  const edaT: number[] = [];
  const edaV: number[] = [];

  for (const s of samples) {
    if (s.eda !== undefined && Number.isFinite(s.eda)) {
      edaT.push(s.t);
      edaV.push(s.eda);
    }
    if (!sig.push(s).ok) continue;
    if (lastT !== null && s.t - lastT > DROPOUT_MS) filter.markGap();
    lastT = s.t;
    if (s.contact === false) {
      if (lastContact) filter.markGap();
      lastContact = false;
      continue;
    }
    lastContact = true;
    if (s.rr && s.rr.length > 0) {
      beatT = s.t - s.rr.reduce((a, b) => a + b, 0);
      for (const v of s.rr) {
        beatT += v;
        filter.push(v);
      }
    }
    const snap = sig.snapshot(s.t);
    if (snap.contact !== 'ok') continue;
    const seg = inSpan(s.t, spans.clips) ? 'clips' : inSpan(s.t, spans.rest) ? 'rest' : null;
    if (seg === null) continue;
    if (snap.heartRate !== null) hr[seg].add(snap.heartRate);
    if (snap.rmssd !== null) rm[seg].add(snap.rmssd);
    if (snap.calibrated) reading[seg].add(snap.arousal);
  }
  filter.flush();

  const restNn = nnV.filter((_, i) => inSpan(nnT[i] ?? -1, spans.rest));
  const stats = filter.stats;
  const rmClips = rm.clips.value;
  const rmRest = rm.rest.value;
  return {
    hrClipsMinusRest: diff(hr.clips.value, hr.rest.value),
    restRmssdMs: rmRest,
    rmssdClipsOverRest: rmClips !== null && rmRest !== null && rmRest > 0 ? rmClips / rmRest : null,
    restSdnnMs: restNn.length >= 30 ? sd(restNn) : null,
    filterChangedPct: stats.input > 0 ? (100 * (stats.input - stats.clean)) / stats.input : null,
    restReading: reading.rest.value,
    readingClipsMinusRest: diff(reading.clips.value, reading.rest.value),
    ...edaStats(edaT, edaV, spans),
    breathHz: spectrumPeak(nnT, nnV),
  };
}

function sd(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return Math.sqrt(v / Math.max(1, xs.length - 1));
}

type EdaStats = Pick<
  PhysioStats,
  'edaLevelUs' | 'edaDriftUs' | 'edaClipsMinusRestUs' | 'nsScrPerMin'
>;

function edaStats(t: readonly number[], v: readonly number[], spans: SessionSpans): EdaStats {
  const none: EdaStats = {
    edaLevelUs: null,
    edaDriftUs: null,
    edaClipsMinusRestUs: null,
    nsScrPerMin: null,
  };
  const n = t.length;
  if (n < 120) return none;
  const t0 = t[0] ?? 0;
  const t1 = t[n - 1] ?? 0;
  const all = new Mean();
  const first = new Mean();
  const last = new Mean();
  const clips = new Mean();
  const rest = new Mean();
  const restV: number[] = [];
  for (let i = 0; i < n; i++) {
    const ti = t[i] ?? 0;
    const x = v[i] ?? 0;
    all.add(x);
    if (ti < t0 + 60_000) first.add(x);
    if (ti > t1 - 60_000) last.add(x);
    if (inSpan(ti, spans.clips)) clips.add(x);
    if (inSpan(ti, spans.rest)) {
      rest.add(x);
      restV.push(x);
    }
  }
  const restMin = restV.length / 60;
  return {
    edaLevelUs: all.value,
    edaDriftUs: diff(last.value, first.value),
    edaClipsMinusRestUs: diff(clips.value, rest.value),
    nsScrPerMin: restMin >= 1 ? countScrs(restV) / restMin : null,
  };
}

/**
 * Skin conductance responses in a 1 Hz trace: a rise of ≥ 0.05 µS (the usual minimum amplitude,
 * Boucsein 2012) within 3 s counts once; the next one may start after the trace has turned down.
 */
export function countScrs(x: readonly number[]): number {
  let count = 0;
  let armed = true;
  let peak = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    if (armed) {
      let lo = xi;
      for (let j = Math.max(0, i - SCR_RISE_SAMPLES); j < i; j++) lo = Math.min(lo, x[j] ?? xi);
      if (xi - lo >= SCR_MIN_US) {
        count += 1;
        armed = false;
        peak = xi;
      }
    } else if (xi >= peak) {
      peak = xi;
    } else {
      armed = true;
    }
  }
  return count;
}

/**
 * Frequency of the largest peak of the cleaned beat series' spectrum within 0.1–0.5 Hz: beats
 * resampled at 4 Hz by linear interpolation, Welch averaging over 120 s Hann-windowed,
 * linearly detrended segments (half overlap), power by the Goertzel recurrence on a 0.005 Hz grid.
 */
export function spectrumPeak(beatT: readonly number[], nn: readonly number[]): number | null {
  const n = nn.length;
  if (n < 60) return null;
  const tStart = beatT[0] ?? 0;
  const tEnd = beatT[n - 1] ?? 0;
  const dtMs = 1000 / SPECTRUM_HZ;
  const len = Math.floor((tEnd - tStart) / dtMs);
  const segLen = WELCH_SEGMENT_S * SPECTRUM_HZ;
  if (len < segLen) return null;
  const x = new Float64Array(len);
  let j = 0;
  for (let k = 0; k < len; k++) {
    const tk = tStart + k * dtMs;
    while (j < n - 2 && (beatT[j + 1] ?? 0) < tk) j++;
    const ta = beatT[j] ?? 0;
    const tb = beatT[j + 1] ?? ta;
    const va = nn[j] ?? 0;
    const vb = nn[j + 1] ?? va;
    x[k] = tb > ta ? va + ((vb - va) * (tk - ta)) / (tb - ta) : va;
  }
  const freqs: number[] = [];
  for (let f = BREATH_BAND[0]; f <= BREATH_BAND[1] + 1e-9; f += BREATH_STEP_HZ) freqs.push(f);
  const power = new Float64Array(freqs.length);
  const seg = new Float64Array(segLen);
  for (let start = 0; start + segLen <= len; start += segLen / 2) {
    // Linear detrend, then a Hann window.
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < segLen; i++) {
      const y = x[start + i] ?? 0;
      sx += i;
      sy += y;
      sxx += i * i;
      sxy += i * y;
    }
    const slope = (segLen * sxy - sx * sy) / (segLen * sxx - sx * sx);
    const icpt = (sy - slope * sx) / segLen;
    for (let i = 0; i < segLen; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (segLen - 1));
      seg[i] = ((x[start + i] ?? 0) - (icpt + slope * i)) * w;
    }
    freqs.forEach((f, fi) => {
      const c = 2 * Math.cos((2 * Math.PI * f) / SPECTRUM_HZ);
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < segLen; i++) {
        const s0 = (seg[i] ?? 0) + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      power[fi] = (power[fi] ?? 0) + s1 * s1 + s2 * s2 - c * s1 * s2;
    });
  }
  let best = 0;
  for (let i = 1; i < power.length; i++) if ((power[i] ?? 0) > (power[best] ?? 0)) best = i;
  return freqs[best] ?? null;
}

const SegmentsSchema = z.array(TraceSegmentSchema).min(1);

/**
 * Clip and rest windows from a trace header's `segments` (names `CLIP-…` and `…REST…`, as the
 * physio traces carry them): the clips span from the first clip's start to the last one's end.
 */
export function spansFromHeader(
  header: TraceHeader,
): { success: true; data: SessionSpans } | { success: false; error: string } {
  const r = SegmentsSchema.safeParse((header as Record<string, unknown>).segments);
  if (!r.success)
    return { success: false, error: 'the header has no segments [{name, startMs, endMs}]' };
  const clips = r.data.filter((s) => /^clip/i.test(s.name));
  const rest = r.data.filter((s) => /rest/i.test(s.name));
  if (clips.length === 0 || rest.length === 0) {
    return { success: false, error: 'the header segments name no CLIP-… and no …REST… segment' };
  }
  const span = (xs: typeof clips): [number, number] => [
    Math.min(...xs.map((s) => s.startMs)),
    Math.max(...xs.map((s) => s.endMs)),
  ];
  return { success: true, data: { clips: span(clips), rest: span(rest) } };
}

/** Mean ± SD over sessions of one statistic (sessions where it is null are left out). */
export interface StatSummary {
  mean: number | null;
  sd: number | null;
  n: number;
}

export type PhysioSummary = Record<StatName, StatSummary>;

export function summarise(rows: readonly PhysioStats[]): PhysioSummary {
  const out = {} as PhysioSummary;
  for (const { key } of STAT_COLUMNS) {
    const xs = rows.map((r) => r[key]).filter((x): x is number => x !== null && Number.isFinite(x));
    out[key] = {
      mean: xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null,
      sd: xs.length > 1 ? sd(xs) : null,
      n: xs.length,
    };
  }
  return out;
}

/** Something that emits HeartSamples for the screen intensity it is shown (a ViewerSimulator). */
export interface SessionViewer {
  step(dtS: number, intensity: number): HeartSample[];
}

/** Runs one simulated viewer through `CLIP_PROTOCOL`, one second at a time. */
export function simulateSession(viewer: SessionViewer): HeartSample[] {
  const out: HeartSample[] = [];
  const seconds = CLIP_PROTOCOL.clips * CLIP_PROTOCOL.clipS + CLIP_PROTOCOL.restS;
  for (let s = 0; s < seconds; s++) {
    for (const x of viewer.step(1, protocolIntensity(s))) out.push(x);
  }
  return out;
}
