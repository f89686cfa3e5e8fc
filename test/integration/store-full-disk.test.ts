/**
 * Issue 22 finding 4: a segment is never served before its decision is stored.
 *
 * With the store failing (a real full filesystem: a small tmpfs filled up; and, where mounting is
 * not possible, the same code path with SQLITE_FULL injected under a real server), a session
 * publishes nothing new, a player waiting for the next segment gets a coded 503 it can retry,
 * `/readyz` answers 503 naming the store, a metric counts the failures, and the log says so once
 * per change of state. After kill -9 and a restart every msn that was ever served comes back with
 * the same content.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { CreateSessionResponse } from '../../contracts/wire.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { Store } from '../../server/store/store.js';
import { ensureDemoStory } from '../support/demo-story.js';
import {
  checkMediaPlaylist,
  PlaylistHistory,
  type ParsedPlaylist,
} from '../support/playlist-conformance.js';
import { freePort, ServerProcess } from '../support/processes.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  METRICS_AUTH,
  startTestServer,
  TEST_METRICS_TOKEN,
} from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

/** Reads a session's playlist like a player, checking every msn keeps its content. */
function playlistReader(
  s: CreateSessionResponse,
  history: PlaylistHistory,
): (query?: string) => Promise<{ status: number; body: string; pl: ParsedPlaylist | null }> {
  return async (query = '') => {
    const res = await fetch(`${s.playlistUrl}${query}`);
    const body = await res.text();
    return { status: res.status, body, pl: res.ok ? checkMediaPlaylist(body, history) : null };
  };
}

/** Segment count after reading the playlist for `ms` (the session publishes ~1 s per second). */
async function readFor(read: ReturnType<typeof playlistReader>, ms: number): Promise<number> {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) {
    const r = await read();
    assert.equal(r.status, 200, r.body);
    n = r.pl?.segments.length ?? 0;
    await sleep(150);
  }
  return n;
}

/** Waits until `check` is true (polling), or fails with `what`. */
async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

/** The player-visible and operator-visible answers while the store fails. */
async function assertStoreFailing(
  url: string,
  read: ReturnType<typeof playlistReader>,
  dbName: string,
): Promise<void> {
  const now = await read();
  const next = now.pl?.segments.length ?? 0;
  const blocked = await read(`&_HLS_msn=${next}`);
  assert.equal(blocked.status, 503, blocked.body);
  assert.equal(
    (JSON.parse(blocked.body) as { error: { code: string } }).error.code,
    'FRISSON_ERR_STORE_UNAVAILABLE',
  );
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 503);
  const body = (await ready.json()) as { ok: boolean; failing?: Record<string, string> };
  assert.equal(body.ok, false);
  assert.match(body.failing?.store ?? '', /SQLITE_FULL/);
  assert.ok(body.failing?.store?.includes(dbName), body.failing?.store);
  const metrics = await (await fetch(`${url}/metrics`, { headers: METRICS_AUTH })).text();
  assert.ok(metric(metrics, 'frisson_store_failures_total') >= 1, 'no store failure counted');
  assert.equal(metric(metrics, 'frisson_store_up'), 0);
}

