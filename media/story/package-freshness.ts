/**
 * Is a story package's `dist/` still what `frisson story package` would build from its sources?
 * The packager records the story file's hash and every source clip's size, mtime and hash in the
 * manifest (`builtFrom`); before serving, the story file is hashed again and each clip is
 * stat()ed — hashed only when its mtime moved, as git and make do — so the check costs
 * milliseconds unless something was touched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_OUTPUT_DIR, loadPackagedStory } from './load-manifest.js';
import { MANIFEST_FILE } from '../../contracts/story.js';
import type { SourceFile } from '../../contracts/story.js';
import { readStoryFile } from './load-story.js';

export type PackageFreshness =
  /** `checked` is false when there is nothing to compare: no manifest, or no story file beside it. */
  | { success: true; data: { checked: boolean } }
  /** One line naming what changed and the command that fixes it. */
  | { success: false; error: string };

/** The package in dist/ is older than its sources; the message says what changed. */
export class StalePackageError extends Error {
  readonly code = 'FRISSON_ERR_STORY_STALE';
  constructor(message: string) {
    super(message);
    this.name = 'StalePackageError';
  }
}

/** SHA-256 of text (a story file). */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 of a file's bytes, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A source file's size, mtime and hash, as the packager records it. The stat comes first, so a
 * file written during hashing looks changed next time rather than unchanged.
 */
export async function fingerprintFile(file: string): Promise<SourceFile> {
  const st = await stat(file);
  return { bytes: st.size, mtimeMs: st.mtimeMs, sha256: await sha256File(file) };
}

/** Whether `file` still has the recorded content; a missing file counts as unchanged. */
async function sourceUnchanged(file: string, recorded: SourceFile): Promise<boolean> {
  let st;
  try {
    st = await stat(file);
  } catch (error) {
    // Raw footage need not ship with a package: what is not there has not changed.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (st.size !== recorded.bytes) return false;
  if (st.mtimeMs === recorded.mtimeMs) return true;
  return (await sha256File(file)) === recorded.sha256;
}

/**
 * Compares the package in `<dir>/dist` with the story file and source media in `<dir>`.
 * @example
 * const fresh = await checkPackageFreshness('stories/night-shift');
 * if (!fresh.success) throw new StalePackageError(fresh.error);
 * // stories/night-shift/story.yaml changed since stories/night-shift/dist was packaged; run frisson story package stories/night-shift
 */
export async function checkPackageFreshness(dir: string): Promise<PackageFreshness> {
  const loaded = await loadPackagedStory(join(dir, PACKAGE_OUTPUT_DIR, MANIFEST_FILE));
  // No readable manifest: nothing to compare (serving reports the manifest problem itself).
  if (!loaded.success) return { success: true, data: { checked: false } };
  const found = await readStoryFile(dir);
  // A package shipped without its story file is served as it is.
  if (!found) return { success: true, data: { checked: false } };
  const dist = join(dir, PACKAGE_OUTPUT_DIR);
  const fix = `run frisson story package ${dir}`;
  const recorded = loaded.data.story.builtFrom;
  if (!recorded) {
    return {
      success: false,
      error:
        `${dist} was packaged by an older frisson that did not record its sources, so it may ` +
        `not match ${join(dir, found.file)}; ${fix}`,
    };
  }
  if (recorded.storyFile !== found.file || recorded.storySha256 !== sha256Text(found.text)) {
    return {
      success: false,
      error: `${join(dir, found.file)} changed since ${dist} was packaged; ${fix}`,
    };
  }
  const changed: string[] = [];
  for (const [file, source] of Object.entries(recorded.media)) {
    if (!(await sourceUnchanged(join(dir, file), source))) changed.push(join(dir, file));
  }
  if (changed.length) {
    const what =
      changed.length === 1
        ? `${changed[0]} changed`
        : `${changed[0]} and ${changed.length - 1} more source file${changed.length > 2 ? 's' : ''} changed`;
    return { success: false, error: `${what} since ${dist} was packaged; ${fix}` };
  }
  return { success: true, data: { checked: true } };
}
