/**
 * The agent cursor write-behind cache over a real SQLite store: slots read and advance cursors in
 * memory, flushes write every changed cursor once, nothing advanced is lost on flush failure,
 * eviction or close.
 */
import assert from 'node:assert/strict';
import { AgentCursorCache, type CursorStore } from '../../../../server/hub/agent-cursor-cache.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';

/** The real store, with a switch that makes the batched write fail (a full disk, a lock). */
function failingStore(store: SqliteStore): CursorStore & { failing: boolean; flushes: number } {
  const s = {
    failing: false,
    flushes: 0,
    getAgentCursor: (id: string) => store.getAgentCursor(id),
    setAgentCursor: (id: string, seq: number) => store.setAgentCursor(id, seq),
    setAgentCursors(entries: ReadonlyArray<readonly [string, number]>): Promise<void> {
      s.flushes++;
      if (s.failing) return Promise.reject(new Error('disk full'));
      return store.setAgentCursors(entries);
    },
  };
  return s;
}

describe('AgentCursorCache', () => {
  it('should serve a slot only once the cursor is in memory, and advance it without I/O', async () => {
    const store = SqliteStore.open(':memory:');
    await store.setAgentCursor('a', 7);
    const cache = new AgentCursorCache({ store, flushMs: 60_000 });
    assert.equal(cache.slot('a'), undefined);
    assert.equal(await cache.getAgentCursor('a'), 7);
    const slot = cache.slot('a');
    assert.ok(slot?.live);
    slot.advance(8);
    slot.advance(9);
    assert.equal(cache.slot('a')?.seq, 9);
    assert.equal(await cache.getAgentCursor('a'), 9);
    assert.equal(await store.getAgentCursor('a'), 7, 'written behind, not yet');
    await cache.flush();
    assert.equal(await store.getAgentCursor('a'), 9);
    await cache.close();
    await store.close();
  });

  it('should write each changed agent once per flush, with its newest cursor', async () => {
    const store = SqliteStore.open(':memory:');
    const s = failingStore(store);
    const cache = new AgentCursorCache({ store: s, flushMs: 60_000 });
    for (let seq = 1; seq <= 50; seq++) {
      await cache.setAgentCursor('a', seq);
      await cache.setAgentCursor('b', seq * 2);
    }
    await cache.flush();
    assert.equal(s.flushes, 1);
    assert.equal(await store.getAgentCursor('a'), 50);
    assert.equal(await store.getAgentCursor('b'), 100);
    await cache.flush();
    assert.equal(s.flushes, 1, 'nothing changed: no write');
    await cache.close();
    await store.close();
  });

  it('should keep cursors whose flush failed, and not let them overwrite newer ones', async () => {
    const store = SqliteStore.open(':memory:');
    const s = failingStore(store);
    const errors: unknown[] = [];
    const cache = new AgentCursorCache({
      store: s,
      flushMs: 60_000,
      onError: (e) => errors.push(e),
    });
    await cache.setAgentCursor('a', 3);
    await cache.setAgentCursor('b', 4);
    s.failing = true;
    await cache.flush();
    assert.equal(errors.length, 1);
    cache.slot('a')?.advance(5);
    s.failing = false;
    await cache.flush();
    assert.equal(await store.getAgentCursor('a'), 5);
    assert.equal(await store.getAgentCursor('b'), 4);
    await cache.close();
    await store.close();
  });

  it('should evict only stored cursors, and a held evicted slot should still land its advance', async () => {
    const store = SqliteStore.open(':memory:');
    const cache = new AgentCursorCache({ store, flushMs: 60_000, maxEntries: 2 });
    await cache.setAgentCursor('a', 1);
    await cache.setAgentCursor('b', 1);
    await cache.flush();
    const held = cache.slot('a');
    assert.ok(held);
    await cache.setAgentCursor('c', 1); // full: the clean a and b are evicted
    assert.equal(held.live, false);
    assert.equal(cache.slot('a'), undefined);
    held.advance(2);
    assert.equal(cache.slot('a')?.seq, 2);
    await cache.setAgentCursor('d', 1); // a is dirty again: kept
    assert.equal(cache.slot('a')?.seq, 2);
    await cache.flush();
    assert.equal(await store.getAgentCursor('a'), 2);
    assert.equal(await store.getAgentCursor('c'), 1);
    await cache.close();
    await store.close();
  });

  it('should hand a read-in-again agent’s advance to its current slot, not the evicted one', async () => {
    const store = SqliteStore.open(':memory:');
    const cache = new AgentCursorCache({ store, flushMs: 60_000, maxEntries: 1 });
    await cache.setAgentCursor('a', 1);
    await cache.flush();
    const stale = cache.slot('a');
    assert.ok(stale);
    await cache.setAgentCursor('b', 1); // evicts a
    await cache.flush();
    assert.equal(await cache.getAgentCursor('a'), 1); // read in again: a new slot (evicts b)
    const current = cache.slot('a');
    assert.ok(current && current !== stale);
    stale.advance(4);
    assert.equal(current.seq, 4);
    await cache.close();
    assert.equal(await store.getAgentCursor('a'), 4);
    await store.close();
  });

  it('should write through to the store once closed, and drop its slots', async () => {
    const store = SqliteStore.open(':memory:');
    const cache = new AgentCursorCache({ store, flushMs: 60_000 });
    await cache.setAgentCursor('a', 1);
    const held = cache.slot('a');
    await cache.close();
    assert.equal(await store.getAgentCursor('a'), 1, 'flushed on close');
    assert.equal(held?.live, false);
    assert.equal(cache.slot('a'), undefined);
    await cache.setAgentCursor('a', 2);
    assert.equal(await store.getAgentCursor('a'), 2);
    await store.close();
  });
});
