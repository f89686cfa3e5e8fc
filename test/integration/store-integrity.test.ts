/**
 * Issue 22 (integrity, file hygiene): the store as real `frisson serve` processes see it.
 *
 * - Two servers on one database: the second exits 1 with one line naming the file and the holder.
 * - A database truncated to zero bytes is refused in one line, not started empty.
 * - The database, its WAL, the token secret and trace files are created 0600 even under umask 000.
 * - Session tokens are stored as SHA-256; a database written before (plaintext tokens, schema 2)
 *   is migrated and its sessions stay valid.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../support/cli-process.js';
import { freePort, ServerProcess } from '../support/processes.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  writeFixtureStoryDir,
} from '../support/server.js';

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('store integrity (real server processes)', function () {
  this.timeout(90_000);
  let dir: string;
  let story: string;
  const servers: ServerProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-store-integrity-'));
    story = await writeFixtureStoryDir(dir);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should refuse a second server on the same database with one line naming the file and the holder', async () => {
    const db = join(dir, 'shared', 'frisson.db');
    const first = new ServerProcess({ story, db, port: await freePort() });
    servers.push(first);
    await first.start();
    const s = await createSession(first.url);

    const second = await runCli(['serve', '--story', story, '--db', db, '--port', '0'], 20_000);
    assert.ok(second, 'the second server started on a database another process holds');
    assert.equal(second.code, 1, second.stderr);
    const out = lines(second.stderr);
    assert.equal(out.length, 1, second.stderr);
    assert.match(out[0] ?? '', /^frisson: the store .*frisson\.db is in use by pid \d+/);
    assert.ok(out[0]?.includes(db), out[0]);
    assert.ok(out[0]?.includes(`pid ${first.pid}`), `${out[0]} does not name pid ${first.pid}`);
    // The first server goes on serving its session.
    const res = await fetch(s.playlistUrl);
    assert.equal(res.status, 200);
  });

  it('should refuse a database truncated to zero bytes instead of starting empty', async () => {
    const db = join(dir, 'truncated', 'frisson.db');
    const srv = new ServerProcess({ story, db, port: await freePort() });
    servers.push(srv);
    await srv.start();
    await createSession(srv.url);
    await srv.stop();
    truncateSync(db, 0);

    const r = await runCli(['serve', '--story', story, '--db', db, '--port', '0'], 20_000);
    assert.ok(r, 'serve hung');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /^frisson: the store .*frisson\.db is an empty file \(0 bytes\)/);
    assert.equal(statSync(db).size, 0, 'the empty file was written over');
  });

  it('should create the database, its WAL, the token secret and trace files 0600 under umask 000', async () => {
    const data = join(dir, 'modes');
    const traces = join(data, 'traces');
    const db = join(data, 'frisson.db');
    const srv = new ServerProcess({
      story,
      db,
      port: await freePort(),
      env: { FRISSON_TRACE_DIR: traces },
    });
    servers.push(srv);
    // The child inherits the umask at spawn (which start() does before its first await).
    const previous = process.umask(0);
    let started: Promise<void>;
    try {
      started = srv.start();
    } finally {
      process.umask(previous);
    }
    await started;
    const s = await createSession(srv.url, { consent: true });
    const v = await connectViewer(srv.url, s);
    try {
      assert.deepEqual(await emitWithAck(v, 'sample', { bpm: 72, rr: [833] }), { ok: true });
    } finally {
      v.close();
    }
    const trace = join(traces, `${s.id}.trace.jsonl`);
    for (let i = 0; i < 50 && !existsSync(trace); i++) await sleep(20);
    assert.deepEqual(
      {
        db: mode(db),
        wal: mode(`${db}-wal`),
        secret: mode(join(data, 'token-secret')),
        trace: mode(trace),
        traceDir: mode(traces),
      },
      { db: '600', wal: '600', secret: '600', trace: '600', traceDir: '700' },
    );
    assert.equal(existsSync(`${db}-shm`), false, 'no shared-memory index next to the database');
  });

  it('should store session tokens only as SHA-256 and keep sessions from before the upgrade valid', async () => {
    const data = await mkdtemp(join(tmpdir(), 'frisson-token-hash-'));
    const db = join(data, 'frisson.db');
    try {
      const first = await startTestServer({ db });
      const signed = await createSession(first.url);
      const legacy = await createSession(first.url);
      await first.close();
      // Turn the database back into what the previous version wrote: schema 2 (no decisions.why
      // either), tokens in plaintext, one of them an opaque token (sessions from before signed
      // tokens).
      const opaque = 'legacy-opaque-token-0123456789abcdef';
      const raw = new Database(db);
      raw.exec(
        'DROP TABLE IF EXISTS erasures; DROP TABLE IF EXISTS meta; ' +
          'ALTER TABLE decisions DROP COLUMN why; PRAGMA user_version = 2',
      );
      raw.prepare('UPDATE sessions SET token = ? WHERE id = ?').run(signed.token, signed.id);
      raw.prepare('UPDATE sessions SET token = ? WHERE id = ?').run(opaque, legacy.id);
      raw.close();
      assert.ok(readFileSync(db).includes(opaque), 'the downgraded file holds the plaintext');

      const second = await startTestServer({ db });
      let fresh: { id: string; token: string };
      try {
        for (const [id, token] of [
          [signed.id, signed.token],
          [legacy.id, opaque],
        ] as const) {
          const url = `${second.url}/sessions/${id}/playlist.m3u8?token=${encodeURIComponent(token)}`;
          assert.equal((await fetch(url)).status, 200, `session ${id} lost its token`);
        }
        const forged = 'x'.repeat(opaque.length);
        const wrong = `${second.url}/sessions/${legacy.id}/playlist.m3u8?token=${forged}`;
        assert.equal((await fetch(wrong)).status, 401);
        fresh = await createSession(second.url);
      } finally {
        await second.close();
      }
      const check = new Database(db, { readonly: true });
      const rows = check.prepare('SELECT id, token FROM sessions').all() as Array<{
        id: string;
        token: string;
      }>;
      check.close();
      const stored = new Map(rows.map((r) => [r.id, r.token]));
      const sha = (t: string): string => `sha256:${createHash('sha256').update(t).digest('hex')}`;
      assert.equal(stored.get(signed.id), sha(signed.token));
      assert.equal(stored.get(legacy.id), sha(opaque));
      assert.equal(stored.get(fresh.id), sha(fresh.token));
      const bytes = readFileSync(db);
      for (const t of [signed.token, opaque, fresh.token]) {
        assert.equal(bytes.includes(t), false, `token ${t.slice(0, 12)}… still in the file`);
      }
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
