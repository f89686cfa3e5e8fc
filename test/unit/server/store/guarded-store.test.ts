import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { FrissonError } from '../../../../contracts/errors.js';
import { GuardedStore, isStoreUnavailable } from '../../../../server/store/guarded-store.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import type { SessionRecord, Store } from '../../../../server/store/store.js';

const record: SessionRecord = {
  id: 's',
  token: 't',
  storyId: 'x',
  kind: 'home',
  createdAt: 1,
  maxIntensity: 1,
  consent: false,
  endedAt: null,
  state: null,
};

/** A real in-memory SqliteStore whose writes throw SQLite's disk-full error while `full`. */
function fullable(): { store: Store; full: boolean } {
  const inner = SqliteStore.open(':memory:');
  const state = { full: false, store: inner as Store };
  const fail = (): never => {
    throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  };
  state.store = Object.assign(Object.create(inner) as Store, {
    createSession: (r: SessionRecord) => (state.full ? fail() : inner.createSession(r)),
    setAgentCursor: (id: string, seq: number) =>
      state.full ? fail() : inner.setAgentCursor(id, seq),
    probe: () => (state.full ? fail() : inner.probe()),
  });
  return state;
}

describe('GuardedStore', () => {
  let now = 0;
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  const faults: string[] = [];
  const make = (inner: Store): GuardedStore =>
    new GuardedStore(inner, {
      name: 'test.db',
      log,
      clock: () => now,
      quietMs: 2000,
      probeMs: 60_000,
      onFault: (op, code) => faults.push(`${op}:${code}`),
    });
  beforeEach(() => {
    now = 1_000_000;
    lines.length = 0;
    faults.length = 0;
  });

  it('should turn a disk-full error into a coded 503, count it, and log one line per episode', async () => {
    const f = fullable();
    const g = make(f.store);
    f.full = true;
    for (let i = 0; i < 50; i++) {
      now += 10;
      await assert.rejects(g.setAgentCursor('a', i), (err: unknown) => {
        assert.ok(isStoreUnavailable(err));
        assert.equal((err as FrissonError).status, 503);
        return true;
      });
    }
    assert.equal(faults.length, 50);
    assert.equal(faults[0], 'setAgentCursor:SQLITE_FULL');
    assert.equal(lines.length, 1, lines.join(''));
    assert.match(lines[0] ?? '', /store failing: SQLITE_FULL \(database or disk is full\)/);
    assert.doesNotMatch(lines[0] ?? '', /"stack"/);
    const h = g.health();
    assert.equal(h.ok, false);
    assert.match(
      g.describeFault() ?? '',
      /^test\.db: SQLITE_FULL .* on setAgentCursor since .*, 50 failed/,
    );
    // Reads still work on a full disk, and do not count as recovery.
    assert.equal(await g.getAgentCursor('a'), 0);
    assert.equal(g.health().ok, false);

    f.full = false;
    now += 500;
    await g.setAgentCursor('a', 1); // succeeds, but too soon after the last fault to call it over
    assert.equal(g.health().ok, false);
    now += 2000;
    await g.setAgentCursor('a', 2);
    assert.deepEqual(g.health(), { ok: true });
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', /store recovered/);
    await g.close();
  });

  it('should pass constraint and non-SQLite errors through unchanged and uncounted', async () => {
    const g = make(SqliteStore.open(':memory:'));
    await g.createSession(record);
    await assert.rejects(g.createSession(record), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
      return true;
    });
    assert.deepEqual(g.health(), { ok: true });
    assert.equal(faults.length, 0);
    assert.equal(lines.length, 0);
    await g.close();
    await assert.rejects(g.getSession('s'), (err: unknown) => !isStoreUnavailable(err));
  });
});
