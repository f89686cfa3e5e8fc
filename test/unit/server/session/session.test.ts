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

  async function makeSession(
    store: SqliteStore,
    horizon: { horizonSeconds?: number; maxHorizonSeconds?: number; id?: string } = {},
  ): Promise<Session> {
    const record = {
      id: horizon.id ?? 's1',
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
      horizonSeconds: horizon.horizonSeconds ?? 1.5,
      ...(horizon.maxHorizonSeconds !== undefined
        ? { maxHorizonSeconds: horizon.maxHorizonSeconds }
        : {}),
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

  describe('adaptive horizon', () => {
    const adaptive = { horizonSeconds: 1, maxHorizonSeconds: 3 };
    /** Seconds published ahead of the playhead. */
    const ahead = (s: Session): number =>
      s.segments().reduce((sum, g) => sum + g.duration, 0) - s.playheadEstimate(now);

    it('should decide the next segment earlier once its player reported a stall', async () => {
      const store = SqliteStore.open(':memory:');
      const slow = await makeSession(store, { ...adaptive, id: 'slow' });
      const smooth = await makeSession(store, { ...adaptive, id: 'smooth' });
      for (const s of [slow, smooth]) {
        while (s.isDue(now)) await s.publishNext();
        assert.equal(s.segments().length, 1, '1 s horizon with 1 s segments → 1 segment');
      }
      now += 300;
      smooth.onPlayhead({ position: 0.1 }, now);
      slow.onPlayhead({ position: 0.1, stalled: true }, now);
      assert.equal(smooth.horizonSeconds(now), 1);
      assert.equal(slow.horizonSeconds(now), 1.5);
      // Same position, 0.9 s ahead: both are due (the slow one since its stall, at 1.5 s).
      assert.equal(ahead(smooth), ahead(slow));
      assert.equal(smooth.isDue(now), true);
      assert.equal(slow.isDue(now), true);
      now += 50;
      smooth.onPlayhead({ position: 0.1, paused: true }, now);
      slow.onPlayhead({ position: 0.1, paused: true }, now);
      while (smooth.isDue(now)) await smooth.publishNext();
      while (slow.isDue(now)) await slow.publishNext();
      assert.equal(smooth.segments().length, 2);
      assert.equal(slow.segments().length, 2);
      // From 1.9 s ahead the smooth session waits until < 1 s is left; the slow one decides at < 1.5 s.
      smooth.onPlayhead({ position: 0.7 }, now);
      slow.onPlayhead({ position: 0.7 }, now);
      assert.ok(Math.abs(ahead(slow) - 1.3) < 1e-9);
      assert.equal(slow.isDue(now), true, 'decided 1.3 s ahead of the screen');
      assert.equal(smooth.isDue(now), false);
      now += 400; // both playheads at 1.1: 0.9 s ahead
      assert.equal(smooth.isDue(now), true, 'decided only 0.9 s ahead of the screen');
      assert.equal(slow.stallCount, 1);
      for (const s of [slow, smooth]) await s.destroy();
      await store.close();
    });

    it('should widen once per stall episode and never above the cap', async () => {
      const store = SqliteStore.open(':memory:');
      const s = await makeSession(store, adaptive);
      s.onPlayhead({ position: 0, stalled: true }, now);
      s.onPlayhead({ position: 0, stalled: true }, now + 500); // the same rebuffer, reported twice
      assert.equal(s.horizonSeconds(now + 500), 1.5);
      for (let i = 1; i <= 10; i++) s.onPlayhead({ position: 0, stalled: true }, now + i * 2500);
      now += 25_000;
      assert.equal(s.horizonSeconds(now), 3, 'capped at maxHorizonSeconds');
      assert.equal(s.stallCount, 12);
      s.onPlayhead({ position: 0, paused: true }, now);
      while (s.isDue(now)) await s.publishNext();
      assert.equal(s.segments().length, 3, '3 s ahead at most, however many stalls');
      await s.destroy();
      await store.close();
    });

    it('should narrow back to the configured horizon after a stall-free stretch', async () => {
      const store = SqliteStore.open(':memory:');
      const s = await makeSession(store, adaptive);
      const stallAt = now;
      s.onPlayhead({ position: 0, stalled: true }, stallAt);
      s.onPlayhead({ position: 0, stalled: true }, stallAt + 2000);
      assert.equal(s.horizonSeconds(stallAt + 2000), 2);
      assert.equal(s.horizonSeconds(stallAt + 2000 + 29_999), 2, 'nothing for 30 s');
      assert.equal(s.horizonSeconds(stallAt + 2000 + 30_000), 1.75);
      assert.equal(s.horizonSeconds(stallAt + 2000 + 90_000), 1.25);
      assert.equal(s.horizonSeconds(stallAt + 2000 + 120_000), 1);
      assert.equal(s.horizonSeconds(stallAt + 2000 + 600_000), 1, 'never below the configured');
      // A new stall widens from where the narrowing had got to.
      s.onPlayhead({ position: 0, stalled: true }, stallAt + 2000 + 60_000);
      assert.equal(s.horizonSeconds(stallAt + 2000 + 60_000), 2);
      await s.destroy();
      await store.close();
    });

    it('should never widen without a cap above the configured horizon', async () => {
      const store = SqliteStore.open(':memory:');
      const s = await makeSession(store, { horizonSeconds: 1 });
      s.onPlayhead({ position: 0, stalled: true }, now);
      assert.equal(s.horizonSeconds(now), 1);
      await s.destroy();
      await store.close();
    });

    it('should never change a published decision when the horizon widens or narrows', async () => {
      const store = SqliteStore.open(':memory:');
      const s = await makeSession(store, adaptive);
      const start = now;
      const snapshots: string[][] = [];
      const snap = (): string[] => s.segments().map((g) => `${g.msn} ${g.title} ${g.uri}`);
      let position = 0;
      const step = async (stalled = false, paused = false): Promise<void> => {
        s.onPlayhead({ position, stalled, paused }, now);
        while (s.isDue(now)) await s.publishNext();
        snapshots.push(snap());
        assert.ok(ahead(s) >= 0, 'the playhead never overtakes the published edge');
      };
      // Playback reported every 250 ms; the player stalls at 0.5 s and 2.5 s (wider: 2 s ahead).
      for (let t = 0; t <= 3000; t += 250) {
        now = start + t;
        const stalled = t === 500 || t === 2500;
        await step(stalled);
        if (!stalled) position += 0.25;
      }
      assert.equal(s.horizonSeconds(now), 2);
      // Paused for a minute: the horizon narrows to 1.5 s; then play to the end of the film.
      await step(false, true);
      now += 60_000;
      assert.equal(s.horizonSeconds(now), 1.5);
      while (!s.ended) {
        await step();
        now += 250;
        position += 0.25;
      }
      assert.ok(snapshots.length > 10);
      for (let i = 1; i < snapshots.length; i++) {
        const before = snapshots[i - 1] ?? [];
        assert.deepEqual(snapshots[i]?.slice(0, before.length), before, `tick ${i}`);
      }
      const stored = await store.listDecisions(s.id);
      assert.deepEqual(
        stored.map((d) => `${d.msn} ${d.scene}/${d.level} ${d.uri}`),
        snap(),
        'the store holds exactly what was published, in order',
      );
      await s.destroy();
      await store.close();
    });
  });
});
