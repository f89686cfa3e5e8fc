import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import type { DecisionRecord } from '../../../../server/store/store.js';

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
    assert.throws(() => void s.recordPublish(decision(0), 'after-dup'), /UNIQUE|constraint/i);
    assert.equal((await s.getSession('s'))?.state, 'after-0', 'a refused decision moved the state');
    assert.equal((await s.listDecisions('s'))[0]?.uri, 'a/0.ts');
    await s.close();
  });
});
