import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { REPO_DIR } from '../../support/processes.js';
import { checkSystem, executablePiece, findExecutable } from '../../support/system-deps.js';

/** A name no machine has on PATH: a real lookup, not a mock, decides it is missing. */
const MISSING = executablePiece('frisson-no-such-program-7c1e', ['frisson-no-such-package']);
const FIXTURE = 'test/fixtures/support/missing-piece.suite.ts';

/** Runs the fixture suite in a child mocha; `CI` is set only when given. */
function runFixture(ci?: string): Promise<{ code: number; out: string }> {
  const env = { ...process.env };
  delete env.CI;
  if (ci !== undefined) env.CI = ci;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['node_modules/mocha/bin/mocha.js', '--reporter', 'spec', '--no-color', FIXTURE],
      { cwd: REPO_DIR, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}

describe('system-deps', () => {
  it('should find a real program on PATH and not a missing one', async () => {
    assert.ok(await findExecutable('sh'));
    assert.equal(await findExecutable(process.execPath), process.execPath);
    assert.equal(await findExecutable('frisson-no-such-program-7c1e'), null);
  });

  it('should skip a missing program outside CI, naming its Debian package', async () => {
    const line =
      'skipped: needs frisson-no-such-program-7c1e: not on PATH ' +
      '(Debian: apt-get install -y frisson-no-such-package)';
    for (const env of [{}, { CI: 'false' }]) {
      assert.deepEqual(await checkSystem(MISSING, env), {
        status: 'skip',
        line,
        debian: ['frisson-no-such-package'],
      });
    }
  });

  it('should fail a missing program when CI=true, naming its Debian package', async () => {
    const v = await checkSystem(MISSING, { CI: 'true' });
    assert.equal(v.status, 'fail');
    assert.ok(v.status === 'fail');
    assert.match(v.line, /^needs frisson-no-such-program-7c1e: not on PATH/);
    assert.match(v.line, /apt-get install -y frisson-no-such-package/);
  });

  it('should run a test whose program is present, CI or not', async () => {
    const sh = executablePiece('sh', ['dash']);
    assert.deepEqual(await checkSystem(sh, {}), { status: 'present' });
    assert.deepEqual(await checkSystem(sh, { CI: 'true' }), { status: 'present' });
  });

  it('should mark exactly the tests needing a missing piece pending, with one line and a summary', async () => {
    const { code, out } = await runFixture();
    assert.equal(code, 0, out);
    assert.match(out, /1 passing/);
    assert.match(out, /3 pending/);
    const line =
      'skipped: needs frisson-no-such-program-7c1e: not on PATH ' +
      '(Debian: apt-get install -y frisson-no-such-package)';
    // One line per skip: once for the suite skipped from `before`, once for the single test.
    assert.equal(out.split(line).length - 1, 2, out);
    assert.match(
      out,
      /3 tests skipped for missing system pieces \(CI=true turns these skips into failures\):/,
    );
    assert.match(out, /3 × needs frisson-no-such-program-7c1e: not on PATH/);
    assert.match(out, /To run them: apt-get install -y frisson-no-such-package/);
  });

  it('should fail those tests with one line and no stack under CI=true', async () => {
    const { code, out } = await runFixture('true');
    assert.equal(code, 2, out); // mocha exits with the failure count: the before hook and one test
    assert.match(out, /1 passing/);
    assert.match(
      out,
      /MissingSystemPiece: needs frisson-no-such-program-7c1e: not on PATH \(Debian: apt-get install -y frisson-no-such-package\); CI=true fails instead of skipping\n/,
    );
    assert.doesNotMatch(out, /^\s+at /m, out);
    assert.doesNotMatch(out, /ran without its system piece/);
    assert.doesNotMatch(out, /skipped for missing system pieces/);
  });
});
