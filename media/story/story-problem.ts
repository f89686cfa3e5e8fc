/**
 * A fault found in a story package, tied to a line of story.yaml and a path inside it.
 */

export type StoryPath = readonly (string | number)[];

/** Stable problem codes (tests and tools match on these, people read the message). */
export type StoryProblemCode =
  | 'syntax'
  | 'schema'
  | 'duplicate-id'
  | 'unknown-scene'
  | 'unknown-branch'
  | 'unknown-ending'
  | 'unknown-level'
  | 'missing-variant'
  | 'default-not-candidate'
  | 'unreachable-scene'
  | 'unreachable-ending'
  | 'dead-end'
  | 'cycle-no-exit'
  | 'undeclared-variable'
  | 'variable-type'
  | 'levels-order'
  | 'curve-order'
  | 'media-missing'
  | 'media-unreadable'
  | 'media-empty'
  | 'media-no-video'
  | 'duration-mismatch';

export interface StoryProblem {
  code: StoryProblemCode;
  /** Story file name relative to the package directory, e.g. `story.yaml`. */
  file: string;
  /** 1-based line in the story file. */
  line: number;
  /** Path of the offending value, e.g. `scenes[2].next.scene`. */
  path: string;
  message: string;
}

/**
 * `scenes[2].next.scene` from `['scenes', 2, 'next', 'scene']`; the root is `(root)`.
 * @example
 * formatStoryPath(['scenes', 0, 'variants', 'calm']); // 'scenes[0].variants.calm'
 */
export function formatStoryPath(path: StoryPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(root)';
}

/**
 * One problem as the CLI prints it: `story.yaml:12: scenes[2].next: unknown scene "cellar"`.
 */
export function formatStoryProblem(p: StoryProblem): string {
  return `${p.file}:${p.line}: ${p.path}: ${p.message}`;
}
