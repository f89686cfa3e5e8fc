/**
 * Cluster mode against a real redis-server and two real hub processes (`frisson serve` with
 * FRISSON_REDIS_URL, a shared FRISSON_SECRET): one session seen consistently from both hubs, a
 * viewer on one hub and an observer on the other, the session adopted by the surviving hub after
 * `kill -9`, and a Redis restart (empty, no persistence) that playback rides through.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import type { DecisionEvent } from '../../contracts/wire.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { checkMediaPlaylist, type ParsedPlaylist } from '../support/playlist-conformance.js';
import { startTwoHubs } from '../support/cluster.js';
import type { ServerProcess } from '../support/processes.js';
import type { RedisServer } from '../support/redis.js';
import type { ViewerClient } from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const SECRET = 'cluster-test-secret-0123456789abcdef';

async function playlist(url: string, query = ''): Promise<ParsedPlaylist> {
  const res = await fetch(`${url}${query}`);
  const text = await res.text();
  assert.equal(res.status, 200, `${url}${query}: ${res.status} ${text.slice(0, 200)}`);
  return checkMediaPlaylist(text);
}

const edge = (pl: ParsedPlaylist): number => pl.segments.reduce((a, s) => a + s.duration, 0);
const uris = (pl: ParsedPlaylist): string[] => pl.segments.map((s) => s.uri);

function viewer(url: string, s: { id: string; token: string }): ViewerClient {
  return connect(url, {
    transports: ['websocket'],
    auth: { sessionId: s.id, token: s.token },
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
}

async function connected(socket: ViewerClient, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!socket.connected) {
    if (Date.now() - t0 > ms) throw new Error('socket did not connect');
    await sleep(50);
  }
}

describe('cluster mode (redis-server, two hub processes)', function () {
  this.timeout(120_000);
  let dir: string;
  let redis: RedisServer | undefined;
  let hubA: ServerProcess | undefined;
  let hubB: ServerProcess | undefined;
  let probe: Redis | undefined;
  const sockets: ViewerClient[] = [];
  let session: { id: string; token: string; path: string };

  before(async function () {
    await requireSystem(this, 'redis-server');
    const story = await ensureDemoStory();
    dir = await mkdtemp(join(tmpdir(), 'frisson-cluster-'));
    const rig = await startTwoHubs({ story, dir, env: { FRISSON_SECRET: SECRET } });
    ({ redis, hubA, hubB } = rig);
    probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    await probe.connect();
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    probe?.disconnect();
    await Promise.all([hubA?.stop(), hubB?.stop()]);
    await redis?.down();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should serve one session consistently from both hubs: viewer on A, observer on B', async () => {
    const res = await fetch(`${hubA!.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 201);
    const created = (await res.json()) as { id: string; token: string; playlistUrl: string };
    const path = new URL(created.playlistUrl).pathname + new URL(created.playlistUrl).search;
    session = { id: created.id, token: created.token, path };

    const onA = viewer(hubA!.url, session);
    const onB = viewer(hubB!.url, session);
    sockets.push(onA, onB);
    const seenOnB: DecisionEvent[] = [];
    onB.on('decision', (d) => seenOnB.push(d));
    await Promise.all([connected(onA), connected(onB)]);

    // Samples and playhead go to hub A; hub B's playlist serves what A's session publishes.
    let plB = await playlist(`${hubB!.url}${path}`);
    for (let i = 0; i < 4; i++) {
      const ack = (await onA.timeout(5000).emitWithAck('sample', { bpm: 80 + i })) as {
        ok: boolean;
      };
      assert.equal(ack.ok, true);
      onA.emit('playhead', { position: edge(plB) });
      plB = await playlist(`${hubB!.url}${path}`, `&_HLS_msn=${plB.segments.length}`);
    }
    const plA = await playlist(`${hubA!.url}${path}`);
    assert.deepEqual(uris(plB), uris(plA).slice(0, plB.segments.length));
    // The observer on B got A's decisions through the Redis adapter.
    const t0 = Date.now();
    while (seenOnB.length < 3 && Date.now() - t0 < 5000) await sleep(20);
    assert.ok(seenOnB.length >= 3, `observer on B saw ${seenOnB.length} decisions`);
    // Events sent to hub B are relayed to the session's process and acknowledged from there.
    const relayed = (await onB.timeout(5000).emitWithAck('sample', { bpm: 300 })) as {
      ok: boolean;
      error?: { code: string };
    };
    assert.deepEqual(relayed.ok, false);
    assert.equal(relayed.error?.code, 'FRISSON_ERR_OUT_OF_RANGE');
    const before = plB.segments.length;
    onB.emit('playhead', { position: edge(plB) });
    plB = await playlist(`${hubB!.url}${path}`, `&_HLS_msn=${before}`);
    assert.ok(plB.segments.length > before, 'a playhead sent to B did not move the session');
    // Both hubs answer the session JSON identically.
    const jsonA = (await (
      await fetch(`${hubA!.url}/api/sessions/${session.id}?token=${session.token}`)
    ).json()) as { segments: unknown[] };
    const jsonB = (await (
      await fetch(`${hubB!.url}/api/sessions/${session.id}?token=${session.token}`)
    ).json()) as { segments: unknown[] };
    assert.deepEqual(jsonB.segments.slice(0, jsonA.segments.length), jsonA.segments);
  });

  it('should let hub B adopt the session with the same decisions after hub A is killed', async () => {
    const beforeKill = await playlist(`${hubB!.url}${session.path}`);
    await hubA!.kill9();
    // B adopts once A's node key expires (6 s TTL); a polling player just keeps polling.
    let pl: ParsedPlaylist | undefined;
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      const res = await fetch(`${hubB!.url}${session.path}`);
      if (res.status === 200) {
        pl = checkMediaPlaylist(await res.text());
        if (pl.segments.length >= beforeKill.segments.length) break;
      }
      await sleep(250);
    }
    assert.ok(pl, 'hub B never served the playlist after A died');
    assert.deepEqual(uris(pl).slice(0, beforeKill.segments.length), uris(beforeKill));
    // The observer socket on B now drives the adopted session.
    const onB = sockets[1]!;
    for (let i = 0; i < 3; i++) {
      onB.emit('playhead', { position: edge(pl) });
      pl = await playlist(`${hubB!.url}${session.path}`, `&_HLS_msn=${pl.segments.length}`);
    }
    assert.deepEqual(
      pl.segments.map((s) => s.msn),
      pl.segments.map((_, i) => i),
    );
    assert.ok(pl.segments.length >= beforeKill.segments.length + 3);
  });

  it('should keep playing through a Redis restart and re-register the session after it', async () => {
    const onB = sockets[1]!;
    let pl = await playlist(`${hubB!.url}${session.path}`);
    await redis!.down();
    // Redis is gone: the session still publishes from memory.
    for (let i = 0; i < 2; i++) {
      onB.emit('playhead', { position: edge(pl) });
      pl = await playlist(`${hubB!.url}${session.path}`, `&_HLS_msn=${pl.segments.length}`);
    }
    await redis!.up(); // empty: no persistence
    const t0 = Date.now();
    let stored = 0;
    while (Date.now() - t0 < 10_000) {
      stored = await probe!.hlen(`frisson:decisions:${session.id}`).catch(() => 0);
      if (stored >= pl.segments.length && (await probe!.exists(`frisson:session:${session.id}`)))
        break;
      await sleep(200);
    }
    assert.ok(stored >= pl.segments.length, `only ${stored} decisions re-registered`);
    onB.emit('playhead', { position: edge(pl) });
    const after = await playlist(`${hubB!.url}${session.path}`, `&_HLS_msn=${pl.segments.length}`);
    assert.ok(after.segments.length > pl.segments.length, 'no publishing after Redis came back');
  });
});
