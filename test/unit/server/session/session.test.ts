import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ThresholdPicker } from '../../../../models/director/threshold-picker.js';
import { PickerDirector } from '../../../../server/session/deadline-director.js';
import { Session } from '../../../../server/session/session.js';
import { ViewerState } from '../../../../server/session/viewer-state.js';
import { SqliteStore } from '../../../../server/store/sqlite-store.js';
import { ViewerSignalProcessor } from '../../../../sensors/signal/viewer-signal-processor.js';
import { fixtureStory } from '../../../support/story-fixture.js';

describe('Session', () => {
  let now = 1_000_000;
  const clock = () => now;

  async function makeSession(store: SqliteStore): Promise<Session> {
    const record = {
      id: 's1',
      token: 't',
      storyId: 'fixture',
      kind: 'home' as const,
      createdAt: now,
      maxIntensity: 1,
      consent: false,
      endedAt: null,
      state: null,
    };
    await store.createSession(record);
    const picker = new ThresholdPicker();
    return new Session({
      record,
      story: fixtureStory(),
      store,
      director: new PickerDirector({ primary: picker, fallback: picker }),
      viewer: new ViewerState(new ViewerSignalProcessor()),
      log: pino({ level: 'silent' }),
      horizonSeconds: 1.5,
      clock,
    });
  }

  it('should extrapolate a playing playhead and hold a paused one', async () => {
    const store = SqliteStore.open(':memory:');
    const s = await makeSession(store);
    s.onPlayhead({ position: 2 }, now);
    now += 1000;
    assert.equal(s.playheadEstimate(now), 3);
    s.onPlayhead({ position: 3, paused: true }, now);
    now += 5000;
    assert.equal(s.playheadEstimate(now), 3);
    await s.destroy();
    await store.close();
  });

  it('should follow the most advanced of several players until it goes quiet', async () => {
    const store = SqliteStore.open(':memory:');
    const s = await makeSession(store);
    s.onPlayhead({ position: 10 }, now);
    s.onPlayhead({ position: 4 }, now + 100); // a second screen, behind
    assert.ok(Math.abs(s.playheadEstimate(now + 100) - 10.1) < 1e-9);
    now += 2500; // the advanced player stopped reporting: the other one takes over
    s.onPlayhead({ position: 6.5 }, now);
    assert.equal(s.playheadEstimate(now), 6.5);
    await s.destroy();
    await store.close();
  });

  it('should publish only within the horizon ahead of the playhead', async () => {
    const store = SqliteStore.open(':memory:');
    const s = await makeSession(store);
    while (s.isDue(now)) await s.publishNext();
    assert.equal(s.segments().length, 2, '1.5 s horizon with 1 s segments → 2 segments');
    s.onPlayhead({ position: 1.2 }, now);
    assert.equal(s.isDue(now), true);
    await s.publishNext();
    assert.equal(s.isDue(now), false);
    const decisions = await store.listDecisions('s1');
    assert.deepEqual(
      decisions.map((d) => d.msn),
      [0, 1, 2],
    );
    await s.destroy();
    await store.close();
  });
});
