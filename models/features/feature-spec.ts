/**
 * The versioned feature spec shared by training, the ONNX picker and evaluation: one row per
 * (viewer state ⊕ candidate). Changing the order or meaning of any feature bumps
 * `FEATURE_SPEC_VERSION`; a model whose metadata names another version is refused at load.
 */
import type { Candidate, PickContext } from '../../contracts/director.js';

export const FEATURE_SPEC_VERSION = 4;

/**
 * Look-aheads (s) at which the scorer predicts the arousal change if a candidate is held: a short,
 * a medium and a long one, because the heart answers the screen with a 1–3 s delay and a 10–20 s
 * time constant (Mokrane & Nadeau 1998), so a single short horizon makes a myopic controller.
 */
export const MODEL_HORIZONS_S = [2, 5, 10, 16] as const;

/** Extra intensity averages (time constants, s) the Director keeps besides `recentIntensity`. */
export const INTENSITY_EMA_TAUS_S = [4, 40] as const;

/** Mood and tag hashes are folded into this many one-hot buckets each. */
export const HASH_BUCKETS = 4;

/** Viewer/story state features, in row order. */
export const STATE_FEATURES = [
  'arousal',
  'arousalSd',
  'evidence',
  'reading',
  'arousalSlope',
  'rmssdChange',
  'contact',
  'clicks',
  'pauses',
  'sinceLastPeak',
  'currentIntensity',
  'recentIntensity',
  ...INTENSITY_EMA_TAUS_S.map((tau) => `intensityEma${tau}s`),
  'phaseBuildUp',
  'phaseSustainPeak',
  'phaseFade',
  'phaseRelax',
  'storyProgress',
  'targetArousal',
  'errorToTarget',
  ...MODEL_HORIZONS_S.map((h) => `targetAhead${h}s`),
  ...MODEL_HORIZONS_S.map((h) => `errorAhead${h}s`),
  'desiredIntensity',
] as const;

/** Candidate features, appended after the state features. */
export const CANDIDATE_FEATURES = [
  'candIntensity',
  'candDelta',
  'candMinusDesired',
  'candMinusRecent',
  'candIsBranch',
  ...Array.from({ length: HASH_BUCKETS }, (_, i) => `candMood${i}`),
  ...Array.from({ length: HASH_BUCKETS }, (_, i) => `candTag${i}`),
] as const;

export const FEATURE_NAMES: readonly string[] = [...STATE_FEATURES, ...CANDIDATE_FEATURES];
export const STATE_DIM: number = STATE_FEATURES.length;
export const FEATURE_DIM: number = FEATURE_NAMES.length;

/** Mean/std per feature, stored with the model in `models/pacing.json`. */
export interface FeatureNormalisation {
  mean: number[];
  std: number[];
}

