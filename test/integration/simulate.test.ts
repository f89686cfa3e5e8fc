/** `--simulate N`: simulated viewers reach their sessions through the real HTTP API and hub. */
import assert from 'node:assert/strict';
import { startSimulatedViewers, type SimulatedViewer } from '../../tools/simulate.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('simulated viewers', function () {
  this.timeout(30_000);
  let t: TestServer;
  let viewers: SimulatedViewer[] = [];
  before(async () => {
    t = await startTestServer({ calibration: 2 });
  });
  after(async () => {
    viewers.forEach((v) => v.close());
    await t.close();
  });

  it('should drive each simulated heart into its own session', async () => {
    viewers = await startSimulatedViewers({
      baseUrl: t.url,
      story: t.server.story,
      count: 2,
      seed: 3,
      stepS: 0.5,
    });
    assert.equal(new Set(viewers.map((v) => v.session.id)).size, 2);
    const deadline = Date.now() + 15_000;
    let rates: Array<number | null> = [];
    while (Date.now() < deadline) {
      rates = viewers.map(
        (v) => t.server.sessions.get(v.session.id)?.viewerSnapshot(Date.now()).heartRate ?? null,
      );
      if (rates.every((r) => r !== null)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(
      rates.every((r) => r !== null && r > 40 && r < 120),
      `heart rates ${rates.join(',')}`,
    );
  });
});
