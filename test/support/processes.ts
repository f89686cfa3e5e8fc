/**
 * Real Frisson server processes for crash, cluster and fault tests: `frisson serve` started with
 * `node --import tsx tools/cli.ts`, exactly what an operator runs, so `kill -9` kills a real hub.
 * Every process started here is tracked by its `ServerProcess` and must be `stop()`ped in `after`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A free TCP port on 127.0.0.1 (bound then released; the tiny race is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => done(port));
    });
  });
}

export interface ServeOptions {
  story: string;
  db: string;
  port: number;
  env?: Record<string, string>;
  args?: string[];
}

export class ServerProcess {
  readonly url: string;
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly opts: ServeOptions) {
    this.url = `http://127.0.0.1:${opts.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Last lines the process printed (stdout + stderr), for assertion messages. */
  get log(): string {
    return this.output.slice(-4000);
  }

  /** Everything it printed since the first start (stdout + stderr, the last 20,000 characters). */
  get printed(): string {
    return this.output;
  }

  /** Starts `frisson serve` and resolves once /healthz answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error('already running');
    const { story, db, port, env = {}, args = [] } = this.opts;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/cli.ts',
        'serve',
        '--story',
        story,
        '--db',
        db,
        '--port',
        String(port),
        ...args,
      ],
      {
        cwd: REPO_DIR,
        env: { ...process.env, FRISSON_LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const keep = (b: Buffer): void => {
      this.output = (this.output + b.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `server exited early (${child.exitCode ?? child.signalCode}):\n${this.log}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${this.log}`);
  }

  /** SIGKILL: no shutdown hooks, no flush — what a crash or an OOM kill looks like. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Graceful stop (SIGTERM), SIGKILL after 5 s. Safe to call when not running. */
  async stop(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.signal('SIGTERM');
    clearTimeout(killer);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(sig);
    await exited;
  }
}
