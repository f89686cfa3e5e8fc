/**
 * Issue 7 acceptance: a show with 100 simulated seats through the agent protocol (`/seats`) and a
 * screen client (`/screens`); a vote window resolves by the documented rule; the operator's forced
 * scene is the next one published. Fixture story (test/support/story-fixture.ts): a → b → branch
 * "door" (c | d, default d).
 */
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import type { ShowDecision, VoteState } from '../../contracts/wire.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectSocket, waitFor } from '../support/sockets.js';

const OPERATOR_KEY = 'operator-key-for-tests';

interface CreatedShowBody {
  id: string;
  screenSessionId: string;
  token: string;
  seats: Array<{ seat: string; token: string }>;
}

const connect = connectSocket;

export async function createShow(url: string, body: object): Promise<CreatedShowBody> {
  const res = await fetch(`${url}/api/shows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreatedShowBody;
}

describe('venue show (100 seats, screen, votes, operator)', function () {
  this.timeout(60_000);
  let t: TestServer;
  const sockets: Socket[] = [];

  before(async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, calibration: 2 });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('should steer the screen by the audience vote and then by the operator', async () => {
    const show = await createShow(t.url, { seatCount: 100, consent: true, voteSeconds: 120 });
    assert.equal(show.seats.length, 100);
    const screen = await connect(`${t.url}/screens`, { showId: show.id, token: show.token });
    const agent = await connect(`${t.url}/seats`, { token: show.token });
    const operator = await connect(`${t.url}/operators`, { showId: show.id, key: OPERATOR_KEY });
    sockets.push(screen, agent, operator);
    const decisions: ShowDecision[] = [];
    screen.on('decision', (d: ShowDecision) => decisions.push(d));

    // The sensor agent: hello, then one batch per second of every seat (resting heart rates).
    const hello = (await agent.timeout(5000).emitWithAck('hello', { agentId: 'agent-1' })) as {
      ok: boolean;
      cursor: number;
    };
    assert.equal(hello.ok, true);
    let seq = Math.max(0, hello.cursor);
    const t0 = Date.now();
    for (let k = 0; k < 3; k++) {
      const samples = show.seats.map((s, i) => ({
        seat: s.seat,
        t: t0 + k * 1000,
        bpm: 62 + (i % 15),
        contact: true,
      }));
      const ack = (await agent
        .timeout(5000)
        .emitWithAck('batch', { agentId: 'agent-1', seq: ++seq, samples })) as {
        ok: boolean;
        ackedThrough: number;
      };
      assert.deepEqual(ack, { ok: true, ackedThrough: seq });
    }
    const audience = await waitFor<{ seats: unknown[] }>(
      operator,
      'audience',
      (a) => a.seats.length === 100,
    );
    assert.equal(audience.seats.length, 100);

    // The screen plays: a/0, a/1 are out; reaching scene b (which ends in the branch) opens the vote.
    const opened = waitFor<VoteState>(screen, 'vote', (v) => v.result === undefined);
    await screen.timeout(5000).emitWithAck('playhead', { position: 1 });
    const vote = await opened;
    assert.equal(vote.branch, 'door');
    assert.deepEqual(
      vote.options.map((o) => o.scene),
      ['c', 'd'],
    );
    assert.equal(vote.defaultOption, 'd');

    // 55 seats vote c, 45 vote d (the default): majority rule → c.
    const results = await Promise.all(
      show.seats.map((s, i) =>
        fetch(`${t.url}/api/shows/${show.id}/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
          body: JSON.stringify({ seat: s.seat, option: i < 55 ? 'c' : 'd' }),
        }).then((r) => r.status),
      ),
    );
    assert.deepEqual([...new Set(results)], [202]);
    // A seat token cannot vote for another seat.
    const other = await fetch(`${t.url}/api/shows/${show.id}/votes`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${show.seats[0]?.token}`,
      },
      body: JSON.stringify({ seat: 'S002', option: 'd' }),
    });
    assert.equal(other.status, 403);

    // Playing on reaches the branch: the vote closes and its winner is published.
    const closed = waitFor<VoteState>(screen, 'vote', (v) => v.result !== undefined);
    const branchTaken = waitFor<ShowDecision>(
      screen,
      'decision',
      (d) => d.scene !== 'b' && d.scene !== 'a',
    );
    for (const position of [2, 3]) await screen.timeout(5000).emitWithAck('playhead', { position });
    const result = (await closed).result;
    assert.deepEqual(result, { winner: 'c', rule: 'majority', votes: 100 });
    const taken = await branchTaken;
    assert.equal(taken.scene, 'c');
    assert.match(taken.reason, /audience vote: c \(majority, 100 votes\)/);

    // The operator forces scene d: it is the very next segment published.
    const forceAck = (await operator.timeout(5000).emitWithAck('force', { scene: 'd' })) as {
      ok: boolean;
    };
    assert.equal(forceAck.ok, true);
    const before = decisions.length;
    const next = waitFor<ShowDecision>(screen, 'decision', () => true);
    await screen.timeout(5000).emitWithAck('playhead', { position: 4 });
    const forced = await next;
    assert.equal(decisions.length, before + 1);
    assert.equal(forced.scene, 'd');
    assert.match(forced.reason, /operator forced scene d/);

    // Stored: seats, votes, the vote result, and the seat samples (the venue consented).
    const store = t.server.store;
    assert.equal((await store.listSeats(show.id)).length, 100);
    assert.equal((await store.listVotes(show.id)).length, 100);
    const vr = await store.listVoteResults(show.id);
    assert.equal(vr[0]?.winner, 'c');
    await t.server.shows.get(show.id)?.flushSamples();
    assert.equal(await store.countSamples(show.screenSessionId), 300);
  });

  it('should resolve a vote nobody answered to the default', async () => {
    const show = await createShow(t.url, { seatCount: 3, voteSeconds: 120 });
    const screen = await connect(`${t.url}/screens`, { showId: show.id, token: show.token });
    sockets.push(screen);
    const closed = waitFor<VoteState>(screen, 'vote', (v) => v.result !== undefined);
    const branch = waitFor<ShowDecision>(
      screen,
      'decision',
      (d) => d.scene === 'c' || d.scene === 'd',
    );
    for (const position of [1, 2, 3])
      await screen.timeout(5000).emitWithAck('playhead', { position });
    assert.deepEqual((await closed).result, { winner: 'd', rule: 'no-votes-default', votes: 0 });
    assert.equal((await branch).scene, 'd');
  });

  it('should resume a show after a restart with its tokens still valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-show-restart-'));
    const db = join(dir, 'show.db');
    const cfg = { db, operatorKey: OPERATOR_KEY, secret: 'restart-secret-0123456789' };
    try {
      const first = await startTestServer(cfg);
      const show = await createShow(first.url, { seats: ['A1', 'A2'] });
      await first.close();
      const second = await startTestServer(cfg);
      try {
        const res = await fetch(
          `${second.url}/api/shows/${show.id}?token=${encodeURIComponent(show.token)}`,
        );
        assert.equal(res.status, 200);
        const snap = (await res.json()) as { seats: Array<{ seat: string }> };
        assert.deepEqual(snap.seats.map((x) => x.seat).sort(), ['A1', 'A2']);
        const screen = await connect(`${second.url}/screens`, {
          showId: show.id,
          token: show.token,
        });
        screen.close();
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should pause, change the cap and end the show from the operator namespace', async () => {
    const show = await createShow(t.url, { seatCount: 2 });
    const operator = await connect(`${t.url}/operators`, { showId: show.id, key: OPERATOR_KEY });
    const screen = await connect(`${t.url}/screens`, { showId: show.id, token: show.token });
    sockets.push(operator, screen);
    const paused = waitFor<{ action: string }>(screen, 'control', (c) => c.action === 'pause');
    assert.deepEqual(await operator.timeout(5000).emitWithAck('pause', {}), { ok: true });
    await paused;
    const published = t.server.sessions.get(show.screenSessionId)?.segments().length;
    await screen.timeout(5000).emitWithAck('playhead', { position: 3 });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(t.server.sessions.get(show.screenSessionId)?.segments().length, published);
    assert.deepEqual(await operator.timeout(5000).emitWithAck('resume', {}), { ok: true });
    assert.deepEqual(await operator.timeout(5000).emitWithAck('cap', { maxIntensity: 0.4 }), {
      ok: true,
    });
    // Segments published before the cap changed may be above it; none after it may be.
    const beforeCap = t.server.sessions.get(show.screenSessionId)?.segments().length ?? 0;
    const bad = (await operator.timeout(5000).emitWithAck('cap', { maxIntensity: 7 })) as {
      ok: boolean;
      error?: { code: string };
    };
    assert.equal(bad.error?.code, 'FRISSON_ERR_INVALID_PAYLOAD');
    const unknown = (await operator.timeout(5000).emitWithAck('force', { scene: 'nope' })) as {
      error?: { code: string };
    };
    assert.equal(unknown.error?.code, 'FRISSON_ERR_SCENE_NOT_FOUND');
    const ended = waitFor<{ showId: string }>(screen, 'ended', () => true);
    assert.deepEqual(await operator.timeout(5000).emitWithAck('end', {}), { ok: true });
    await ended;
    const playlist = await fetch(
      `${t.url}/sessions/${show.screenSessionId}/playlist.m3u8?token=${encodeURIComponent(show.token)}`,
    ).then((r) => r.text());
    assert.match(playlist, /#EXT-X-ENDLIST/);
    const levels =
      t.server.sessions
        .get(show.screenSessionId)
        ?.segments()
        .slice(beforeCap)
        .map((s) => s.title) ?? [];
    assert.ok(
      levels.every((l) => !l.endsWith('/scare')),
      levels.join(),
    );
  });
});
