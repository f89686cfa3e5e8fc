/**
 * Venue shows in cluster mode against a real redis-server and two real hub processes (`frisson
 * serve` with FRISSON_REDIS_URL, a shared FRISSON_SECRET and FRISSON_OPERATOR_KEY): a show created
 * on hub A whose screen plays from A, driven by an operator on hub B (REST and `/operators`), seen
 * by a second screen on B; both hubs report one consistent show. Fixture story
 * (test/support/story-fixture.ts): a → b → branch "door" (c | d); d is a one-segment ending.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';
import type { ShowDecision, ShowSnapshot, ShowStatus } from '../../contracts/wire.js';
import { checkMediaPlaylist, type ParsedPlaylist } from '../support/playlist-conformance.js';
import { startTwoHubs, type TwoHubs } from '../support/cluster.js';
import type { ServerProcess } from '../support/processes.js';
import { writeFixtureStoryDir } from '../support/server.js';
import { connectSocket, waitFor } from '../support/sockets.js';
import { requireSystem } from '../support/system-deps.js';

const SECRET = 'cluster-show-test-secret-0123456789';
const OPERATOR_KEY = 'cluster-show-operator-key';

interface CreatedShowBody {
  id: string;
  screenSessionId: string;
  token: string;
  playlistUrl: string;
  seats: Array<{ seat: string; token: string }>;
}

type Ack = { ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>;

const connect = (url: string, auth: object): Promise<Socket> =>
  connectSocket(url, auth, { forceNew: true });

const operatorHeaders = {
  'content-type': 'application/json',
  'x-frisson-operator-key': OPERATOR_KEY,
};

async function getShow(url: string, id: string): Promise<ShowSnapshot> {
  const res = await fetch(`${url}/api/shows/${id}`, { headers: operatorHeaders });
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as ShowSnapshot;
}

async function playlist(url: string): Promise<ParsedPlaylist> {
  const res = await fetch(url);
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${res.status} ${text.slice(0, 200)}`);
  return checkMediaPlaylist(text);
}

/** The status fields that do not depend on the moment they are read. */
function stable(s: ShowStatus): Omit<ShowStatus, 'upcoming'> {
  const { upcoming: _u, ...rest } = s;
  return rest;
}

const brief = (d: ShowDecision) => ({ msn: d.msn, scene: d.scene, level: d.level, uri: d.uri });

