/**
 * `frisson train`, `frisson eval` and `frisson bench model`: the director's offline side (training
 * and evaluation in tools/training, tools/evaluation, over the simulated audience of
 * tools/closed-loop; the model bench in tools/bench). The runtime director is models/director.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';

const isPositiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

/** Parses a positive integer flag or throws a readable error. */
function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!isPositiveInt(n)) throw new Error(`--${name} takes a positive integer`);
  return n;
}

/** Parses a comma-separated list of positive integers (`unit` names them in the error). */
function positiveIntList(name: string, v: string, unit: string): number[] {
  const list = v.split(',').map((b) => Number(b.trim()));
  if (!list.every(isPositiveInt)) {
    throw new Error(`--${name} takes comma-separated positive integers (${unit}), got ${v}`);
  }
  return list;
}

function integer(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} takes an integer`);
  return n;
}

/** Loads `--story <manifest.json>` as a closed-loop story (else a synthetic one is used). */
async function loadStory(path: string | undefined) {
  if (path === undefined) return undefined;
  const { PackagedStorySchema } = await import('../../contracts/story.js');
  const { storyFromManifest } = await import('../closed-loop/synthetic-story.js');
  const parsed = PackagedStorySchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: not a packaged story manifest`);
  return storyFromManifest(parsed.data);
}

/**
 * Registers `frisson train`, `frisson eval` and `frisson bench model`. Everything heavy (tfjs,
 * onnxruntime, the simulator) is imported inside the actions so `frisson serve` never loads it.
 */
