import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { REPO_DIR } from '../../support/processes.js';

describe('RedisServer (test support)', () => {
  it('should report a redis-server that cannot be spawned in one line, and stop cleanly', async () => {
    // FRISSON_REDIS_SERVER is read at import, so a child process gets a binary that does not exist.
    const script =
      "const { RedisServer } = await import('./test/support/redis.ts');" +
      'try { await RedisServer.start(); console.log("started"); }' +
      ' catch (e) { console.log(e.message); }';
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: REPO_DIR,
          env: { ...process.env, FRISSON_REDIS_SERVER: 'frisson-no-such-redis-7c1e' },
          timeout: 20_000,
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    assert.equal(
      out,
      'frisson-no-such-redis-7c1e did not start: spawn frisson-no-such-redis-7c1e ENOENT\n',
    );
  });
});
