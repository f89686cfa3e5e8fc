/**
 * `frisson load --mode home` (tools/load/home-player.ts, home-driver.ts) against a real hub with
 * the demo story: ten simulated players create sessions, hold blocking reloads, fetch segments and
 * subtitles, report playheads and send samples. On an idle server every segment must be in hand on
 * time, every sample acknowledged, and the hub must hold the sessions the players created.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { collect, newPlayerStats, startPlayers } from '../../tools/load/home-driver.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('frisson load, home mode (real player traffic)', function () {
  this.timeout(120_000);
  let t: TestServer;

  before(async () => {
    t = await startTestServer({ story: await ensureDemoStory() });
  });
  after(async () => {
    await t.close();
  });

  it('should play ten sessions without a stall and acknowledge every sample', async () => {
    const stats = newPlayerStats();
    const run = await startPlayers(
      { url: t.url, sessions: 10, rate: 1, connectConcurrency: 4, ackTimeoutMs: 2000 },
      stats,
    );
    try {
      assert.equal(run.failed, 0, run.firstError ?? '');
      assert.equal(t.server.sessions.size, 10);
      await sleep(1500);
      stats.inWindow = true;
      await sleep(4000);
      stats.inWindow = false;
      await sleep(500);
      const r = collect(stats, run.players.length, run.failed);
      assert.equal(r.connected, 10);
      assert.ok(r.latencies.playlistBeyondHold.length >= 20, 'blocking reloads answered');
      assert.ok(r.latencies.segment.length >= 20, 'segments fetched');
      assert.ok(r.latencies.subtitle.length > 0, 'subtitle segments fetched');
      assert.equal(r.counters.stalls, 0);
      assert.equal(r.counters.segmentsOnTime, r.counters.segmentsPlayed);
      assert.ok(r.counters.samplesSent >= 30);
      assert.equal(r.counters.samplesAcked, r.counters.samplesSent);
      assert.ok(r.counters.decisions > 0);
      assert.deepEqual(r.httpErrors, {});
      // The server saw the players' playheads: no session reports a stall.
      for (const s of t.server.sessions.list()) assert.equal(s.stallCount, 0);
    } finally {
      run.stop();
    }
  });
});
