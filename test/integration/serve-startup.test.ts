/**
 * Issue 18: `frisson serve` on a fresh machine, as real processes. A busy, privileged or
 * unbindable port fails at once with one line and before the store is touched; so do an
 * unwritable store and an unreachable Redis; a mistyped `--story` fails with one line instead of
 * receiving the demo; SIGINT/SIGTERM stop the server cleanly (exit 0) even with a player's
 * blocking playlist request in flight.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrissonServer } from '../../server/app.js';
import { bindStartingServer } from '../../server/bind-port.js';
import { loadConfig } from '../../server/config.js';
import { CliProcess, runCli } from '../support/cli-process.js';
import { freePort } from '../support/processes.js';
import { writeFixtureStoryDir } from '../support/server.js';

/** A TCP port held by another server for the duration of a test. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('frisson serve: start-up and shutdown (real processes)', function () {
  this.timeout(60_000);
  let dir: string;
  let story: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-serve-'));
    story = await writeFixtureStoryDir(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should exit 1 with one line on a busy port, before touching the store', async () => {
    const busy = await holdPort();
    const db = join(dir, 'busy', 'frisson.db');
    try {
      const r = await runCli(
        ['serve', '--story', story, '--db', db, '--port', String(busy.port)],
        15_000,
        { env: { FRISSON_LOG_LEVEL: 'info' } },
      );
      assert.ok(r, 'serve hung on a busy port');
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(lines(r.stderr), [
        `frisson: port ${busy.port} on 127.0.0.1 is in use; stop the other server or pass --port`,
      ]);
      assert.equal(r.stdout, '', 'nothing logged or printed before failing');
      assert.equal(existsSync(join(dir, 'busy')), false, 'the store (and its dir) untouched');
      assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
    } finally {
      busy.server.close();
    }
  });

  it('should exit 1 with one line for a host this machine does not have', async () => {
    for (const [host, expected] of [
      ['192.0.2.1', /^frisson: cannot listen on 192\.0\.2\.1: no network interface .*--host/],
      ['no-such-host.invalid', /^frisson: cannot listen on no-such-host\.invalid: no such host;/],
    ] as const) {
      const r = await runCli(
        ['serve', '--story', story, '--db', join(dir, 'host.db'), '--port', '0', '--host', host],
        15_000,
      );
      assert.ok(r, `serve hung on --host ${host}`);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.equal(existsSync(join(dir, 'host.db')), false);
    }
  });

  it('should exit 1 with one line on a privileged port', async function () {
    const start = Number(
      readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim(),
    );
    if (!(start > 1)) this.skip(); // every port is unprivileged on this machine
    const port = Math.min(80, start - 1);
    // Root may bind any port: run the server as `nobody`, who may not.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    await chmod(dir, 0o755);
    const r = await runCli(
      ['serve', '--story', story, '--db', join(dir, 'priv.db'), '--port', String(port)],
      15_000,
      asNobody,
    );
    assert.ok(r, 'serve hung on a privileged port');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stderr), [
      `frisson: not allowed to listen on port ${port} on 127.0.0.1 (ports below 1024 need root); pass --port 8080 or another port ≥ 1024`,
    ]);
  });

  it('should exit 1 with one line naming the store when it cannot be created', async () => {
    // Root writes anywhere: run the server as `nobody` then, who may not.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    await chmod(dir, 0o755);
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly, { mode: 0o555 });
    const db = join(readOnly, 'data', 'frisson.db');
    const r = await runCli(
      ['serve', '--story', story, '--db', db, '--port', '0'],
      15_000,
      asNobody,
    );
    assert.ok(r, 'serve hung on an unwritable store');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^frisson: cannot open the store ${db}: EACCES: .*; pass --db \\(FRISSON_DB\\) with a file in a writable directory$`,
        'm',
      ),
    );
  });

  it('should exit 1 with one line, no stack, when Redis (cluster mode) is unreachable', async () => {
    const port = await freePort(); // nothing listens there: connection refused
    const r = await runCli(
      ['serve', '--story', story, '--db', join(dir, 'redis.db'), '--port', '0'],
      20_000,
      { env: { FRISSON_REDIS_URL: `redis://user:hunter22@127.0.0.1:${port}` } },
    );
    assert.ok(r, 'serve hung with Redis unreachable');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stderr), [
      `frisson: cannot reach Redis at 127.0.0.1:${port} (FRISSON_REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}; start it, or unset FRISSON_REDIS_URL to run a single process`,
    ]);
  });

  it('should refuse to render the demo into a mistyped --story directory', async () => {
    const typo = join(dir, 'my-flim');
    const r = await runCli(
      ['serve', '--demo', '--story', typo, '--db', join(dir, 'typo.db'), '--port', '0'],
      15_000,
    );
    assert.ok(r, 'serve did not exit (rendering the demo into the typo?)');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`story directory ${typo} does not exist`));
    assert.match(r.stderr, new RegExp(`\`node --import tsx \\S*tools/cli.ts story demo ${typo}\``));
    assert.equal(existsSync(typo), false, 'nothing created in the mistyped directory');
    assert.equal(existsSync(join(dir, 'typo.db')), false);
  });

  it('should name `story package` for an unpackaged story, even with --demo', async () => {
    const demo = join(dir, 'unpackaged', 'demo');
    await mkdir(demo, { recursive: true });
    const yaml = 'id: mine\ntitle: Mine\n';
    await writeFile(join(demo, 'story.yaml'), yaml);
    const r = await runCli(
      ['serve', '--demo', '--story', demo, '--db', join(dir, 'unpackaged.db'), '--port', '0'],
      15_000,
    );
    assert.ok(r, 'serve hung');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`story in ${demo} is not packaged yet`));
    assert.match(r.stderr, new RegExp(`story package ${demo}\``));
    assert.equal(readFileSync(join(demo, 'story.yaml'), 'utf8'), yaml, 'their story.yaml kept');
    assert.deepEqual(await readdir(demo), ['story.yaml']);
  });

  it('should hold the port with a coded 503 until the app is ready, then serve the app', async () => {
    const http = createHttpServer();
    await bindStartingServer(http, 0, '127.0.0.1');
    const addr = http.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const early = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(early.status, 503);
    assert.equal(early.headers.get('retry-after'), '2');
    assert.equal(
      ((await early.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_STARTING',
    );
    const cfg = loadConfig(
      { port, story, db: join(dir, 'bound.db'), logLevel: 'silent', picker: 'threshold' },
      {},
    );
    const server = await createFrissonServer(cfg, { http });
    try {
      assert.equal(await server.listen(), `http://127.0.0.1:${port}`);
      assert.equal((await fetch(`${server.url()}/healthz`)).status, 200);
      // socket.io wraps the app on the same port (engine.io handshake over polling).
      const hs = await fetch(`${server.url()}/socket.io/?EIO=4&transport=polling`);
      assert.equal(hs.status, 200);
      assert.match(await hs.text(), /"sid"/);
    } finally {
      await server.close();
    }
    assert.equal(http.listening, false);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`should stop cleanly on ${signal} with a blocking playlist request in flight`, async () => {
      const port = await freePort();
      const cli = new CliProcess([
        'serve',
        '--story',
        story,
        '--db',
        join(dir, `${signal}.db`),
        '--port',
        String(port),
      ]);
      try {
        await cli.waitForStdout(/Press Ctrl\+C to stop\./);
        const url = `http://127.0.0.1:${port}`;
        const res = await fetch(`${url}/api/sessions`, { method: 'POST' });
        assert.equal(res.status, 201);
        const session = (await res.json()) as { id: string; token: string };
        // A player waiting for a segment far ahead (held by the server: blocking reload).
        const pending = fetch(
          `${url}/sessions/${session.id}/playlist.m3u8?token=${session.token}&_HLS_msn=2`,
        ).then(
          (r) => r.status,
          () => 'closed',
        );
        await new Promise((r) => setTimeout(r, 300));
        const t0 = Date.now();
        cli.child.kill(signal);
        const r = await cli.exitWithin(15_000);
        const ms = Date.now() - t0;
        assert.ok(r, `serve did not exit after ${signal}:\n${cli.stdout}\n${cli.stderr}`);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`"signal":"${signal}".*"msg":"shutting down"`));
        // The held request is answered "retry" at once instead of holding the shutdown for its
        // full blocking-reload limit (3 target durations).
        assert.equal(await pending, 503);
        assert.ok(ms < 2_000, `shutdown took ${ms} ms`);
      } finally {
        await cli.stop();
      }
    });
  }
});
