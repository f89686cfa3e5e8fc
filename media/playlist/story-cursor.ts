/**
 * Where a session is in the story graph, and what may play next. Owns the story position and the
 * story variables (Bandersnatch/ink-style persistent state); knows nothing of viewers or pickers.
 */
import type { Candidate } from '../../contracts/director.js';
import type {
  Condition,
  PackagedScene,
  PackagedStory,
  SegmentRef,
  VariableValue,
} from '../../contracts/story.js';

export interface StoryPosition {
  /** Scene of the last published segment (null before the first). */
  scene: string | null;
  segmentIndex: number;
  level: string | null;
  variables: Record<string, VariableValue>;
  /** Scene ids in the order they were entered. */
  path: string[];
  ending: string | null;
}

export interface Step {
  candidate: Candidate;
  scene: PackagedScene;
  segmentIndex: number;
  segment: SegmentRef;
  /** Timestamps restart (new clip) — the playlist needs EXT-X-DISCONTINUITY. */
  discontinuity: boolean;
  /** Set when this step is the last segment of an ending scene. */
  ending: string | null;
}

export function evaluateCondition(cond: Condition, vars: Record<string, VariableValue>): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, vars));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, vars));
  if ('not' in cond) return !evaluateCondition(cond.not, vars);
  const v = vars[cond.var];
  if (v === undefined) return false;
  switch (cond.op) {
    case 'eq':
      return v === cond.value;
    case 'ne':
      return v !== cond.value;
    case 'gt':
      return typeof v === 'number' && typeof cond.value === 'number' && v > cond.value;
    case 'gte':
      return typeof v === 'number' && typeof cond.value === 'number' && v >= cond.value;
    case 'lt':
      return typeof v === 'number' && typeof cond.value === 'number' && v < cond.value;
    case 'lte':
      return typeof v === 'number' && typeof cond.value === 'number' && v <= cond.value;
  }
}

export class StoryCursor {
  private readonly story: PackagedStory;
  private pos: StoryPosition;
  private readonly levelIntensity: Map<string, number>;

  constructor(story: PackagedStory, position?: StoryPosition) {
    this.story = story;
    this.levelIntensity = new Map(story.levels.map((l) => [l.id, l.intensity]));
    const initial: Record<string, VariableValue> = {};
    for (const [name, v] of Object.entries(story.variables)) initial[name] = v.initial;
    this.pos = position
      ? structuredClone(position)
      : { scene: null, segmentIndex: -1, level: null, variables: initial, path: [], ending: null };
  }

  /** A copy of the position (safe to keep or change). */
  get position(): StoryPosition {
    return structuredClone(this.pos);
  }

  /** The live position, read-only: for reads on hot paths that would only discard a copy. */
  get view(): Readonly<StoryPosition> {
    return this.pos;
  }

  get ended(): boolean {
    return this.pos.ending !== null;
  }

  intensityOf(level: string): number {
    return this.levelIntensity.get(level) ?? 0;
  }

  /**
   * Candidates for the next segment, each already within the cap (the lowest level is kept when
   * every level exceeds it, so there is always something to play). Empty when the story ended.
   */
  candidates(maxIntensity: number): Candidate[] {
    if (this.ended) return [];
    const cur = this.pos.scene === null ? null : this.scene(this.pos.scene);
    if (cur === null)
      return this.variantCandidates(this.scene(this.story.start), 'variant', maxIntensity);
    if (this.pos.segmentIndex + 1 < this.segmentCount(cur)) {
      return this.variantCandidates(cur, 'variant', maxIntensity);
    }
    const next = cur.next;
    if (next.type === 'ending') return [];
    if (next.type === 'scene')
      return this.variantCandidates(this.scene(next.scene), 'variant', maxIntensity);
    const branch = this.story.branches[next.branch];
    if (!branch) throw new Error(`unknown branch ${next.branch}`);
    const eligible = branch.candidates.filter(
      (c) => !c.when || evaluateCondition(c.when, this.pos.variables),
    );
    const options =
      eligible.length > 0 ? eligible : branch.candidates.filter((c) => c.scene === branch.default);
    const out: Candidate[] = [];
    for (const opt of options) {
      for (const c of this.variantCandidates(this.scene(opt.scene), 'branch', maxIntensity)) {
        out.push({
          ...c,
          id: `branch:${branch.id}->${c.id}`,
          mood: opt.mood ?? c.mood,
          tags: [...new Set([...c.tags, ...opt.tags])],
          sceneIntensity: opt.intensity,
        });
      }
    }
    return out;
  }

  /** Commits a candidate (from `candidates()`), advancing the position. */
  advance(candidate: Candidate): Step {
    if (this.ended) throw new Error('story has ended');
    const scene = this.scene(candidate.scene);
    const continuing =
      this.pos.scene === candidate.scene && this.pos.segmentIndex + 1 < this.segmentCount(scene);
    const segmentIndex = continuing ? this.pos.segmentIndex + 1 : 0;
    const variant = scene.variants[candidate.level];
    const segment = variant?.segments[segmentIndex];
    if (!segment)
      throw new Error(
        `scene ${scene.id} has no segment ${segmentIndex} at level ${candidate.level}`,
      );
    if (!continuing) {
      this.pos.path.push(scene.id);
      Object.assign(this.pos.variables, scene.set);
    }
    this.pos.scene = scene.id;
    this.pos.segmentIndex = segmentIndex;
    this.pos.level = candidate.level;
    let ending: string | null = null;
    if (segmentIndex === this.segmentCount(scene) - 1 && scene.next.type === 'ending') {
      ending = scene.next.ending;
      this.pos.ending = ending;
    }
    return { candidate, scene, segmentIndex, segment, discontinuity: !continuing, ending };
  }

  private scene(id: string): PackagedScene {
    const s = this.story.scenes[id];
    if (!s) throw new Error(`unknown scene ${id}`);
    return s;
  }

  private segmentCount(scene: PackagedScene): number {
    return Math.min(...Object.values(scene.variants).map((v) => v.segments.length));
  }

  private variantCandidates(
    scene: PackagedScene,
    kind: Candidate['kind'],
    maxIntensity: number,
  ): Candidate[] {
    const levels = this.story.levels.filter((l) => scene.variants[l.id] !== undefined);
    let allowed = levels.filter((l) => l.intensity <= maxIntensity + 1e-9);
    if (allowed.length === 0) {
      const lowest = levels.reduce((a, b) => (b.intensity < a.intensity ? b : a));
      allowed = [lowest];
    }
    return allowed.map((l) => ({
      id: `${scene.id}/${l.id}`,
      kind,
      scene: scene.id,
      level: l.id,
      intensity: l.intensity,
      ...(scene.mood !== undefined ? { mood: scene.mood } : {}),
      tags: scene.tags,
    }));
  }
}