/** 32-bit FNV-1a, used to fold free-form moods and tags into a few stable buckets. */
export function hashBucket(text: string, buckets = HASH_BUCKETS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** `sinceLastPeak` is capped and scaled to ~0–1 so that one feature does not dominate. */
const SINCE_PEAK_SCALE_S = 60;

/**
 * Writes the state part of a row (length `STATE_DIM`) into `out` at `offset`. Hints the Director
 * adds (`ctx.director`) are used when present, otherwise neutral values derived from `ctx`.
 */
export function writeStateFeatures(ctx: PickContext, out: Float32Array, offset = 0): void {
  const v = ctx.viewer;
  const h = ctx.director;
  // The estimate stands without contact too (the typical viewer's response to what was played);
  // an audience aggregate without quorum has none, and is taken as on target.
  const arousal = v.contact > 0 || v.forecast ? v.arousal : ctx.targetArousal;
  const ahead = h?.targetArousalAhead ?? ctx.targetArousal;
  const aheads = MODEL_HORIZONS_S.map((_, j) => h?.targetAhead?.[j] ?? ahead);
  const phase = h?.phase ?? 'build-up';
  const values = [
    arousal,
    v.arousalSd,
    v.evidence,
    v.contact > 0 ? v.reading : 0,
    v.contact > 0 ? v.arousalSlope : 0,
    v.contact > 0 ? v.rmssdChange : 0,
    v.contact,
    v.clicks,
    v.pauses,
    Math.min(v.sinceLastPeak, SINCE_PEAK_SCALE_S * 3) / SINCE_PEAK_SCALE_S,
    ctx.currentIntensity,
    h?.recentIntensity ?? ctx.currentIntensity,
    ...INTENSITY_EMA_TAUS_S.map((_, j) => h?.intensityEmas?.[j] ?? ctx.currentIntensity),
    phase === 'build-up' ? 1 : 0,
    phase === 'sustain-peak' ? 1 : 0,
    phase === 'fade' ? 1 : 0,
    phase === 'relax' ? 1 : 0,
    ctx.storyProgress,
    ctx.targetArousal,
    ctx.targetArousal - arousal,
    ...aheads,
    ...aheads.map((x) => x - arousal),
    h?.desiredIntensity ?? ctx.targetArousal,
  ];
  for (let i = 0; i < values.length; i++) out[offset + i] = values[i] ?? 0;
}

/** Writes the candidate part of a row (after the state part) into `out` at `offset`. */
export function writeCandidateFeatures(
  ctx: PickContext,
  c: Candidate,
  out: Float32Array,
  offset = STATE_DIM,
): void {
  const desired = ctx.director?.desiredIntensity ?? ctx.targetArousal;
  const recent = ctx.director?.recentIntensity ?? ctx.currentIntensity;
  out[offset] = c.intensity;
  out[offset + 1] = c.intensity - ctx.currentIntensity;
  out[offset + 2] = c.intensity - desired;
  out[offset + 3] = c.intensity - recent;
  out[offset + 4] = c.kind === 'branch' ? 1 : 0;
  const moodBase = offset + 5;
  for (let i = 0; i < HASH_BUCKETS * 2; i++) out[moodBase + i] = 0;
  if (c.mood !== undefined) out[moodBase + hashBucket(c.mood)] = 1;
  for (const tag of c.tags) out[moodBase + HASH_BUCKETS + hashBucket(tag)] = 1;
}

/**
 * Builds the (state ⊕ candidate) matrix for every candidate of every context, row-major,
 * `FEATURE_DIM` columns, normalised when `norm` is given.
 *
 * @example
 *   const rows = buildFeatureRows([ctx], meta.normalisation); // ctx.candidates.length rows
 */
export function buildFeatureRows(ctxs: PickContext[], norm?: FeatureNormalisation): Float32Array {
  let n = 0;
  for (const ctx of ctxs) n += ctx.candidates.length;
  const out = new Float32Array(n * FEATURE_DIM);
  const state = new Float32Array(STATE_DIM);
  let row = 0;
  for (const ctx of ctxs) {
    writeStateFeatures(ctx, state);
    for (const c of ctx.candidates) {
      const base = row * FEATURE_DIM;
      out.set(state, base);
      writeCandidateFeatures(ctx, c, out, base + STATE_DIM);
      row++;
    }
  }
  if (norm) normaliseRows(out, norm);
  return out;
}

/** Standardises a row-major matrix in place with the stored mean/std. */
export function normaliseRows(rows: Float32Array, norm: FeatureNormalisation): void {
  const d = norm.mean.length;
  for (let i = 0; i < rows.length; i++) {
    const j = i % d;
    rows[i] = ((rows[i] ?? 0) - (norm.mean[j] ?? 0)) / (norm.std[j] ?? 1);
  }
}

/** Computes mean/std per column of a row-major matrix (constant columns keep std 1). */
export function fitNormalisation(
  rows: Float32Array,
  dim: number = FEATURE_DIM,
): FeatureNormalisation {
  const n = rows.length / dim;
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) {
      const x = rows[r * dim + j] ?? 0;
      mean[j] = (mean[j] ?? 0) + x;
      sq[j] = (sq[j] ?? 0) + x * x;
    }
  }
  const std = mean.map((s, j) => {
    const m = s / Math.max(1, n);
    const v = (sq[j] ?? 0) / Math.max(1, n) - m * m;
    const sd = Math.sqrt(Math.max(0, v));
    // A (near-)constant column in training (e.g. `contact`: rows are only labelled while the
    // sensor has contact) keeps unit scale, so an unseen value at inference stays bounded (a
    // floor of 1e-3 turned a lost sensor into a 1000-sigma input).
    return sd < 1e-3 ? 1 : sd;
  });
  return { mean: mean.map((s) => s / Math.max(1, n)), std };
}
