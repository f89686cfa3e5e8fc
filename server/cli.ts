#!/usr/bin/env node
/**
 * `frisson` command line. Each stage registers its own commands (sensors/cli.ts, models/cli.ts,
 * media/cli.ts); this file owns `serve` and the shared `bench` group.
 */
import { Command } from 'commander';
import { registerMediaCommands } from '../media/cli.js';
import { registerModelsCommands } from '../models/cli.js';
import { registerSensorsCommands } from '../sensors/cli.js';
import { registerServerBenchCommands } from './bench-command.js';
import { registerLoadCommand } from './load/load-command.js';
import { registerServeCommand } from './serve-command.js';

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
  registerServerBenchCommands(bench);
  registerMediaCommands(program);
  registerSensorsCommands(program, bench);
  registerModelsCommands(program, bench);
  return program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`frisson: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
