/**
 * `frisson agent` as a user runs it: the real CLI process (server/cli.ts) and, where a hub is
 * needed, the real Frisson server with its `/seats` namespace, SQLite store and join tokens.
 * Covers how the agent ends: exit 2 when HID is unavailable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
  kill(): void;
}

/** Starts `frisson <args>` (real process); stdout collected by line. */
function frisson(args: string[]): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => {
    buf += c.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    lines,
    stderr: () => err,
    exited,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** Resolves with the exit code, or rejects after `ms` (the process is killed). */
async function exitWithin(run: Run, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.kill();
      reject(new Error(`still running after ${ms} ms; stdout:\n${run.lines.join('\n')}`));
    }, ms);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether node-hid's native binding loads here (it needs libusb-1.0-0 and libudev1). */
function nodeHidLoads(): boolean {
  try {
    const hid = createRequire(import.meta.url)('node-hid') as { getHidapiVersion(): string };
    hid.getHidapiVersion();
    return true;
  } catch {
    return false;
  }
}

describe('frisson agent (real CLI process)', function () {
  this.timeout(60_000);
  const runs: Run[] = [];
  afterEach(() => runs.splice(0).forEach((r) => r.kill()));

  it('should exit 2 with one line naming libusb-1.0-0 when HID devices cannot be read', async function () {
    if (nodeHidLoads()) this.skip(); // this machine has libusb: the HID path works
    const run = frisson([
      'agent',
      '--hub',
      'http://127.0.0.1:9',
      '--token',
      'x',
      '--map',
      'test/fixtures/sensors/seat-maps/two-seats.yaml',
    ]);
    runs.push(run);
    assert.equal(await exitWithin(run, 20_000), 2);
    const lines = run.stderr().split('\n').filter(Boolean);
    assert.equal(lines.length, 1, run.stderr());
    assert.match(lines[0]!, /^frisson: HID devices unavailable: .*libusb-1\.0\.so\.0/);
    assert.match(lines[0]!, /apt-get install libusb-1\.0-0 libudev1/);
  });
});
