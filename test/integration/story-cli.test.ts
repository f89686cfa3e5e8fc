/**
 * The story commands as a person runs them (`node --import tsx server/cli.ts …`, real processes):
 * a missing story is one plain line.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { REPO_DIR } from '../support/processes.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `serve` got as far as serving (it is then stopped with SIGTERM). */
  served: boolean;
}

/** Runs `frisson <args>` to its end, or until it says it is serving. */
function frisson(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: REPO_DIR,
      env: { ...process.env, FRISSON_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let served = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!served && stdout.includes('Press Ctrl+C to stop.')) {
        served = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, served });
    });
  });
}

describe('frisson story validate (cli)', function () {
  this.timeout(60_000);

  it('should say in one plain line that there is no story at a missing directory', async () => {
    const dir = join(tmpdir(), 'frisson-cli-no-such-story');
    const run = await frisson(['story', 'validate', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `frisson: no story at ${dir} (expected ${dir}/story.yaml); create one with frisson story new ${dir}\n`,
    );
  });
});
