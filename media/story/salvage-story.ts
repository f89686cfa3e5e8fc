/**
 * What can still be checked in a story file the schema rejected. Every value that passes its own
 * part of the schema is kept (unknown fields are ignored); a rejected optional field is left out, a
 * rejected list entry is left out of its list. The gaps are remembered so that the structure and
 * media checks report what is wrong with the parts that parsed, and nothing that only follows from
 * a rejected part: a reference to a scene whose entry was rejected is not an "unknown scene", and
 * reachability is not judged on a graph with a hole in it.
 */
import { z } from 'zod';
import type { StoryPath } from './story-problem.js';
import { StorySchema } from './story-schema.js';
import type { Story } from './story-schema.js';

/** The sections whose entries are referred to by id (variables by name). */
export type StoryIdKind = 'levels' | 'scenes' | 'branches' | 'endings' | 'variables';

/** What the schema rejected, as the checks need to know it. Paths are in the salvaged story. */
export interface StoryGaps {
  /** The path of the same value in the story file (rejected list entries shift the indices). */
  sourcePath(path: StoryPath): StoryPath;
  /** Whether anything at or under `path` was rejected. */
  rejected(path: StoryPath): boolean;
  /** Whether `id` names a rejected entry of `kind` (or the whole section was rejected). */
  broken(kind: StoryIdKind, id: string): boolean;
  /** False when a rejected part could change where the story goes (scenes, next, branches, …). */
  graphComplete: boolean;
}

/** The gaps of a story that passed the schema: none. */
export const NO_GAPS: StoryGaps = {
  sourcePath: (path) => path,
  rejected: () => false,
  broken: () => false,
  graphComplete: true,
};

/** Fields that decide where the story goes; a rejected one leaves the scene graph incomplete. */
const GRAPH_FIELDS = new Set(['id', 'next', 'candidates', 'default', 'scene']);
const GRAPH_SECTIONS = new Set(['start', 'scenes', 'branches', 'endings']);

type Kept = { ok: true; value: unknown } | { ok: false };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks a value along a schema, keeping what passes and recording what does not. */
class Salvager {
  readonly rejected: StoryPath[] = [];
  /** Salvaged list → index in the source of each kept entry. */
  readonly indices = new WeakMap<unknown[], number[]>();

  keep(schema: z.ZodType, value: unknown, path: StoryPath): Kept {
    const whole = schema.safeParse(value);
    if (whole.success) return { ok: true, value: whole.data };
    if (schema instanceof z.ZodOptional) {
      return this.keep(schema.unwrap() as z.ZodType, value, path);
    }
    if (schema instanceof z.ZodObject && isRecord(value)) {
      return this.keepFields(schema.shape, value, path, false);
    }
    if (schema instanceof z.ZodArray && Array.isArray(value)) {
      const out: unknown[] = [];
      const from: number[] = [];
      value.forEach((item, i) => {
        const r = this.keep(schema.element as z.ZodType, item, [...path, i]);
        if (r.ok) {
          out.push(r.value);
          from.push(i);
        } else this.rejected.push([...path, i]);
      });
      this.indices.set(out, from);
      return { ok: true, value: out };
    }
    if (schema instanceof z.ZodRecord && isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const r = this.keep(schema.valueType as z.ZodType, item, [...path, key]);
        if (r.ok && (schema.keyType as z.ZodType).safeParse(key).success) out[key] = r.value;
        else this.rejected.push([...path, key]);
      }
      return { ok: true, value: out };
    }
    return { ok: false };
  }

  /**
   * The fields of an object that pass. A rejected required field rejects the object, unless
   * `lenient` (the story itself, which has no parent to be left out of).
   */
  keepFields(
    shape: Record<string, z.ZodType>,
    value: Record<string, unknown>,
    path: StoryPath,
    lenient: boolean,
  ): Kept {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const r = this.keep(field, value[key], [...path, key]);
      if (r.ok) {
        if (r.value !== undefined) out[key] = r.value;
      } else if (lenient || field.safeParse(undefined).success) {
        this.rejected.push([...path, key]);
      } else {
        return { ok: false };
      }
    }
    return { ok: true, value: out };
  }
}

function startsWith(path: StoryPath, prefix: StoryPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/**
 * The parts of `data` (a parsed story file that failed the schema) that pass, as a story, and its
 * gaps. Undefined when `data` is not a mapping at all (nothing to check).
 * @example
 * const salvaged = salvageStory(source.data);
 * if (salvaged) problems.push(...checkStoryStructure(salvaged.story, source, salvaged.gaps));
 */
export function salvageStory(data: unknown): { story: Story; gaps: StoryGaps } | undefined {
  if (!isRecord(data)) return undefined;
  const salvager = new Salvager();
  const kept = salvager.keepFields(StorySchema.shape, data, [], true);
  const fields = kept.ok ? (kept.value as Partial<Story>) : {};
  // Required sections that were rejected as a whole: checks see them empty (and the gaps say so).
  const story: Story = {
    ...fields,
    title: fields.title ?? '',
    scenes: fields.scenes ?? [],
    endings: fields.endings ?? [],
    targetCurve: fields.targetCurve ?? [],
  };
  const rejected = salvager.rejected;
  const sourcePath = (path: StoryPath): StoryPath => {
    let node: unknown = story;
    return path.map((seg) => {
      if (Array.isArray(node) && typeof seg === 'number') {
        const at = salvager.indices.get(node)?.[seg] ?? seg;
        node = node[seg];
        return at;
      }
      node = isRecord(node) ? node[seg] : undefined;
      return seg;
    });
  };
  const brokenIds = (kind: StoryIdKind): Set<string> | 'all' => {
    const ids = new Set<string>();
    const section = data[kind];
    for (const path of rejected) {
      if (path[0] !== kind) continue;
      if (path.length === 1) return 'all';
      if (path.length !== 2) continue;
      const key = path[1] as string | number;
      if (kind === 'variables') ids.add(String(key));
      else {
        const entry = Array.isArray(section) ? (section[key as number] as unknown) : undefined;
        if (isRecord(entry) && typeof entry.id === 'string') ids.add(entry.id);
      }
    }
    return ids;
  };
  const broken = new Map<StoryIdKind, Set<string> | 'all'>(
    (['levels', 'scenes', 'branches', 'endings', 'variables'] as const).map((k) => [
      k,
      brokenIds(k),
    ]),
  );
  const gaps: StoryGaps = {
    sourcePath,
    rejected: (path) => {
      const at = sourcePath(path);
      return rejected.some((r) => startsWith(r, at));
    },
    broken: (kind, id) => {
      const ids = broken.get(kind);
      return ids === 'all' || (ids?.has(id) ?? false);
    },
    graphComplete: !rejected.some(
      (r) =>
        GRAPH_SECTIONS.has(String(r[0])) &&
        r.slice(1).every((seg) => typeof seg === 'number' || GRAPH_FIELDS.has(seg)),
    ),
  };
  return { story, gaps };
}