export function registerModelsCommands(program: Command, bench: Command): void {
  program
    .command('train')
    .description('roll out the simulated audience, learn the scene scorer (tfjs), export ONNX')
    .option('--out <path>', 'model file (metadata goes beside it as .json)', 'models/pacing.onnx')
    .option('--seed <n>', 'population/story seed', '1')
    .option('--viewers <n>', 'simulated viewers to roll out', '600')
    .option('--epochs <n>', 'training epochs per round', '20')
    .option(
      '--rounds <n>',
      'training rounds (2+ = DAgger rounds guided by the previous model)',
      '2',
    )
    .option('--story <manifest>', 'packaged story manifest.json (default: synthetic stories)')
    .option('--json', 'print the result as JSON')
    .action(
      async (flags: {
        out: string;
        seed: string;
        viewers: string;
        epochs: string;
        rounds: string;
        story?: string;
        json?: boolean;
      }) => {
        const { runTrainPipeline } = await import('../training/train-pipeline.js');
        const { SingleBar, Presets } = await import('cli-progress');
        const story = await loadStory(flags.story);
        const bar = new SingleBar(
          { format: ' {stage} [{bar}] {value}/{total} {info}', stream: process.stderr },
          Presets.shades_classic,
        );
        let stage = '';
        const result = await runTrainPipeline({
          out: flags.out,
          seed: integer('seed', flags.seed),
          viewers: positiveInt('viewers', flags.viewers),
          epochs: positiveInt('epochs', flags.epochs),
          rounds: positiveInt('rounds', flags.rounds),
          ...(story ? { story } : {}),
          onStage: (s, done, total, info) => {
            const key = `${s}:${info?.slice(0, 7) ?? ''}`;
            if (key !== stage) {
              if (stage) bar.stop();
              stage = key;
              bar.start(total, 0, { stage: s.padEnd(7), info: '' });
            }
            bar.update(done, { info: info ?? '' });
          },
        });
        bar.stop();
        const summary = {
          model: result.modelPath,
          metadata: result.metadataPath,
          rows: result.metadata.training.rows,
          valLoss: result.metadata.training.valLoss,
          tfjsVsOnnxMaxAbsDiff: result.maxAbsDiff,
          seconds: Math.round(result.seconds * 10) / 10,
        };
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(summary, null, 2)}\n`
            : `wrote ${summary.model} (${summary.rows} rows, val MSE ${summary.valLoss.toFixed(5)}, ` +
                `tfjs↔onnx max |Δ| ${summary.tfjsVsOnnxMaxAbsDiff.toExponential(2)}) in ${summary.seconds} s\n`,
        );
      },
    );

  program
    .command('eval')
    .description(
      'closed-loop evaluation with simulated viewers: linear, random, rule, model, model+personalisation',
    )
    .option('--viewers <n>', 'simulated viewers', '200')
    .option('--seed <n>', 'seed (story, population, caps)', '7')
    .option('--model <path>', 'model file (default: the committed models/pacing.onnx)')
    .option('--deadline-ms <n>', 'model deadline per tick', '5')
    .option('--story <manifest>', 'packaged story manifest.json (default: synthetic story)')
    .option(
      '--population <name|file>',
      'audience population: default, low-reactivity, noisy-sensors, or a .yaml/.json file of ranges',
      'default',
    )
    .option(
      '--plot <file.svg>',
      'write an SVG plot: target, felt (latent), estimated and read arousal per viewer type',
    )
    .option('--plot-policy <name>', 'the policy the plot draws', 'model+personalisation')
    .option(
      '--oracle',
      'add the perfect-knowledge reference row (knows each simulated viewer; slow: ~30 s per viewer)',
    )
    .option(
      '--oracle-blocks <list>',
      "the oracle's move blocks before the held last move, in segments (1 = two-step plans)",
      '1,2',
    )
    .option('--oracle-draws <n>', 'noise futures per oracle plan', '4')
    .option(
      '--replay <dir>',
      'instead: run recorded traces (*.trace.jsonl, e.g. ../shared/physio/traces) through the signal stage and estimator; per person, the estimate in each labelled segment, the resting noise floor and bad-start recovery',
    )
    .option('--bad-start-s <n>', 'with --replay: seconds of start-up artifact', '20')
    .option('--bad-start-bpm <n>', 'with --replay: how much too high the artifact reads', '15')
    .option('--json', 'print JSON instead of a table')
    .action(
      async (flags: {
        replay?: string;
        badStartS: string;
        badStartBpm: string;
        oracle?: boolean;
        oracleBlocks: string;
        oracleDraws: string;
        viewers: string;
        seed: string;
        model?: string;
        deadlineMs: string;
        story?: string;
        population: string;
        plot?: string;
        plotPolicy: string;
        json?: boolean;
      }) => {
        if (flags.replay !== undefined) {
          const { runReplayEvaluation, formatReplayReport } =
            await import('../evaluation/replay-evaluation.js');
          const r = await runReplayEvaluation(flags.replay, {
            badStartS: positiveInt('bad-start-s', flags.badStartS),
            badStartBpm: positiveInt('bad-start-bpm', flags.badStartBpm),
          });
          if (!r.success) throw new InvalidArgumentError(r.error);
          process.stdout.write(
            flags.json ? `${JSON.stringify(r.data, null, 2)}\n` : formatReplayReport(r.data),
          );
          return;
        }
        const { findPopulation } = await import('../../sensors/simulator/population-spec.js');
        const population = findPopulation(flags.population);
        if (!population.success) throw new InvalidArgumentError(population.error.message);
        const { runEvaluation, POLICY_NAMES } = await import('../evaluation/eval-pipeline.js');
        const { defaultModelPath } = await import('../../models/director/model-metadata.js');
        const story = await loadStory(flags.story);
        const report = await runEvaluation({
          ...(flags.oracle
            ? {
                policies: [...POLICY_NAMES, 'oracle' as const],
                oracle: {
                  blocks: positiveIntList('oracle-blocks', flags.oracleBlocks, 'segments'),
                  noiseDraws: positiveInt('oracle-draws', flags.oracleDraws),
                },
              }
            : {}),
          viewers: positiveInt('viewers', flags.viewers),
          seed: integer('seed', flags.seed),
          population: population.data,
          modelPath: flags.model ?? defaultModelPath(),
          deadlineMs: Number(flags.deadlineMs),
          ...(story ? { story } : {}),
          onPolicy: (name, i, n) => {
            if (!flags.json) process.stderr.write(`[${i + 1}/${n}] ${name}\n`);
          },
        });
        if (flags.plot) {
          const { renderTrackingSvg } = await import('../evaluation/svg-plot.js');
          if (!report.traces.groups[flags.plotPolicy]) {
            throw new InvalidArgumentError(
              `--plot-policy ${flags.plotPolicy} was not run (ran: ${Object.keys(report.traces.groups).join(', ')})`,
            );
          }
          await writeFile(
            flags.plot,
            renderTrackingSvg(report.traces, {
              policy: flags.plotPolicy,
              title: `${flags.plotPolicy} — ${report.story}, ${report.viewers} viewers (${report.population}), seed ${report.seed}`,
            }),
          );
        }
        const { traces: _traces, ...rest } = report;
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
          return;
        }
        const f = (x: number, w: number): string => x.toFixed(4).padStart(w);
        const rows = report.metrics.map(
          (m) =>
            `${m.policy.padEnd(22)} ${f(m.rmseTrue, 8)} ${(m.withinBandTrue * 100).toFixed(1).padStart(6)}% ` +
            `${f(m.rmseReading, 11)} ${f(m.estimatorRms, 12)} ${String(m.capViolations).padStart(10)} ${String(m.fallbacks).padStart(9)}`,
        );
        const a = report.acceptance;
        process.stdout.write(
          [
            `population ${report.population}, ${report.viewers} viewers, seed ${report.seed}`,
            `policy                 rmseTrue  inband  rmseReading  estimatorRms violations fallbacks`,
            ...rows,
            `model+personalisation / rule   = ${report.ratios.modelPersonalisedToRule.toFixed(3)} (≤ 0.80: ${a.modelPersonalisedLe080Rule})`,
            `model+personalisation / linear = ${report.ratios.modelPersonalisedToLinear.toFixed(3)} (≤ 0.70: ${a.modelPersonalisedLe070Linear})`,
            `estimator RMS after 60 s (model+personalisation) ≤ 0.08: ${a.estimatorRmsLe008}`,
            `zero cap violations for capped policies: ${a.zeroCapViolationsForCapped}`,
            `(${report.arousalSource}; ${report.seconds.toFixed(1)} s)`,
          ].join('\n') + '\n',
        );
      },
    );

  bench
    .command('model')
    .description('scorer inference latency, onnxruntime-node vs tfjs, batch 1 and 64')
    .option('--model <path>', 'model file (default: the committed models/pacing.onnx)')
    .option('--iterations <n>', 'timed calls per configuration', '5000')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { model?: string; iterations: string; json?: boolean }) => {
      const { benchModel } = await import('../bench/model-bench.js');
      const { defaultModelPath } = await import('../../models/director/model-metadata.js');
      const report = await benchModel({
        modelPath: flags.model ?? defaultModelPath(),
        iterations: positiveInt('iterations', flags.iterations),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const lines = report.results.map(
        (r) =>
          `${r.runtime.padEnd(17)} batch ${String(r.batch).padStart(3)}  p50 ${r.p50Us.toFixed(1).padStart(7)} µs  p99 ${r.p99Us.toFixed(1).padStart(7)} µs`,
      );
      process.stdout.write(
        [
          `${report.modelPath} (${report.parameters} parameters)`,
          ...lines,
          `onnxruntime p99 at batch 1 ≤ 100 µs: ${report.ortBatch1P99Le100Us}`,
        ].join('\n') + '\n',
      );
    });
}
