/** Where a CLI command writes; injected so commands are testable in-process. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: CommandOutput = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** Pretty JSON with a trailing newline. */
export const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
