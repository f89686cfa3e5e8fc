import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ThresholdPicker } from '../../../../models/director/threshold-picker.js';
import { PickerDirector } from '../../../../server/session/deadline-director.js';
import { SessionManager } from '../../../../server/session/session-manager.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import { fixtureStory } from '../../../support/story-fixture.js';

describe('SessionManager', () => {
  it('should drop an ended session from memory after the grace period, keeping its records', async () => {
    let now = 5_000_000;
    const store = SqliteStore.open(':memory:');
    const picker = new ThresholdPicker();
    const manager = new SessionManager({
      story: fixtureStory(),
      store,
      log: pino({ level: 'silent' }),
      horizonSeconds: 1.5,
      createDirector: () => new PickerDirector({ primary: picker, fallback: picker }),
      createSignal: () => new ViewerSignalProcessor(),
      clock: () => now,
      endedGraceMs: 10_000,
    });
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
});
