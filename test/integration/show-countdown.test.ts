/**
 * A venue show's "next decision in N s" (ShowStatus.upcoming.inSeconds) follows the screen
 * session's own horizon, which widens when the screen's player stalls (adaptive-horizon.ts): the
 * countdown and the moment the screen session actually decides stay the same thing.
 */
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

const OPERATOR_KEY = 'operator-key-for-tests';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('show countdown (real server)', function () {
  this.timeout(30_000);
  let t: TestServer;

  before(async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, horizon: 1, horizonMax: 3 });
  });
  after(async () => {
    await t.close();
  });

  it("should count down to the screen session's decision with its stall-widened horizon", async () => {
    const created = (await (
      await fetch(`${t.url}/api/shows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
        body: JSON.stringify({ seats: ['A1'], voteSeconds: 60 }),
      })
    ).json()) as { id: string };
    const show = t.server.shows.get(created.id);
    const screen = show?.screenSession;
    assert.ok(show && screen);
    await sleep(200);
    // The screen holds at its start: 1 s published, the next decision is due now.
    screen.onPlayhead({ position: 0, paused: true }, Date.now());
    await sleep(200);
    assert.equal(screen.segments().length, 1);
    assert.equal(screen.horizonSeconds(Date.now()), 1);
    assert.equal(show.status().upcoming.inSeconds, 0);
    // Its player stalls: the screen session publishes a second segment (2 s ahead, horizon
    // 1.5 s), and the countdown says the next decision comes 0.5 s of playback from now.
    screen.onPlayhead({ position: 0, paused: true, stalled: true }, Date.now());
    await sleep(300);
    assert.equal(screen.segments().length, 2);
    assert.equal(screen.horizonSeconds(Date.now()), 1.5);
    const inSeconds = show.status().upcoming.inSeconds;
    assert.ok(inSeconds !== null && Math.abs(inSeconds - 0.5) < 1e-9, `inSeconds ${inSeconds}`);
    // Playback reaches that point: the screen session decides, as the countdown said.
    screen.onPlayhead({ position: 0.51, paused: true }, Date.now());
    await sleep(300);
    assert.equal(screen.segments().length, 3);
  });
});
