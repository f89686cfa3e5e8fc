/**
 * kill -9 mid-show: a real `frisson serve` process on the demo story is killed with SIGKILL while a
 * player plays, then restarted on the same database and port. The session must resume from the
 * store with the same media sequence, every decision published before the crash unchanged, and the
 * same player (same token, same socket client reconnecting) must go on without a new session.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect } from 'socket.io-client';
import type { DecisionEvent } from '../../contracts/wire.js';
import { ensureDemoStory } from '../support/demo-story.js';
import {
  checkMediaPlaylist,
  PlaylistHistory,
  type ParsedPlaylist,
} from '../support/playlist-conformance.js';
import { freePort, ServerProcess } from '../support/processes.js';
import { createSession, type ViewerClient } from '../support/server.js';

describe('crash recovery (kill -9, real server process)', function () {
  this.timeout(120_000);
  let dir: string;
  let server: ServerProcess | undefined;
  let socket: ViewerClient | undefined;

  before(async () => {
    const story = await ensureDemoStory();
    dir = await mkdtemp(join(tmpdir(), 'frisson-crash-'));
    server = new ServerProcess({ story, db: join(dir, 'frisson.db'), port: await freePort() });
    await server.start();
  });
  after(async () => {
    socket?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('should resume the session with the same decisions and a continuous media sequence', async () => {
    const srv = server!;
    const s = await createSession(srv.url);
    const history = new PlaylistHistory();
    const get = async (query = ''): Promise<ParsedPlaylist> => {
      const res = await fetch(`${s.playlistUrl}${query}`);
      assert.equal(res.status, 200, `${res.status} ${await res.clone().text()}`);
      return checkMediaPlaylist(await res.text(), history);
    };
    const decisions: DecisionEvent[] = [];
    // A player-like socket client: reconnects on its own with the same auth after the crash.
    socket = connect(srv.url, {
      transports: ['websocket'],
      auth: { sessionId: s.id, token: s.token },
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
    });
    socket.on('decision', (d) => decisions.push(d));
    await new Promise<void>((done) => socket!.once('connect', () => done()));

    // Play about eight segments before the crash.
    let pl = await get();
    while (pl.segments.length < 8) {
      const edge = pl.segments.reduce((a, x) => a + x.duration, 0);
      socket.emit('playhead', { position: edge });
      pl = await get(`&_HLS_msn=${pl.segments.length}`);
    }
    const before = new Map(pl.segments.map((x) => [x.msn, x.uri]));
    const edgeBefore = pl.segments.reduce((a, x) => a + x.duration, 0);

    await srv.kill9();
    // The player keeps polling while the server is down: connection refused, no crash of its own.
    const downProbe = await fetch(s.playlistUrl).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(downProbe, 'refused');
    await srv.start();

    // Same token, same session: the playlist is back with every pre-crash msn unchanged.
    const resumed = await get();
    assert.ok(resumed.segments.length >= before.size, 'segments were lost in the crash');
    for (const [msn, uri] of before) {
      assert.equal(
        resumed.segments.find((x) => x.msn === msn)?.uri,
        uri,
        `decision ${msn} changed`,
      );
    }
    // The socket client reconnects by itself and the session goes on publishing.
    const deadline = Date.now() + 10_000;
    while (!socket.connected && Date.now() < deadline) await sleep(50);
    assert.equal(socket.connected, true, 'the player socket did not reconnect');
    decisions.length = 0;
    let after = resumed;
    for (let i = 0; i < 4; i++) {
      const edge = after.segments.reduce((a, x) => a + x.duration, 0);
      socket.emit('playhead', { position: Math.max(edge, edgeBefore) });
      after = await get(`&_HLS_msn=${after.segments.length}`);
    }
    const msns = after.segments.map((x) => x.msn);
    assert.deepEqual(
      msns,
      msns.map((_, i) => i),
      'media sequence is not continuous',
    );
    assert.ok(after.segments.length >= before.size + 4, 'the resumed session did not publish');
    // The resumed session's decisions reach the reconnected player's socket.
    const t0 = Date.now();
    while (decisions.length === 0 && Date.now() - t0 < 3000) await sleep(20);
    assert.ok(decisions.length > 0, 'no decision events reached the player after the restart');
    assert.ok(
      decisions.every((d) => d.msn >= before.size),
      'a pre-crash decision was published again',
    );

    // The store agrees with the playlist, msn for msn.
    const res = await fetch(`${srv.url}/api/sessions/${s.id}?token=${encodeURIComponent(s.token)}`);
    const body = (await res.json()) as { segments: Array<{ msn: number; uri: string }> };
    for (const seg of after.segments) {
      assert.equal(
        body.segments.find((x) => x.msn === seg.msn)?.uri,
        // Playlist URLs are /stories/<story>/v-<package version>/<uri> (server/http/media-router.ts).
        new URL(seg.uri, srv.url).pathname
          .split('/')
          .slice(3)
          .join('/')
          .replace(/^v-[0-9a-f]{12}\//, ''),
      );
    }
  });
});
