/**
 * A real `redis-server` (Debian package; .ci/run installs it; tests gate on
 * `requireSystem(this, 'redis-server')` from system-deps.ts) on a free port, without persistence
 * (`--save '' --appendonly no`), for cluster and fault tests. `restart()` stops and starts it on the
 * same port — with no persistence it comes back empty, the harshest Redis restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Socket } from 'node:net';
import { freePort } from './processes.js';

export const REDIS_SERVER = process.env.FRISSON_REDIS_SERVER ?? 'redis-server';

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (b) => {
      s.destroy();
      resolve(b.toString().startsWith('+PONG'));
    });
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const r = new RedisServer(await freePort());
    await r.up();
    return r;
  }

  async up(): Promise<void> {
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    let spawnError: Error | undefined;
    child.once('error', (e) => (spawnError = e));
    for (let i = 0; i < 100; i++) {
      // Tests gate on requireSystem(this, 'redis-server'); this is the message when one forgets.
      if (spawnError) {
        this.child = null; // never started: nothing for down() to wait for
        throw new Error(`${REDIS_SERVER} did not start: ${spawnError.message}`);
      }
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      if (await ping(this.port)) return;
      await sleep(50);
    }
    throw new Error('redis-server did not answer PING');
  }

  async down(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(downMs = 0): Promise<void> {
    await this.down();
    if (downMs > 0) await sleep(downMs);
    await this.up();
  }
}
