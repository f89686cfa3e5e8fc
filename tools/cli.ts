#!/usr/bin/env node
/**
 * `frisson` command line, the bin of the package. The tools room holds every command and what
 * only they need (load generator, benchmarks, simulated viewers, training, evaluation, story
 * authoring); it imports the stages, no stage imports it. Each group registers itself from
 * commands/ (serve, story, sensors and agent, train and eval), load/ and bench/.
 */
import { Command } from 'commander';
import { registerFloodBenchCommand, registerLatencyBenchCommand } from './bench/bench-command.js';
import { registerModelsCommands } from './commands/model-commands.js';
import { registerSensorsCommands } from './commands/sensors-commands.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerStoryCommands } from './commands/story-commands.js';
import { registerLoadCommand } from './load/load-command.js';

function main(argv: string[]): Promise<unknown> {
  const program = new Command()
    .name('frisson')
    .description('Real-time adaptive playback server with biometric input')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  const bench = program
    .command('bench')
    .description('benchmarks (print a table, or JSON with --json)');
  registerServeCommand(program);
  registerLoadCommand(program);
  registerLatencyBenchCommand(bench);
  registerFloodBenchCommand(bench);
  registerStoryCommands(program);
  registerSensorsCommands(program, bench);
  registerModelsCommands(program, bench);
  return program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`frisson: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
