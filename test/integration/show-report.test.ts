/**
 * Post-show reports (viewer and show): series, scene bands, votes, recap and recommendations, in
 * English and Simplified Chinese; the report page renders them with uPlot is covered by e2e.
 */
import assert from 'node:assert/strict';
import type { ReportData } from '../../contracts/report.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

const OPERATOR_KEY = 'operator-key-for-tests';

describe('reports (real server)', function () {
  this.timeout(30_000);
  let t: TestServer;
  const sockets: ViewerClient[] = [];

  before(async () => {
    // 1.5 s: two decisions at creation, so the viewer's report has ≥ 2 arousal points at once.
    t = await startTestServer({ operatorKey: OPERATOR_KEY, horizon: 1.5 });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it("should report a viewer's heart rate, arousal, scenes, recap and recommendations", async () => {
    const s = await createSession(t.url, { consent: true });
    const v = await connectViewer(t.url, s);
    sockets.push(v);
    for (let i = 0; i < 4; i++) await emitWithAck(v, 'sample', { bpm: 70 + i * 10 });
    await t.server.sessions.get(s.id)?.flushSamples();
    const res = await fetch(`${t.url}/api/reports/sessions/${s.id}?lang=en`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    assert.equal(res.status, 200);
    const r = (await res.json()) as ReportData;
    assert.equal(r.kind, 'session');
    assert.ok(r.heartRate.length >= 1);
    assert.equal(Math.max(...r.heartRate.map((p) => p[1])) >= 70, true);
    assert.ok(r.arousal.length >= 2);
    assert.equal(r.scenes[0]?.scene, 'a');
    assert.match(r.recap[0] ?? '', /^You watched "Fixture": 1 scene, A\./);
    assert.ok(!r.recap.some((l) => /\b1 times\b/.test(l)), r.recap.join(' | '));
    assert.equal(r.target.length, r.arousal.length);
    assert.ok(r.target.every(([, v]) => v >= 0.2 && v <= 0.8));
    // Each decision carries the reason the HUD showed; this viewer had a heart strap.
    assert.ok(r.decisions.length >= 2);
    assert.ok(
      r.decisions.every((d) => d.why.endsWith(`→ ${d.level}`)),
      r.decisions[0]?.why,
    );
    assert.ok(r.recap.some((l) => /Heart rate peaked at \d+ bpm/.test(l)));
    // The library holds only the story just seen: nothing to recommend, never itself.
    assert.deepEqual(r.recommendations, []);
    const zh = (await (
      await fetch(
        `${t.url}/api/reports/sessions/${s.id}?lang=zh-CN&token=${encodeURIComponent(s.token)}`,
      )
    ).json()) as ReportData;
    assert.match(zh.recap[0] ?? '', /^你观看了《Fixture》/);
    const other = await createSession(t.url);
    const denied = await fetch(
      `${t.url}/api/reports/sessions/${s.id}?token=${encodeURIComponent(other.token)}`,
    );
    assert.equal(denied.status, 403);
  });

  it('should report a show with its vote result in the recap', async () => {
    const created = (await (
      await fetch(`${t.url}/api/shows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
        body: JSON.stringify({ seats: ['A1'], voteSeconds: 60 }),
      })
    ).json()) as { id: string; seats: Array<{ token: string }> };
    const show = t.server.shows.get(created.id);
    const screen = show?.screenSession;
    assert.ok(show && screen);
    // Play to the branch (scene b opens the vote), vote, then let the branch decide.
    screen.onPlayhead({ position: 1 }, Date.now());
    await new Promise((r) => setTimeout(r, 200));
    await fetch(`${t.url}/api/shows/${created.id}/votes`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${created.seats[0]?.token}`,
      },
      body: JSON.stringify({ seat: 'A1', option: 'c' }),
    });
    screen.onPlayhead({ position: 3 }, Date.now());
    await new Promise((r) => setTimeout(r, 300));
    const res = await fetch(`${t.url}/api/reports/shows/${created.id}`, {
      headers: { 'x-frisson-operator-key': OPERATOR_KEY },
    });
    assert.equal(res.status, 200);
    const r = (await res.json()) as ReportData;
    assert.deepEqual(
      r.votes.map((v) => [v.branch, v.winner, v.rule, v.votes]),
      [['door', 'c', 'majority', 1]],
    );
    assert.ok(r.recap.some((l) => l.includes('the audience chose "C" with 1 votes (majority)')));
    assert.ok(r.scenes.some((s) => s.scene === 'c'));
  });
});
