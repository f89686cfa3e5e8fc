/** `--simulate N`: simulated viewers reach their sessions through the real HTTP API and hub. */
import assert from 'node:assert/strict';
import type { SimulatedViewerInfo } from '../../contracts/wire.js';
import {
  pickPersonalities,
  startSimulatedViewers,
  type SimulatedViewer,
} from '../../tools/simulate.js';
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

  it('should list the viewers at stable /api/sim/N URLs with distinct personalities', async () => {
    t.server.simulated.attach(() => viewers.map((v) => v.info()));
    const list = (await fetch(`${t.url}/api/sim`).then((r) => r.json())) as SimulatedViewerInfo[];
    assert.deepEqual(
      list.map((v) => v.index),
      [1, 2],
    );
    assert.ok(list[0]!.susceptibility > list[1]!.susceptibility, 'most susceptible first');
    const one = (await fetch(`${t.url}/api/sim/2`).then((r) => r.json())) as SimulatedViewerInfo;
    assert.equal(one.session.id, viewers[1]!.session.id);
    assert.equal((await fetch(`${t.url}/api/sim/3`)).status, 404);
    // The watch pages are the built client's; without a build express answers a coded 404.
    assert.notEqual((await fetch(`${t.url}/watch/sim/1`)).status, 500);
    assert.equal((await fetch(`${t.url}/watch/sim/9`)).status, 404);
  });
});

describe('simulated viewers looping', function () {
  this.timeout(40_000);
  let t: TestServer;
  let viewers: SimulatedViewer[] = [];
  before(async () => {
    t = await startTestServer({ calibration: 2 });
  });
  after(async () => {
    viewers.forEach((v) => v.close());
    await t.close();
  });

  it('should start a new session from the start when its film ends, under the same index', async () => {
    viewers = await startSimulatedViewers({
      baseUrl: t.url,
      story: t.server.story,
      count: 1,
      seed: 5,
      stepS: 0.5,
    });
    const first = viewers[0]!.info();
    const deadline = Date.now() + 30_000;
    while (viewers[0]!.info().run === 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const next = viewers[0]!.info();
    assert.equal(next.index, first.index);
    assert.equal(next.run, 2);
    assert.notEqual(next.session.id, first.session.id);
    // The new session starts at the story's start.
    const text = await fetch(next.session.playlistUrl).then((r) => r.text());
    assert.match(text, /#EXTINF:[\d.]+,a\//);
  });
});

describe('simulated viewer personalities', () => {
  it('should spread susceptibility and keep hearts that show it', () => {
    const people = pickPersonalities(1, 3);
    const sigma = people.map((p) => p.params.susceptibility);
    assert.ok(sigma[0]! > sigma[1]! && sigma[1]! > sigma[2]!, `σ ${sigma.join(', ')}`);
    assert.ok(sigma[0]! / sigma[2]! > 2, `σ spread ${sigma.join(', ')}`);
    assert.ok(people.every((p) => p.params.cardiacReactivity >= 6));
    assert.deepEqual(
      people.map((p) => p.label.kind),
      ['jumpy', 'steady', 'unflappable'],
    );
  });
});
