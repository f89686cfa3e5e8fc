/**
 * The `frisson` CLI as a real child process (`node --import tsx tools/cli.ts …`, what
 * `npm run frisson --` runs), for tests of what a user sees: exit code, stdout, stderr, timing.
 * Every process started here is killed by `stop()` (call it in `after`/`finally`).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_DIR } from './processes.js';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

export interface CliOptions {
  /** Added to the environment (npm's variables are removed, so messages name `node …`). */
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
}

/** The environment without npm's script variables (they change the commands messages print). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_')) env[k] = v;
  return { ...env, ...extra };
}

export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly started = Date.now();
  readonly exited: Promise<CliExit>;

  constructor(args: string[], opts: CliOptions = {}) {
    const options: SpawnOptions = {
      cwd: opts.cwd ?? REPO_DIR,
      env: cleanEnv(opts.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    };
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', `${REPO_DIR}/tools/cli.ts`, ...args],
      options,
    );
    this.child.stdout?.on('data', (b: Buffer) => (this.stdout += b.toString()));
    this.child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exited = new Promise((done) =>
      this.child.once('close', (code, signal) =>
        done({
          code,
          signal,
          stdout: this.stdout,
          stderr: this.stderr,
          ms: Date.now() - this.started,
        }),
      ),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when stdout matches `pattern`; rejects if the process exits or `ms` pass first. */
  async waitForStdout(pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.stdout);
      if (m) return m;
      if (!this.running || Date.now() > deadline) {
        throw new Error(
          `no ${String(pattern)} on stdout (${this.running ? 'timed out' : 'exited'}):\n` +
            `stdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      await sleep(50);
    }
  }

  /** The exit, or `null` if the process is still running after `ms` (it is then killed). */
  async exitWithin(ms: number): Promise<CliExit | null> {
    // The timer is cancelled once the process exits, so it does not hold the test run open.
    const timer = new AbortController();
    const result = await Promise.race([
      this.exited,
      sleep(ms, null, { signal: timer.signal }).catch(() => null),
    ]);
    timer.abort();
    if (result === null) await this.stop();
    return result;
  }

  /** SIGKILL if still running. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Runs the CLI to completion; `null` if it had not exited after `ms` (a hang). */
export function runCli(args: string[], ms: number, opts: CliOptions = {}): Promise<CliExit | null> {
  return new CliProcess(args, opts).exitWithin(ms);
}
