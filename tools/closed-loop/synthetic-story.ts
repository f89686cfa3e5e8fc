/**
 * A story-like test bed for training and evaluation when no packaged story is given: four
 * intensity levels per scene (calm 0, uneasy 0.33, tense 0.67, scare 1), a new scene every ~30 s,
 * and a target arousal curve built from Left 4 Dead style episodes (build-up → peak held a few
 * seconds → fade → relax). Seeded: the same seed gives the same story.
 *
 * `storyFromManifest` adapts a real PackagedStory (contracts/story.ts) to the same shape.
 */
import { Prng } from '../../contracts/random.js';
import type { PackagedStory } from '../../contracts/story.js';
import type { Candidate } from '../../contracts/director.js';
import type { TargetPoint } from '../../models/features/target-curve.js';
import { defaultScenePath } from '../../media/story/default-path.js';

export interface LoopStory {
  id: string;
  durationS: number;
  /** Decision period = segment duration, seconds. */
  segmentS: number;
  targetCurve: TargetPoint[];
  /** Candidates at story time `t` (all levels of the scene playing then; cap applied later). */
  candidatesAt(t: number): Candidate[];
  /** Intensity of the single "linear cut" (the level closest to the mean target). */
  linearIntensity: number;
}

export interface SyntheticStoryOptions {
  durationS?: number;
  segmentS?: number;
  sceneS?: number;
}

const LEVELS = [
  { id: 'calm', intensity: 0, mood: 'calm' },
  { id: 'uneasy', intensity: 1 / 3, mood: 'uneasy' },
  { id: 'tense', intensity: 2 / 3, mood: 'tense' },
  { id: 'scare', intensity: 1, mood: 'scare' },
];

function closestLevel(levels: { intensity: number }[], x: number): number {
  let best = levels[0]?.intensity ?? 0;
  for (const l of levels) if (Math.abs(l.intensity - x) < Math.abs(best - x)) best = l.intensity;
  return best;
}

function meanTarget(curve: TargetPoint[], durationS: number): number {
  let s = 0;
  let n = 0;
  for (let t = 0; t <= durationS; t += 1) {
    s += interpolate(curve, t);
    n++;
  }
  return s / Math.max(1, n);
}

function interpolate(curve: TargetPoint[], t: number): number {
  let prev = curve[0];
  for (const p of curve) {
    if (p.t >= t) {
      if (!prev || p.t === prev.t) return p.arousal;
      return prev.arousal + ((p.arousal - prev.arousal) * (t - prev.t)) / (p.t - prev.t);
    }
    prev = p;
  }
  return prev?.arousal ?? 0;
}

/**
 * @example
 *   const story = generateSyntheticStory(7);           // 300 s, 2 s segments
 *   story.candidatesAt(10).map((c) => c.id);           // ['s0/calm', 's0/uneasy', …]
 */
export function generateSyntheticStory(seed: number, opts: SyntheticStoryOptions = {}): LoopStory {
  const rng = new Prng(seed ^ 0x5eed);
  const durationS = opts.durationS ?? 300;
  const segmentS = opts.segmentS ?? 2;
  const sceneS = opts.sceneS ?? 30;
  const curve: TargetPoint[] = [{ t: 0, arousal: rng.uniform(0.05, 0.2) }];
  let t = rng.uniform(10, 25);
  curve.push({ t, arousal: curve[0]?.arousal ?? 0.1 });
  while (t < durationS) {
    const peak = rng.uniform(0.45, 0.85);
    const low = rng.uniform(0.1, 0.3);
    t += rng.uniform(20, 45);
    curve.push({ t, arousal: peak });
    t += rng.uniform(4, 10);
    curve.push({ t, arousal: peak });
    t += rng.uniform(10, 20);
    curve.push({ t, arousal: low });
    t += rng.uniform(20, 40);
    curve.push({ t, arousal: low });
  }
  const clipped = curve.filter((p) => p.t <= durationS);
  clipped.push({ t: durationS, arousal: interpolate(curve, durationS) });
  const moods = LEVELS.map((l) => l.mood);
  const sceneTags = ['corridor', 'forest', 'cellar', 'attic', 'road', 'lake'];
  return {
    id: `synthetic-${seed}`,
    durationS,
    segmentS,
    targetCurve: clipped,
    linearIntensity: closestLevel(LEVELS, meanTarget(clipped, durationS)),
    candidatesAt(time: number): Candidate[] {
      const scene = `s${Math.floor(time / sceneS)}`;
      const tag = sceneTags[Math.floor(time / sceneS) % sceneTags.length] ?? 'scene';
      return LEVELS.map((l, i) => ({
        id: `${scene}/${l.id}`,
        kind: 'variant' as const,
        scene,
        level: l.id,
        intensity: l.intensity,
        mood: moods[i] ?? l.id,
        tags: [tag],
      }));
    },
  };
}

/**
 * Adapts a packaged story: the scene playing at time `t` follows `start`/`next.scene` with the
 * measured segment durations; its levels are the candidates. Branches take their default.
 */
export function storyFromManifest(pkg: PackagedStory): LoopStory {
  const timeline: { start: number; end: number; scene: string }[] = [];
  let t = 0;
  for (const id of defaultScenePath(pkg)) {
    const scene = pkg.scenes[id];
    if (!scene) continue; // (never: the path holds only the package's scenes)
    const first = Object.values(scene.variants)[0];
    const len = first ? first.segments.reduce((s, x) => s + x.duration, 0) : pkg.segmentDuration;
    timeline.push({ start: t, end: t + len, scene: id });
    t += len;
  }
  const lastT = pkg.targetCurve[pkg.targetCurve.length - 1]?.t ?? 0;
  const durationS = Math.max(t, lastT);
  const curve = pkg.targetCurve.map((p) => ({ t: p.t, arousal: p.arousal }));
  return {
    id: pkg.id,
    durationS,
    segmentS: pkg.segmentDuration,
    targetCurve: curve,
    linearIntensity: closestLevel(pkg.levels, meanTarget(curve, durationS)),
    candidatesAt(time: number): Candidate[] {
      const seg = timeline.find((s) => time >= s.start && time < s.end) ?? timeline.at(-1);
      const scene = seg ? pkg.scenes[seg.scene] : undefined;
      const levels = pkg.levels.filter((l) => !scene || scene.variants[l.id] !== undefined);
      return levels.map((l) => ({
        id: `${seg?.scene ?? 'scene'}/${l.id}`,
        kind: 'variant' as const,
        scene: seg?.scene ?? 'scene',
        level: l.id,
        intensity: l.intensity,
        ...(scene?.mood !== undefined ? { mood: scene.mood } : {}),
        tags: scene?.tags ?? [],
      }));
    },
  };
}
