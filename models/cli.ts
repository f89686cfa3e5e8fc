import type { Command } from 'commander';

/** Registers `frisson train`, `frisson eval` and `frisson bench model`. */
export function registerModelsCommands(_program: Command, _bench: Command): void {
  // Filled in by the director issue.
}
