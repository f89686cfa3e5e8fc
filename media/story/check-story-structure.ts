/**
 * Structural checks of a story (no media access): references, reachability, dead ends, cycles
 * without an exit, variables, level and curve order. A story the schema rejected is checked on the
 * parts that parsed (./salvage-story.ts); its gaps say which checks would only echo the rejection.
 */
import type { Condition } from '../../contracts/story.js';
import { NO_GAPS } from './salvage-story.js';
import type { StoryGaps } from './salvage-story.js';
import { formatStoryPath } from './story-problem.js';
import type { StoryPath, StoryProblem, StoryProblemCode } from './story-problem.js';
import { DEFAULT_LEVELS, resolveNextRef } from './story-schema.js';
import type { NextRef, Story } from './story-schema.js';
import type { StorySource } from './story-source.js';

type Edge = { to: string; path: StoryPath };

/**
 * Every structural problem of `story`, each with the line of its source.
 * @example
 * checkStoryStructure(story, source); // [{ code: 'unknown-scene', line: 14, path: 'scenes[1].next', … }]
 */
export function checkStoryStructure(
  story: Story,
  source: StorySource,
  gaps: StoryGaps = NO_GAPS,
): StoryProblem[] {
  const problems: StoryProblem[] = [];
  const add = (code: StoryProblemCode, path: StoryPath, message: string): void => {
    const at = gaps.sourcePath(path);
    problems.push({
      code,
      file: source.file,
      line: source.lineOf(at),
      path: formatStoryPath(at),
      message,
    });
  };

  const indexOf = <T extends { id: string }>(
    items: readonly T[],
    kind: string,
    key: string,
  ): Map<string, number> => {
    const map = new Map<string, number>();
    items.forEach((item, i) => {
      if (map.has(item.id))
        add('duplicate-id', [key, i, 'id'], `duplicate ${kind} id "${item.id}"`);
      else map.set(item.id, i);
    });
    return map;
  };
  const levels = story.levels ?? DEFAULT_LEVELS;
  // `levels` was written but rejected as a whole: the default levels are not the author's.
  const levelsKnown = story.levels !== undefined || !gaps.rejected(['levels']);
  const levelIds = indexOf(levels, 'level', 'levels');
  const scenes = indexOf(story.scenes, 'scene', 'scenes');
  const branches = indexOf(story.branches ?? [], 'branch', 'branches');
  const endings = indexOf(story.endings, 'ending', 'endings');
  const variables = story.variables ?? {};

  if (story.levels) {
    story.levels.forEach((level, i) => {
      const prev = story.levels?.[i - 1];
      if (prev && level.intensity <= prev.intensity) {
        add(
          'levels-order',
          ['levels', i, 'intensity'],
          `levels must be ordered by increasing intensity (${prev.intensity} then ${level.intensity})`,
        );
      }
    });
  }
  story.targetCurve.forEach((point, i) => {
    const prev = story.targetCurve[i - 1];
    if (prev && point.t <= prev.t) {
      add(
        'curve-order',
        ['targetCurve', i, 't'],
        `target curve times must increase (${prev.t} then ${point.t})`,
      );
    }
  });

  const start = story.start ?? story.scenes[0]?.id ?? '';
  if (
    story.start !== undefined &&
    !scenes.has(story.start) &&
    !gaps.broken('scenes', story.start)
  ) {
    add('unknown-scene', ['start'], `unknown scene "${story.start}"`);
  }

  const typeOf = (v: unknown): string => typeof v;
  const checkVariable = (
    name: string,
    path: StoryPath,
    value: unknown,
    namePath: StoryPath,
  ): void => {
    const declared = variables[name];
    if (!declared) {
      if (gaps.broken('variables', name)) return;
      add('undeclared-variable', namePath, `variable "${name}" is not declared under "variables"`);
    } else if (typeOf(declared.initial) !== typeOf(value)) {
      add(
        'variable-type',
        path,
        `variable "${name}" is a ${typeOf(declared.initial)}, not a ${typeOf(value)}`,
      );
    }
  };
  const checkCondition = (cond: Condition, path: StoryPath): void => {
    if ('all' in cond) cond.all.forEach((c, i) => checkCondition(c, [...path, 'all', i]));
    else if ('any' in cond) cond.any.forEach((c, i) => checkCondition(c, [...path, 'any', i]));
    else if ('not' in cond) checkCondition(cond.not, [...path, 'not']);
    else checkVariable(cond.var, [...path, 'value'], cond.value, [...path, 'var']);
  };

  // Scene graph: scene → scenes (directly or through a branch); sceneEndings: scenes that end the story.
  const edges = new Map<string, Edge[]>();
  const endsStory = new Set<string>();
  const reachedEndings = new Set<string>();
  const resolveNext = (
    next: NextRef,
    path: StoryPath,
  ): { type: string; id: string; path: StoryPath } => {
    const r = resolveNextRef(next);
    if (r.type === 'scene')
      return {
        type: 'scene',
        id: r.scene,
        path: typeof next === 'string' ? path : [...path, 'scene'],
      };
    if (r.type === 'branch') return { type: 'branch', id: r.branch, path: [...path, 'branch'] };
    return { type: 'ending', id: r.ending, path: [...path, 'ending'] };
  };

  story.scenes.forEach((scene, si) => {
    const out: Edge[] = [];
    edges.set(scene.id, out);
    for (const key of Object.keys(scene.variants)) {
      if (levelsKnown && !levelIds.has(key) && !gaps.broken('levels', key))
        add(
          'unknown-level',
          ['scenes', si, 'variants', key],
          `unknown level "${key}" (levels: ${[...levelIds.keys()].join(', ')})`,
        );
    }
    for (const level of levels) {
      if (
        levelsKnown &&
        !(level.id in scene.variants) &&
        !gaps.rejected(['scenes', si, 'variants', level.id])
      )
        add(
          'missing-variant',
          ['scenes', si, 'variants'],
          `missing variant for level "${level.id}"`,
        );
    }
    for (const [name, value] of Object.entries(scene.set ?? {})) {
      checkVariable(name, ['scenes', si, 'set', name], value, ['scenes', si, 'set', name]);
    }
    if (scene.next === undefined) {
      if (gaps.rejected(['scenes', si, 'next'])) return;
      add(
        'dead-end',
        ['scenes', si],
        `dead end: scene "${scene.id}" has no "next" and is not an ending (add next: { ending: <id> })`,
      );
      return;
    }
    const next = resolveNext(scene.next, ['scenes', si, 'next']);
    if (next.type === 'scene') {
      if (scenes.has(next.id)) out.push({ to: next.id, path: next.path });
      else if (!gaps.broken('scenes', next.id))
        add('unknown-scene', next.path, `unknown scene "${next.id}"`);
    } else if (next.type === 'ending') {
      if (endings.has(next.id)) {
        endsStory.add(scene.id);
        reachedEndings.add(next.id);
      } else if (!gaps.broken('endings', next.id))
        add('unknown-ending', next.path, `unknown ending "${next.id}"`);
    } else {
      const bi = branches.get(next.id);
      if (bi === undefined) {
        if (!gaps.broken('branches', next.id))
          add('unknown-branch', next.path, `unknown branch "${next.id}"`);
      } else {
        for (const c of story.branches?.[bi]?.candidates ?? []) {
          if (scenes.has(c.scene)) out.push({ to: c.scene, path: next.path });
        }
      }
    }
  });

  (story.branches ?? []).forEach((branch, bi) => {
    branch.candidates.forEach((c, ci) => {
      if (!scenes.has(c.scene) && !gaps.broken('scenes', c.scene))
        add(
          'unknown-scene',
          ['branches', bi, 'candidates', ci, 'scene'],
          `unknown scene "${c.scene}"`,
        );
      if (c.when) checkCondition(c.when, ['branches', bi, 'candidates', ci, 'when']);
    });
    if (!scenes.has(branch.default)) {
      if (!gaps.broken('scenes', branch.default))
        add('unknown-scene', ['branches', bi, 'default'], `unknown scene "${branch.default}"`);
    } else if (
      !branch.candidates.some((c) => c.scene === branch.default) &&
      !gaps.rejected(['branches', bi, 'candidates'])
    ) {
      add(
        'default-not-candidate',
        ['branches', bi, 'default'],
        `default "${branch.default}" is not one of the candidates`,
      );
    }
  });

  // The rest judges the whole graph: not when a rejected part may have been an edge of it.
  if (!gaps.graphComplete) return problems.sort((a, b) => a.line - b.line);

  // Reachability from the start scene.
  const reachable = new Set<string>();
  if (scenes.has(start)) {
    const queue = [start];
    reachable.add(start);
    while (queue.length) {
      const id = queue.shift() as string;
      for (const e of edges.get(id) ?? []) {
        if (!reachable.has(e.to)) {
          reachable.add(e.to);
          queue.push(e.to);
        }
      }
    }
    story.scenes.forEach((scene, si) => {
      if (!reachable.has(scene.id) && scenes.get(scene.id) === si) {
        add(
          'unreachable-scene',
          ['scenes', si, 'id'],
          `scene "${scene.id}" is unreachable from the start scene "${start}"`,
        );
      }
    });
    story.endings.forEach((ending, ei) => {
      const reached = story.scenes.some(
        (s) =>
          reachable.has(s.id) &&
          s.next !== undefined &&
          resolveNextRef(s.next).type === 'ending' &&
          (resolveNextRef(s.next) as { ending: string }).ending === ending.id,
      );
      if (!reached && endings.get(ending.id) === ei) {
        add('unreachable-ending', ['endings', ei, 'id'], `ending "${ending.id}" is never reached`);
      }
    });
  }

  // Cycles with no exit: strongly connected components from which no ending can be reached.
  const canEnd = new Set(endsStory);
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, out] of edges) {
      if (!canEnd.has(id) && out.some((e) => canEnd.has(e.to))) {
        canEnd.add(id);
        changed = true;
      }
    }
  }
  for (const component of stronglyConnected(edges)) {
    const cyclic =
      component.length > 1 ||
      (edges.get(component[0] ?? '') ?? []).some((e) => e.to === component[0]);
    if (!cyclic || component.some((id) => canEnd.has(id))) continue;
    // A scene with a missing or broken `next` is already reported as such; a loop that only
    // lacks an exit because of it is not a second fault.
    if (component.some((id) => (edges.get(id) ?? []).length === 0)) continue;
    const ordered = story.scenes.filter((s) => component.includes(s.id)).map((s) => s.id);
    const first = ordered[0] as string;
    const si = scenes.get(first) ?? 0;
    add(
      'cycle-no-exit',
      ['scenes', si, 'next'],
      `cycle with no exit: ${[...ordered, first].join(' → ')} never reaches an ending`,
    );
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Tarjan's algorithm; components in discovery order. */
function stronglyConnected(edges: ReadonlyMap<string, Edge[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const { to } of edges.get(v) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}
