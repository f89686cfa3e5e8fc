import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreOpenError } from '../../../../server/store/sqlite-file.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import {
  ERASE_ALL_SOURCES,
  type DecisionRecord,
  type SessionRecord,
} from '../../../../server/store/store.js';
import { hashToken } from '../../../../server/store/token-hash.js';

function session(id: string, token = 't'): SessionRecord {
  return {
    id,
    token,
    storyId: 'x',
    kind: 'show',
    createdAt: 1,
    maxIntensity: 1,
    consent: true,
    endedAt: null,
    state: null,
  };
}

function decision(msn: number): DecisionRecord {
  return {
    sessionId: 's',
    msn,
    at: 1,
    scene: 'a',
    level: 'calm',
    segmentIndex: msn,
    uri: `a/${msn}.ts`,
    duration: 1,
    discontinuity: false,
    picker: 'rule',
    fallback: false,
    reason: 'test',
    arousal: 0,
    latencyMs: 0.1,
  };
}

describe('SqliteStore', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should create its file on first open and keep data across reopen', async () => {
    const path = join(dir, 'sub', 'frisson.db');
    const a = SqliteStore.open(path);
    await a.createSession({
      id: 's',
      token: 't',
      storyId: 'x',
      kind: 'home',
      createdAt: 1,
      maxIntensity: 1,
      consent: false,
      endedAt: null,
      state: null,
    });
    await a.recordPublish(decision(0), '{"p":0}');
    await a.close();
    const b = SqliteStore.open(path);
    assert.equal((await b.getSession('s'))?.state, '{"p":0}');
    assert.deepEqual(
      (await b.listDecisions('s')).map((d) => d.msn),
      [0],
    );
    assert.equal(await b.getAgentCursor('agent-1'), 0, 'a new agent starts at cursor 0');
    await b.close();
  });

  it('should publish a decision and its story position atomically, never rewriting a decision', async () => {
    const s = SqliteStore.open(join(dir, 'atomic.db'));
    await s.createSession({
      id: 's',
      token: 't',
      storyId: 'x',
      kind: 'home',
      createdAt: 1,
      maxIntensity: 1,
      consent: false,
      endedAt: null,
      state: null,
    });
    await s.recordPublish(decision(0), 'after-0');
    await assert.rejects(s.recordPublish(decision(0), 'after-dup'), /UNIQUE|constraint/i);
    assert.equal((await s.getSession('s'))?.state, 'after-0', 'a refused decision moved the state');
    assert.equal((await s.listDecisions('s'))[0]?.uri, 'a/0.ts');
    await s.close();
  });

  it('should commit the publishes of one turn together, refusing only the one that cannot be stored', async () => {
    const s = SqliteStore.open(join(dir, 'group.db'));
    for (const id of ['s', 't']) await s.createSession(session(id));
    await s.recordPublish(decision(0), 's-0');
    // Transactions run, watched on the real connection.
    const db = (s as unknown as { db: { transaction: (fn: () => void) => () => void } }).db;
    const transaction = db.transaction.bind(db);
    let transactions = 0;
    db.transaction = (fn) => {
      transactions++;
      return transaction(fn);
    };
    const results = await Promise.allSettled([
      s.recordPublish(decision(1), 's-1'),
      s.recordPublish({ ...decision(0), sessionId: 't' }, 't-0'),
      s.recordPublish(decision(0), 's-dup'), // msn 0 of s is stored: refused
      s.recordPublish({ ...decision(1), sessionId: 't' }, 't-1'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    // One group (refused as a whole because of the duplicate), then each alone.
    assert.equal(transactions, 1 + 4);
    assert.deepEqual(
      (await s.listDecisions('s')).map((d) => d.msn),
      [0, 1],
    );
    assert.equal((await s.getSession('s'))?.state, 's-1');
    assert.equal((await s.getSession('t'))?.state, 't-1');

    transactions = 0;
    await Promise.all([2, 3, 4].map((m) => s.recordPublish(decision(m), `s-${m}`)));
    assert.equal(transactions, 1, 'three publishes of one turn, one transaction');
    // A publish asked for just before close is committed, not dropped.
    const last = s.recordPublish(decision(5), 's-5');
    await s.close();
    await last;
    const again = SqliteStore.open(join(dir, 'group.db'));
    assert.equal((await again.getSession('s'))?.state, 's-5');
    await again.close();
  });

  it('should refuse a second open of a database it holds, naming the holder', async () => {
    const path = join(dir, 'held.db');
    const a = SqliteStore.open(path);
    try {
      assert.throws(
        () => SqliteStore.open(path),
        (err: unknown) =>
          err instanceof StoreOpenError &&
          err.message.includes(path) &&
          err.message.includes(`in use by this process (pid ${process.pid})`),
      );
    } finally {
      await a.close();
    }
    // Released on close: the next open succeeds.
    await SqliteStore.open(path).close();
  });

  it('should refuse an empty file rather than start a new database in it', () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    assert.throws(() => SqliteStore.open(path), /is an empty file \(0 bytes\)/);
    assert.equal(statSync(path).size, 0);
  });

  it('should create a new database 0600 and keep no plaintext session token', async () => {
    const path = join(dir, 'tokens.db');
    const s = SqliteStore.open(path);
    await s.createSession(session('s', 'bearer-token-in-plaintext-0123456789'));
    assert.equal(
      (await s.getSession('s'))?.token,
      hashToken('bearer-token-in-plaintext-0123456789'),
    );
    await s.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path).includes('bearer-token-in-plaintext'), false);
  });

  it('should erase one source durably: scrubbed from the file and never stored again', async () => {
    const path = join(dir, 'erase.db');
    const a = SqliteStore.open(path);
    await a.createSession(session('show'));
    const rows = (seat: string, rr: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        sessionId: 'show',
        source: seat,
        t: 1000 + i,
        bpm: 70,
        rr: [rr],
      }));
    await a.appendSamples([...rows('A1', 913.7, 50), ...rows('A2', 802.5, 50)]);
    assert.equal(await a.eraseSamples('show', 'A1', 5000), 50);
    // Queued before the erase, flushed after it: still not stored.
    await a.appendSamples(rows('A1', 913.7, 3));
    await a.close();
    assert.equal(readFileSync(path).includes('913.7'), false, 'erased value left in the file');
    assert.equal(readFileSync(path).includes('802.5'), true);

    const b = SqliteStore.open(path);
    assert.deepEqual(await b.listErasures('show'), ['A1']);
    await b.appendSamples([...rows('A1', 913.7, 2), ...rows('A2', 802.5, 2)]);
    assert.equal((await b.listSamples('show', { source: 'A1' })).length, 0);
    assert.equal((await b.listSamples('show', { source: 'A2' })).length, 52);
    assert.equal(await b.eraseSamples('show', ERASE_ALL_SOURCES, 6000), 52);
    await b.appendSamples(rows('A3', 700.1, 1));
    assert.equal(await b.countSamples('show'), 0, 'an erase of every source covers new seats too');
    await b.close();
  });
});