describe('write-ahead decisions on a real full filesystem (tmpfs, real server process)', function () {
  this.timeout(120_000);
  let base: string;
  let disk: string;
  let mounted = false;
  let srv: ServerProcess | undefined;
  const filler = (): string => join(disk, 'filler');

  /** Writes zeros until the filesystem refuses (ENOSPC). */
  const fill = (): void => {
    const fd = openSync(filler(), 'a');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (;;) writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      closeSync(fd);
    }
  };

  before(async function () {
    await requireSystem(this, 'root-mount');
    base = await mkdtemp(join(tmpdir(), 'frisson-full-disk-'));
    disk = join(base, 'disk');
    await mkdir(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', disk]);
    mounted = true;
  });
  after(async () => {
    await srv?.stop();
    if (mounted) execFileSync('umount', ['-l', disk]);
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('should publish nothing it cannot store, answer 503 and say so once, and resume every served msn after kill -9', async () => {
    const story = await ensureDemoStory();
    const db = join(disk, 'frisson.db');
    srv = new ServerProcess({
      story,
      db,
      port: await freePort(),
      env: { FRISSON_METRICS_TOKEN: TEST_METRICS_TOKEN },
    });
    await srv.start();
    const s = await createSession(srv.url);
    const history = new PlaylistHistory();
    const read = playlistReader(s, history);
    const before = await readFor(read, 2500);
    assert.ok(before >= 2, `only ${before} segments before the disk filled`);

    fill();
    // Whatever was in flight settles; from then on nothing new may appear.
    await sleep(300);
    const atFull = (await read()).pl?.segments.length ?? 0;
    const during = await readFor(read, 3000);
    assert.equal(during, atFull, 'segments were served while their decisions could not be stored');
    await assertStoreFailing(srv.url, read, db);

    // Room again: the store recovers by itself, publishing resumes, /readyz is 200.
    rmSync(filler());
    await until(async () => (await fetch(`${srv!.url}/readyz`)).status === 200, 'recovery');
    const resumed = await readFor(read, 2500);
    assert.ok(resumed > during, 'publishing did not resume after the disk had room again');

    // Full again, then a crash while full.
    fill();
    await sleep(300);
    const servedBeforeCrash = (await read()).pl?.segments.length ?? 0;
    await readFor(read, 1500);
    await srv.kill9();
    rmSync(filler());
    const log = srv.printed;
    const failing = log.split('\n').filter((l) => l.includes('store failing'));
    const recovered = log.split('\n').filter((l) => l.includes('store recovered'));
    assert.equal(failing.length, 2, `one line per fault episode, got:\n${log}`);
    assert.equal(recovered.length, 1, `one line per recovery, got:\n${log}`);
    assert.doesNotMatch(log, /\n\s+at /, 'a stack trace was logged');
    assert.doesNotMatch(log, /publish failed|sample flush failed/);

    await srv.start();
    // Same msn, same content: `history` holds every segment served before, and
    // checkMediaPlaylist fails on any msn whose URI, duration or discontinuity changed.
    const after = await read();
    assert.equal(after.status, 200, after.body);
    assert.ok(
      (after.pl?.segments.length ?? 0) >= servedBeforeCrash,
      `served ${servedBeforeCrash} segments, ${after.pl?.segments.length} came back`,
    );
    // And it goes on: a player at the edge gets the next segment.
    const edge = after.pl?.segments ?? [];
    const viewer = await connectViewer(srv.url, s);
    try {
      const position = edge.reduce((sum, x) => sum + x.duration, 0);
      assert.deepEqual(await emitWithAck(viewer, 'playhead', { position }), { ok: true });
      const next = await read(`&_HLS_msn=${edge.length}`);
      assert.equal(next.status, 200, next.body);
      assert.ok((next.pl?.segments.length ?? 0) > edge.length, 'the resumed session is stuck');
    } finally {
      viewer.close();
    }
  });
});

/** SQLITE_FULL on every write while `failing` (what better-sqlite3 throws on a full disk). */
function flakyStore(inner: SqliteStore): { store: Store; failing: boolean } {
  const WRITES = new Set([
    'createSession',
    'updateSessionState',
    'endSession',
    'setSessionConsent',
    'appendDecision',
    'recordPublish',
    'appendSamples',
    'setAgentCursor',
    'setAgentCursors',
    'eraseSamples',
    'purgeSamplesBefore',
    'createShow',
    'endShow',
    'addSeats',
    'appendVote',
    'appendVoteResult',
    'appendNarration',
    'probe',
  ]);
  const state = { failing: false, store: inner as Store };
  state.store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (state.failing && WRITES.has(String(prop))) {
          throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return state;
}

describe('write-ahead decisions with SQLITE_FULL injected (real server, in-process)', function () {
  this.timeout(60_000);

  it('should hold publishing, answer 503, log once, recover, and keep every served msn stored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-flaky-'));
    const dbPath = join(dir, 'flaky.db');
    const flaky = flakyStore(SqliteStore.open(dbPath));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const story = await ensureDemoStory();
    const t = await startTestServer({ db: dbPath, story }, { store: flaky.store, log });
    try {
      const s = await createSession(t.url, { consent: true });
      const viewer = await connectViewer(t.url, s);
      const history = new PlaylistHistory();
      const read = playlistReader(s, history);
      await readFor(read, 1500);

      flaky.failing = true;
      await sleep(200);
      const atFault = (await read()).pl?.segments.length ?? 0;
      // Samples keep arriving while the store fails: acked, kept in memory, stored later.
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(await emitWithAck(viewer, 'sample', { bpm: 66 + i }), { ok: true });
      }
      assert.equal(await readFor(read, 2500), atFault, 'served a segment it could not store');
      await assertStoreFailing(t.url, read, dbPath);
      const create = await fetch(`${t.url}/api/sessions`, { method: 'POST' });
      assert.equal(create.status, 503);
      assert.equal(create.headers.get('retry-after'), '2');
      assert.equal(
        ((await create.json()) as { error: { code: string } }).error.code,
        'FRISSON_ERR_STORE_UNAVAILABLE',
      );

      flaky.failing = false;
      await until(async () => (await fetch(`${t.url}/readyz`)).status === 200, 'recovery');
      assert.ok((await readFor(read, 2000)) > atFault, 'publishing did not resume');
      const failing = lines.filter((l) => l.includes('store failing'));
      const recovered = lines.filter((l) => l.includes('store recovered'));
      assert.equal(failing.length, 1, failing.join('\n'));
      assert.equal(recovered.length, 1, recovered.join('\n'));
      assert.equal(
        lines.filter((l) => /"level":50/.test(l)).length,
        1,
        `errors besides the one fault line:\n${lines.join('')}`,
      );

      // Every msn a player saw is stored with the same URI; the samples of the outage too.
      const stored = await t.server.store.listDecisions(s.id);
      assert.ok(history.segments.size > 0);
      for (const [msn, seg] of history.segments) {
        const uri = stored.find((d) => d.msn === msn)?.uri ?? '(not stored)';
        assert.ok(seg.uri.endsWith(`/${uri}`), `msn ${msn}: served ${seg.uri}, stored ${uri}`);
      }
      await t.server.sessions.get(s.id)?.flushSamples(true);
      const bpms = (await t.server.store.listSamples(s.id)).map((x) => x.bpm);
      assert.deepEqual(bpms, [66, 67, 68, 69, 70]);
      viewer.close();
    } finally {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
