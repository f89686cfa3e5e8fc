/**
 * One edge for local and cluster-forwarded events (issue 19): a viewer on hub B whose session hub A
 * serves gets, for an invalid, an out-of-range and an over-rate event, exactly the acknowledgement
 * a viewer on hub A gets — the relay passes B's rate limit and schema and A's limits, and A's error
 * message reaches the client. Real redis-server, two real hub processes, real socket.io clients.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect } from 'socket.io-client';
import { ensureDemoStory } from '../support/demo-story.js';
import { startTwoHubs, type TwoHubs } from '../support/cluster.js';
import type { ViewerClient } from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const SECRET = 'cluster-edge-secret-0123456789abcdef';
const BURST = 5;

type Ack =
  { ok: true } | { ok: false; error: { code: string; message: string; details?: unknown } };

function viewer(url: string, s: { id: string; token: string }): ViewerClient {
  return connect(url, {
    transports: ['websocket'],
    auth: { sessionId: s.id, token: s.token },
    forceNew: true,
    reconnection: false,
  });
}

async function connected(socket: ViewerClient): Promise<void> {
  const t0 = Date.now();
  while (!socket.connected) {
    if (Date.now() - t0 > 10_000) throw new Error('socket did not connect');
    await sleep(20);
  }
}

const send = async (s: ViewerClient, ev: 'sample' | 'playhead', p: unknown): Promise<Ack> =>
  (await s.timeout(5000).emitWithAck(ev, p)) as Ack;

describe('cluster mode: one inbound edge (redis-server, two hub processes)', function () {
  this.timeout(120_000);
  let dir: string;
  let rig: TwoHubs | undefined;
  const sockets: ViewerClient[] = [];

  before(async function () {
    await requireSystem(this, 'redis-server');
    const story = await ensureDemoStory();
    dir = await mkdtemp(join(tmpdir(), 'frisson-cluster-edge-'));
    rig = await startTwoHubs({
      story,
      dir,
      // One event per second after a burst of 5: the over-rate case is reached at once.
      env: { FRISSON_SECRET: SECRET, FRISSON_RATE_LIMIT: '1', FRISSON_RATE_BURST: String(BURST) },
    });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await rig?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should answer a forwarded invalid, out-of-range or over-rate event as a local one', async () => {
    const res = await fetch(`${rig!.hubA.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 201);
    const s = (await res.json()) as { id: string; token: string };
    const local = viewer(rig!.hubA.url, s);
    const forwarded = viewer(rig!.hubB.url, s);
    sockets.push(local, forwarded);
    await Promise.all([connected(local), connected(forwarded)]);

    const cases: Array<['sample' | 'playhead', unknown]> = [
      ['sample', { bpm: 'fast' }],
      ['sample', { bpm: 300 }],
      ['sample', { bpm: 80, rr: [100] }],
      ['playhead', { position: -1 }],
    ];
    for (const [ev, payload] of cases) {
      const here = await send(local, ev, payload);
      const there = await send(forwarded, ev, payload);
      assert.equal(here.ok, false, `${ev} ${JSON.stringify(payload)} accepted locally`);
      assert.deepEqual(there, here, `${ev} ${JSON.stringify(payload)}`);
      if (!there.ok) assert.ok(there.error.message.length > 0);
    }
    assert.equal((await send(local, 'sample', { bpm: 80 })).ok, true);

    // Over the rate: both sides refuse the same way once their session's budget is spent.
    const flood = async (sock: ViewerClient): Promise<string[]> => {
      const acks = await Promise.all(
        Array.from({ length: BURST * 2 }, () => send(sock, 'sample', { bpm: 80 })),
      );
      return acks.map((a) => (a.ok ? 'ok' : a.error.code));
    };
    const [onA, onB] = await Promise.all([flood(local), flood(forwarded)]);
    for (const [side, codes] of [
      ['local', onA],
      ['forwarded', onB],
    ] as const) {
      assert.ok(
        codes.includes('FRISSON_ERR_RATE_LIMITED'),
        `${side}: no rate limit in ${codes.join(',')}`,
      );
      assert.ok(
        codes.every((c) => c === 'ok' || c === 'FRISSON_ERR_RATE_LIMITED'),
        codes.join(),
      );
    }
  });
});
