import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ThresholdPicker } from '../../../../models/director/threshold-picker.js';
import { PickerDirector } from '../../../../server/session/deadline-director.js';
import { SessionManager } from '../../../../server/session/session-manager.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import type { StoredSample } from '../../../../server/store/store.js';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import { fixtureStory } from '../../../support/story-fixture.js';

/** A manager of the fixture story whose sessions decide by the threshold rule, on `clock`. */
function ruleManager(
  store: SqliteStore,
  clock: () => number,
  extra: Partial<ConstructorParameters<typeof SessionManager>[0]> = {},
): SessionManager {
  const picker = new ThresholdPicker();
  return new SessionManager({
    story: fixtureStory(),
    store,
    log: pino({ level: 'silent' }),
    horizonSeconds: 1.5,
    createDirector: () => new PickerDirector({ primary: picker, fallback: picker }),
    createSignal: () => new ViewerSignalProcessor(),
    clock,
    ...extra,
  });
}

describe('SessionManager', () => {
  it('should drop an ended session from memory after the grace period, keeping its records', async () => {
    let now = 5_000_000;
    const store = SqliteStore.open(':memory:');
    const manager = ruleManager(store, () => now, { endedGraceMs: 10_000 });
    const removed: string[] = [];
    manager.on('removed', (id) => removed.push(id));
    const s = await manager.create({});
    for (let i = 0; i < 20 && !s.ended; i++) {
      s.onPlayhead({ position: s.segments().reduce((a, x) => a + x.duration, 0) }, now);
      await s.publishNext();
    }
    assert.equal(s.ended, true);
    manager.tick();
    assert.equal(manager.size, 1, 'kept during the grace period');
    now += 10_001;
    manager.tick();
    assert.equal(manager.size, 0);
    assert.deepEqual(removed, [s.id]);
    assert.equal(manager.get(s.id), undefined);
    assert.ok((await store.listDecisions(s.id)).length >= 5, 'decisions stay in the store');
    await manager.close();
    await store.close();
  });

  it('should write every session’s samples in one store write, and fall back to one write per session when that fails', async () => {
    let now = 5_000_000;
    const store = SqliteStore.open(':memory:');
    const writes: string[][] = [];
    let failBatches = false;
    // The real store; only its appendSamples is watched (and made to refuse mixed batches).
    const append = store.appendSamples.bind(store);
    store.appendSamples = (samples: StoredSample[]) => {
      const ids = [...new Set(samples.map((x) => x.sessionId))];
      writes.push(ids);
      if (failBatches && ids.length > 1) return Promise.reject(new Error('disk says no'));
      return append(samples);
    };
    const manager = ruleManager(store, () => now);
    const sessions = await Promise.all([
      manager.create({ consent: true }),
      manager.create({ consent: true }),
      manager.create({ consent: true }),
    ]);
    const settle = () => new Promise((r) => setTimeout(r, 5));
    const feed = () => {
      for (const s of sessions) assert.ok(s.onSample({ t: now, bpm: 70 }).ok);
    };

    feed();
    now += 1_000;
    manager.tick();
    await settle();
    assert.equal(writes.length, 1, 'one write for three sessions');
    assert.equal(writes[0]?.length, 3);
    for (const s of sessions) assert.equal(await store.countSamples(s.id), 1);

    // Within the batch period nothing is written; after it, the next batch.
    feed();
    now += 100;
    manager.tick();
    await settle();
    assert.equal(writes.length, 1);

    failBatches = true;
    now += 1_000;
    manager.tick();
    await settle();
    // The batch was refused: each session wrote its own, in order, nothing lost.
    assert.equal(writes.length, 1 + 1 + 3);
    for (const s of sessions) assert.equal(await store.countSamples(s.id), 2);

    // A session erased while its batch failed stores nothing of it.
    feed();
    sessions[0]?.withdrawConsent();
    now += 1_000;
    manager.tick();
    await settle();
    assert.equal(await store.countSamples(sessions[0]?.id ?? ''), 2);
    assert.equal(await store.countSamples(sessions[1]?.id ?? ''), 3);
    await manager.close();
    await store.close();
  });
});