describe('cluster mode: venue shows (redis-server, two hub processes)', function () {
  this.timeout(60_000);
  let dir: string;
  let rig: TwoHubs | undefined;
  let hubA: ServerProcess | undefined;
  let hubB: ServerProcess | undefined;
  const sockets: Socket[] = [];

  before(async function () {
    await requireSystem(this, 'redis-server');
    dir = await mkdtemp(join(tmpdir(), 'frisson-cluster-show-'));
    const story = await writeFixtureStoryDir(dir);
    rig = await startTwoHubs({
      story,
      dir,
      env: {
        FRISSON_SECRET: SECRET,
        FRISSON_OPERATOR_KEY: OPERATOR_KEY,
        FRISSON_CALIBRATION_S: '2',
        // The steps below count the segments published at creation (a/0, a/1): pinned, not the default.
        FRISSON_HORIZON: '1.5',
      },
    });
    ({ hubA, hubB } = rig);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await rig?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should let an operator on hub B steer a show that hub A plays, consistently on both', async () => {
    // The show is created on (and owned by) hub A.
    const res = await fetch(`${hubA!.url}/api/shows`, {
      method: 'POST',
      headers: operatorHeaders,
      body: JSON.stringify({ seatCount: 3, voteSeconds: 120 }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const show = (await res.json()) as CreatedShowBody;
    const playlistPath = new URL(show.playlistUrl).pathname + new URL(show.playlistUrl).search;

    const screenA = await connect(`${hubA!.url}/screens`, { showId: show.id, token: show.token });
    const screenB = await connect(`${hubB!.url}/screens`, { showId: show.id, token: show.token });
    const operatorB = await connect(`${hubB!.url}/operators`, {
      showId: show.id,
      key: OPERATOR_KEY,
    });
    sockets.push(screenA, screenB, operatorB);
    const decisionsA: ShowDecision[] = [];
    const decisionsScreenB: ShowDecision[] = [];
    const decisionsOperatorB: ShowDecision[] = [];
    screenA.on('decision', (d: ShowDecision) => decisionsA.push(d));
    screenB.on('decision', (d: ShowDecision) => decisionsScreenB.push(d));
    operatorB.on('decision', (d: ShowDecision) => decisionsOperatorB.push(d));

    // A wrong operator key or an unknown show is still refused on B.
    await assert.rejects(
      connect(`${hubB!.url}/operators`, { showId: show.id, key: 'not-the-operator-key' }),
      (err: Error & { data?: { code: string } }) => err.data?.code === 'FRISSON_ERR_UNAUTHORIZED',
    );
    await assert.rejects(
      connect(`${hubB!.url}/operators`, { showId: 'no-such-show', key: OPERATOR_KEY }),
      (err: Error & { data?: { code: string } }) => err.data?.code === 'FRISSON_ERR_SHOW_NOT_FOUND',
    );

    // Seats: the agent must connect to the show's owner; on B it is refused with a coded error.
    await assert.rejects(
      connect(`${hubB!.url}/seats`, { token: show.token }),
      (err: Error & { data?: { code: string; message: string } }) =>
        err.data?.code === 'FRISSON_ERR_SHOW_ELSEWHERE' && /node "a"/.test(err.data.message),
    );
    const agent = await connect(`${hubA!.url}/seats`, { token: show.token });
    sockets.push(agent);
    const samples = show.seats.map((s, i) => ({
      seat: s.seat,
      t: Date.now(),
      bpm: 64 + i,
      contact: true,
    }));
    const batch = (await agent
      .timeout(5000)
      .emitWithAck('batch', { agentId: 'agent-1', seq: 1, samples })) as Ack;
    assert.deepEqual(batch, { ok: true, ackedThrough: 1 });

    // The operator's snapshot on B is the owner's: same status and decisions as A's REST answer.
    const snapAck = (await operatorB.timeout(5000).emitWithAck('snapshot', {})) as Ack & {
      snapshot: ShowSnapshot;
    };
    assert.equal(snapAck.ok, true);
    const restA = await getShow(hubA!.url, show.id);
    assert.equal(snapAck.snapshot.showId, show.id);
    assert.deepEqual(stable(snapAck.snapshot.status), stable(restA.status));
    assert.deepEqual(snapAck.snapshot.decisions.map(brief), restA.decisions.map(brief));
    assert.deepEqual(
      snapAck.snapshot.seats.map((s) => s.seat),
      show.seats.map((s) => s.seat),
    );

    // Pause from B (socket): A's screen is told, B's operator sees the owner's status.
    const pausedOnScreen = waitFor<{ action: string }>(
      screenA,
      'control',
      (c) => c.action === 'pause',
    );
    const pausedOnScreenB = waitFor<{ action: string }>(
      screenB,
      'control',
      (c) => c.action === 'pause',
    );
    const pausedStatus = waitFor<ShowStatus>(operatorB, 'status', (s) => s.paused);
    assert.deepEqual(await operatorB.timeout(5000).emitWithAck('pause', {}), { ok: true });
    await Promise.all([pausedOnScreen, pausedOnScreenB, pausedStatus]);
    assert.equal((await getShow(hubB!.url, show.id)).status.paused, true);
    // Paused: the screen's playhead (held still: `paused`) is due on A but nothing is published.
    const published = (await playlist(`${hubB!.url}${playlistPath}`)).segments.length;
    assert.equal(published, 2); // a/0, a/1 at creation (1.5 s horizon)
    const playhead = async (position: number): Promise<void> => {
      const ack = await screenA.timeout(5000).emitWithAck('playhead', { position, paused: true });
      assert.deepEqual(ack, { ok: true });
    };
    await playhead(1);
    await sleep(400);
    assert.equal((await playlist(`${hubB!.url}${playlistPath}`)).segments.length, published);

    // Resume from B over REST: forwarded to A, answered with A's status.
    const resumed = await fetch(`${hubB!.url}/api/shows/${show.id}/control`, {
      method: 'POST',
      headers: operatorHeaders,
      body: JSON.stringify({ action: 'resume' }),
    });
    assert.equal(resumed.status, 200);
    const resumedBody = (await resumed.json()) as { ok: boolean; status: ShowStatus };
    assert.equal(resumedBody.status.paused, false);
    assert.equal((await getShow(hubA!.url, show.id)).status.paused, false);
    // Resumed: A publishes the segment that was due (b/0), seen in the playlist from B.
    let afterResume = await playlist(`${hubB!.url}${playlistPath}`);
    const t1 = Date.now();
    while (afterResume.segments.length <= published && Date.now() - t1 < 5000) {
      await sleep(50);
      afterResume = await playlist(`${hubB!.url}${playlistPath}`);
    }
    assert.equal(afterResume.segments.length, published + 1);
    assert.match(afterResume.segments[published]?.uri ?? '', /\bb\/\w+\/0\.ts$/);
    // REST validation and error codes are the owner's.
    const badRest = await fetch(`${hubB!.url}/api/shows/${show.id}/control`, {
      method: 'POST',
      headers: operatorHeaders,
      body: JSON.stringify({ action: 'cap', maxIntensity: 3 }),
    });
    assert.equal(badRest.status, 400);
    assert.equal(
      ((await badRest.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_INVALID_PAYLOAD',
    );

    // Cap from B (socket), validated at B's edge; an unknown scene is refused by the owner.
    assert.deepEqual(await operatorB.timeout(5000).emitWithAck('cap', { maxIntensity: 0.4 }), {
      ok: true,
    });
    const badCap = (await operatorB.timeout(5000).emitWithAck('cap', { maxIntensity: 7 })) as Ack;
    assert.equal(badCap.error?.code, 'FRISSON_ERR_INVALID_PAYLOAD');
    const unknown = (await operatorB.timeout(5000).emitWithAck('force', { scene: 'nope' })) as Ack;
    assert.equal(unknown.error?.code, 'FRISSON_ERR_SCENE_NOT_FOUND');
    assert.equal((await getShow(hubA!.url, show.id)).status.maxIntensity, 0.4);

    // Force scene d from B: B's operator sees it pending; it is the next segment A publishes.
    const forcedStatus = waitFor<ShowStatus>(operatorB, 'status', (s) => s.forced === 'd');
    assert.deepEqual(await operatorB.timeout(5000).emitWithAck('force', { scene: 'd' }), {
      ok: true,
    });
    await forcedStatus;
    assert.equal((await getShow(hubB!.url, show.id)).status.forced, 'd');
    const before = await playlist(`${hubA!.url}${playlistPath}`);
    const onOperator = waitFor<ShowDecision>(operatorB, 'decision', (d) => d.scene === 'd');
    const onScreenB = waitFor<ShowDecision>(screenB, 'decision', (d) => d.scene === 'd');
    const ended = waitFor<{ showId: string }>(operatorB, 'ended', () => true);
    assert.equal(before.segments.length, published + 1, 'nothing published since the resume');
    const edge = before.segments.reduce((a, s) => a + s.duration, 0);
    await playhead(edge - 1);
    const forced = await onOperator;
    assert.match(forced.reason, /operator forced scene d/);
    assert.equal(forced.msn, before.segments.length, 'the forced scene is the next segment');
    assert.ok(!forced.level.endsWith('scare'), `capped level, got ${forced.level}`);
    assert.deepEqual(brief(await onScreenB), brief(forced));
    // d is an ending: the show ends and B's operator is told.
    assert.equal((await ended).showId, show.id);

    // The playlist from either hub: the forced segment follows what was there before.
    const plA = await playlist(`${hubA!.url}${playlistPath}`);
    const plB = await playlist(`${hubB!.url}${playlistPath}`);
    assert.deepEqual(
      plB.segments.map((s) => s.uri),
      plA.segments.map((s) => s.uri),
    );
    const next = plA.segments[before.segments.length];
    assert.ok(next, 'no segment after the forced decision');
    assert.equal(
      next.uri.split('/').slice(-3).join('/'),
      forced.uri.split('/').slice(-3).join('/'),
    );
    assert.match(next.uri, /\bd\/calm\/0\.ts$/);

    // Every decision reached the screen on A, the screen on B and the operator on B alike.
    const t0 = Date.now();
    while (decisionsOperatorB.length < decisionsA.length && Date.now() - t0 < 3000) {
      await sleep(20);
    }
    assert.ok(decisionsA.length >= 1);
    assert.deepEqual(decisionsOperatorB.map(brief), decisionsA.map(brief));
    assert.deepEqual(decisionsScreenB.map(brief), decisionsA.map(brief));

    // Both hubs report the same show state.
    const [finalA, finalB] = await Promise.all([
      getShow(hubA!.url, show.id),
      getShow(hubB!.url, show.id),
    ]);
    assert.deepEqual(finalB.status, finalA.status);
    assert.equal(finalA.status.ended, true);
    assert.equal(finalA.status.maxIntensity, 0.4);
    assert.deepEqual(finalB.decisions, finalA.decisions);
    assert.deepEqual(finalA.decisions.at(-1) && brief(finalA.decisions.at(-1)!), brief(forced));
    // A control after the end: the owner's code, relayed to B's operator.
    const late = (await operatorB.timeout(5000).emitWithAck('pause', {})) as Ack;
    assert.equal(late.error?.code, 'FRISSON_ERR_SHOW_ENDED');
  });

  it('should let hub B adopt a show with its screen session after hub A is killed', async () => {
    const res = await fetch(`${hubA!.url}/api/shows`, {
      method: 'POST',
      headers: operatorHeaders,
      body: JSON.stringify({ seats: ['A1', 'A2'], voteSeconds: 120 }),
    });
    assert.equal(res.status, 201);
    const show = (await res.json()) as CreatedShowBody;
    const playlistPath = new URL(show.playlistUrl).pathname + new URL(show.playlistUrl).search;
    const beforeKill = await playlist(`${hubB!.url}${playlistPath}`);
    assert.equal(beforeKill.segments.length, 2);
    await hubA!.kill9();

    // B adopts once A's node key expires (6 s TTL); until then it answers 503 (owner unreachable).
    let snap: ShowSnapshot | undefined;
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      const r = await fetch(`${hubB!.url}/api/shows/${show.id}`, { headers: operatorHeaders });
      if (r.status === 200) {
        snap = (await r.json()) as ShowSnapshot;
        break;
      }
      assert.equal(r.status, 503, await r.text());
      await sleep(250);
    }
    assert.ok(snap, 'hub B never adopted the show');
    assert.equal(snap.status.ended, false);
    assert.deepEqual(snap.seats.map((x) => x.seat).sort(), ['A1', 'A2']);

    // The adopted show is steered on B: the forced scene is its next segment, after A's ones.
    const operator = await connect(`${hubB!.url}/operators`, {
      showId: show.id,
      key: OPERATOR_KEY,
    });
    const screen = await connect(`${hubB!.url}/screens`, { showId: show.id, token: show.token });
    const agent = await connect(`${hubB!.url}/seats`, { token: show.token });
    sockets.push(operator, screen, agent);
    const batch = (await agent.timeout(5000).emitWithAck('batch', {
      agentId: 'agent-2',
      seq: 1,
      samples: [{ seat: 'A1', t: Date.now(), bpm: 70, contact: true }],
    })) as Ack;
    assert.deepEqual(batch, { ok: true, ackedThrough: 1 });
    assert.deepEqual(await operator.timeout(5000).emitWithAck('force', { scene: 'c' }), {
      ok: true,
    });
    const forced = waitFor<ShowDecision>(operator, 'decision', () => true);
    await screen.timeout(5000).emitWithAck('playhead', { position: 1, paused: true });
    const d = await forced;
    assert.equal(d.scene, 'c');
    assert.equal(d.msn, beforeKill.segments.length);
    const after = await playlist(`${hubB!.url}${playlistPath}`);
    assert.deepEqual(
      after.segments.slice(0, beforeKill.segments.length).map((x) => x.uri),
      beforeKill.segments.map((x) => x.uri),
    );
    assert.match(after.segments[beforeKill.segments.length]?.uri ?? '', /\bc\/\w+\/0\.ts$/);
  });
});
