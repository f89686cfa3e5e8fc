/**
 * `frisson story …`: demo, validate, package, schema, new. The packaging and validation live in
 * media/; authoring a story from a theme lives beside this file in tools/story/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { generateDemoStory } from '../../media/demo/demo-story.js';
import { createPackageProgress } from '../../media/packager/package-progress.js';
import { StoryInvalidError, packageStory } from '../../media/packager/package-story.js';
import { formatStoryProblem } from '../../media/story/story-problem.js';
import { storyJsonSchema } from '../../media/story/story-schema.js';
import { storyTemplate } from '../../media/story/story-template.js';
import { validateStory } from '../../media/story/validate-story.js';
import { packageRoot } from '../../server/paths.js';

/** media/schema/story.schema.json inside the package (whether run from source or dist/). */
export function storySchemaPath(): string {
  return join(packageRoot(), 'media', 'schema', 'story.schema.json');
}

/**
 * The text of media/schema/story.schema.json: formatted with Prettier when it is installed (a dev
 * dependency) so `prettier --check` accepts the committed file, plain JSON otherwise.
 */
export async function storySchemaText(): Promise<string> {
  const json = `${JSON.stringify(storyJsonSchema(), null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(storySchemaPath())) ?? {};
    return await prettier.format(json, { ...config, parser: 'json' });
  } catch {
    return json;
  }
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** Runs `fn` with an AbortSignal that fires on Ctrl-C, so ffmpeg children die and temp dirs go. */
async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error('interrupted: nothing was written'));
  process.once('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Registers `frisson story …` (demo, validate, package, stats, schema, new). */
export function registerStoryCommands(program: Command): void {
  const story = program
    .command('story')
    .description('story packages: author, validate, package, generate the demo');

  story
    .command('demo')
    .description(
      'render the demo horror film (9 scenes × calm/tense/scare, 5 min a path, ffmpeg only) and package it',
    )
    .argument('<dir>', 'output story package directory')
    .option('--short', 'the short cut: the first 4 s of every scene at 360p (tests, CI)')
    .option('-q, --quiet', 'no progress output')
    .action(async (dir: string, opts: { quiet?: boolean; short?: boolean }) => {
      const started = Date.now();
      const result = await interruptible((signal) =>
        generateDemoStory(dir, {
          quiet: opts.quiet ?? false,
          signal,
          ...(opts.short ? { cut: 'short' as const } : {}),
        }),
      );
      process.stdout.write(
        `demo story ready: ${result.manifestPath}\n` +
          `${result.rendered} source clips rendered, ${result.summary} ` +
          `(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      );
    });

  story
    .command('validate')
    .description('check story.yaml and its media; prints every problem as file:line: path: message')
    .argument('<dir>', 'story package directory')
    .option('--no-media', 'skip probing the media files')
    .action(async (dir: string, opts: { media: boolean }) => {
      const problems = await validateStory(dir, { checkMedia: opts.media });
      for (const p of problems) process.stdout.write(`${formatStoryProblem(p)}\n`);
      if (problems.length) {
        process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write('story is valid\n');
      }
    });

  story
    .command('package')
    .description('encode every clip into spliceable HLS segments and write dist/manifest.json')
    .argument('<dir>', 'story package directory')
    .option('--segment-duration <seconds>', 'segment duration in seconds', positive)
    .option(
      '--renditions <list>',
      'ABR renditions, e.g. 360p,720p (or WIDTHxHEIGHT)',
      (v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .option('-q, --quiet', 'no progress output')
    .action(
      async (
        dir: string,
        opts: { segmentDuration?: number; renditions?: string[]; quiet?: boolean },
      ) => {
        try {
          const result = await interruptible((signal) =>
            packageStory(dir, {
              ...(opts.segmentDuration === undefined
                ? {}
                : { segmentDuration: opts.segmentDuration }),
              ...(opts.renditions === undefined ? {} : { renditions: opts.renditions }),
              progress: createPackageProgress({ quiet: opts.quiet ?? false }),
              signal,
            }),
          );
          process.stdout.write(`${result.summary}\nwrote ${result.manifestPath}\n`);
        } catch (error) {
          if (!(error instanceof StoryInvalidError)) throw error;
          for (const p of error.problems) process.stdout.write(`${formatStoryProblem(p)}\n`);
          process.stderr.write('story is invalid: nothing was packaged\n');
          process.exitCode = 1;
        }
      },
    );

  story
    .command('stats')
    .description(
      'measure every variant of a package: duration, loudness (EBU R128: LUFS, LRA, true peak, max momentary), mean luma',
    )
    .argument('<dir>', 'story package directory')
    .option('--rendition <name>', 'measure this rendition (default: the main one)')
    .option('--json', 'print JSON instead of a table')
    .action(async (dir: string, opts: { rendition?: string; json?: boolean }) => {
      const { formatStoryStats, storyStats } = await import('../../media/story/story-stats.js');
      const { resolveFfmpegTools } = await import('../../media/ffmpeg/ffmpeg-tools.js');
      const stats = await interruptible((signal) =>
        storyStats(resolveFfmpegTools(), dir, {
          signal,
          ...(opts.rendition ? { rendition: opts.rendition } : {}),
        }),
      );
      process.stdout.write(
        opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStoryStats(stats),
      );
    });

  story
    .command('schema')
    .description('write the JSON Schema of story.yaml (media/schema/story.schema.json by default)')
    .option('-o, --out <file>', 'output file ("-" for stdout)')
    .action(async (opts: { out?: string }) => {
      if (opts.out === '-') {
        process.stdout.write(await storySchemaText());
        return;
      }
      const out = opts.out ?? storySchemaPath();
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, await storySchemaText());
      process.stdout.write(`wrote ${out}\n`);
    });

  story
    .command('new')
    .description(
      'create a story package: from one sentence (--theme: complete, valid, its clips rendered like the demo film) or an empty skeleton to fill in',
    )
    .argument('[dir]', 'new story package directory (or --out)')
    .option('--theme <sentence>', 'write a complete story from this theme')
    .option('--locale <locale>', 'story language for --theme: en or zh-CN', 'en')
    .option('--seed <seed>', 'seed for --theme (default: the theme itself)')
    .option('--out <dir>', 'same as [dir]')
    .option('--force', 'replace an existing story.yaml')
    .option('--title <title>', 'film title for a skeleton', 'Untitled')
    .action(
      async (
        dirArg: string | undefined,
        opts: {
          theme?: string;
          locale: string;
          seed?: string;
          out?: string;
          force?: boolean;
          title: string;
        },
      ) => {
        const dir = dirArg ?? opts.out;
        if (!dir) throw new InvalidArgumentError('give the new story directory as [dir] or --out');
        if (!opts.theme) {
          await mkdir(join(dir, 'media'), { recursive: true });
          await writeFile(join(dir, 'story.yaml'), storyTemplate(opts.title), { flag: 'wx' });
          process.stdout.write(
            `created ${join(dir, 'story.yaml')}: put your clips in ${join(dir, 'media')}\n`,
          );
          return;
        }
        // Uses the LLM narrator backend when configured (FRISSON_LLM_*), the grammar otherwise.
        const { writeStoryFromTheme } = await import('../story/write-story-from-theme.js');
        const { narrationConfigFromEnv } = await import('../../media/narration/create-narrator.js');
        const llm = narrationConfigFromEnv().llm;
        const result = await writeStoryFromTheme(dir, opts.theme, {
          locale: opts.locale,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.force ? { force: true } : {}),
          ...(llm
            ? {
                llm: {
                  baseUrl: llm.baseUrl,
                  model: llm.model,
                  ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
                },
              }
            : {}),
          onProgress: (done, total) => process.stderr.write(`\rrendering clips ${done}/${total}`),
        });
        process.stderr.write('\n');
        const problems = await validateStory(dir);
        for (const p of problems) process.stdout.write(`${formatStoryProblem(p)}\n`);
        process.stdout.write(
          `wrote ${result.storyFile} (${result.source}${result.fallbackReason ? `, ${result.fallbackReason}` : ''}); ` +
            `${problems.length === 0 ? 'valid' : `${problems.length} problems`}. Next: frisson story package ${dir}\n`,
        );
        if (problems.length > 0) process.exitCode = 1;
      },
    );
}
