/**
 * What `frisson serve` does with a story package before loading it: never serve a `dist/` older
 * than its sources. A story of your own fails fast with one line naming what changed and the
 * command that re-packages it — packaging a real film takes minutes to hours of encoding, which a
 * server start must not start on its own (nor half-way through an edit). The demo, which Frisson
 * itself renders (a few minutes on first start) and re-renders incrementally, is brought up to
 * date instead.
 */
import { demoOutOfDate, generateDemoStory, isDemoStoryDir } from './demo/demo-story.js';
import { StalePackageError, checkPackageFreshness } from './story/package-freshness.js';

export interface PrepareStoryOptions {
  /** `serve --demo`: generate the demo story in `dir` when it is missing or out of date. */
  demo?: boolean;
  /** Told, in one line, when the demo is being generated (e.g. `process.stdout.write`). */
  notice?: (line: string) => void;
}

/**
 * Makes sure the package in `dir` is current before it is served; throws StalePackageError (a
 * one-line message) when it is not and cannot be brought up to date here.
 * @example
 * await prepareStoryForServing(cfg.story, { demo: true, notice: (l) => process.stdout.write(l) });
 */
export async function prepareStoryForServing(
  dir: string,
  options: PrepareStoryOptions = {},
): Promise<void> {
  if (options.demo && (await isDemoStoryDir(dir))) {
    const why = await demoOutOfDate(dir);
    if (why === undefined) return;
    const verb = why === 'first start only' ? 'Generating' : 'Updating';
    options.notice?.(`${verb} the demo story in ${dir} (${why})…\n`);
    await generateDemoStory(dir);
    return;
  }
  const fresh = await checkPackageFreshness(dir);
  if (!fresh.success) throw new StalePackageError(fresh.error);
}
