/**
 * Faults that must degrade, never stall playback (docs/operations.md): the director's model file
 * missing or corrupt, a client flooding the hub with samples, and a player that never reports its
 * playhead. Real servers (in process, port 0) and real socket.io clients.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecisionEvent } from '../../contracts/wire.js';
import { checkMediaPlaylist, type ParsedPlaylist } from '../support/playlist-conformance.js';
import {
  connectViewer,
  createSession,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

const edge = (pl: ParsedPlaylist): number => pl.segments.reduce((a, s) => a + s.duration, 0);

async function playlist(url: string, query = ''): Promise<ParsedPlaylist> {
  const res = await fetch(`${url}${query}`);
  assert.equal(res.status, 200, `${res.status} ${await res.clone().text()}`);
  return checkMediaPlaylist(await res.text());
}

/** Plays `n` segments: playhead at the edge, blocking reload for the next msn. */
async function play(socket: ViewerClient, playlistUrl: string, n: number): Promise<ParsedPlaylist> {
  let pl = await playlist(playlistUrl);
  const target = pl.segments.length + n;
  while (pl.segments.length < target && !pl.endlist) {
    socket.emit('playhead', { position: edge(pl) });
    pl = await playlist(playlistUrl, `&_HLS_msn=${pl.segments.length}`);
  }
  return pl;
}

describe('faults: degrade, never stall', function () {
  this.timeout(60_000);
  const servers: TestServer[] = [];
  const sockets: ViewerClient[] = [];
  after(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(servers.map((t) => t.close()));
  });

  for (const [what, content] of [
    ['missing', null],
    ['corrupt', 'this is not an ONNX model \u0000\u0001\u0002'],
  ] as const) {
    it(`should keep publishing with the rule picker when the model file is ${what}`, async () => {
      const t = await startTestServer({ picker: 'director', model: '/nonexistent/pacing.onnx' });
      servers.push(t);
      if (content !== null) {
        // Restart on a corrupt file: the same server wiring, a model path that exists.
        await t.close();
        servers.pop();
        const bad = join(t.dir, '..', `corrupt-${process.pid}.onnx`);
        await writeFile(bad, content);
        const t2 = await startTestServer({ picker: 'director', model: bad });
        servers.push(t2);
      }
      const srv = servers[servers.length - 1]!;
      const s = await createSession(srv.url);
      const socket = await connectViewer(srv.url, s);
      sockets.push(socket);
      const decisions: DecisionEvent[] = [];
      socket.on('decision', (d) => decisions.push(d));
      const before = (await playlist(s.playlistUrl)).segments.length;
      const pl = await play(socket, s.playlistUrl, 4);
      assert.ok(pl.segments.length >= before + 4 || pl.endlist, 'publishing stalled');
      assert.ok(decisions.length >= 3, `only ${decisions.length} decisions reached the player`);
    });
  }

  it('should rate-limit a flooding client with coded acks while its film and others go on', async () => {
    const t = await startTestServer({ rateLimit: 50, rateBurst: 100 });
    servers.push(t);
    const flood = await createSession(t.url);
    const calm = await createSession(t.url);
    const flooder = await connectViewer(t.url, flood);
    const neighbour = await connectViewer(t.url, calm);
    sockets.push(flooder, neighbour);
    const acks = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          flooder.timeout(10_000).emitWithAck('sample', { bpm: 90 }) as Promise<{
            ok: boolean;
            error?: { code: string };
          }>,
      ),
    );
    const limited = acks.filter((a) => !a.ok);
    assert.ok(limited.length > 0, 'a flood of 1,000 samples was not rate-limited');
    assert.ok(limited.every((a) => a.error?.code === 'FRISSON_ERR_RATE_LIMITED'));
    assert.equal(flooder.connected, true, 'rate limiting must not disconnect');
    const ok = (await neighbour.timeout(5000).emitWithAck('sample', { bpm: 70 })) as {
      ok: boolean;
    };
    assert.equal(ok.ok, true, 'the neighbour was affected by the flood');
    // The flooder's own film keeps publishing.
    const before = (await playlist(flood.playlistUrl)).segments.length;
    const pl = await play(flooder, flood.playlistUrl, 3);
    assert.ok(pl.segments.length >= before + 3 || pl.endlist);
  });

  it('should keep publishing on the wall clock for a player that never reports its playhead', async () => {
    const t = await startTestServer({ horizon: 1.5 });
    servers.push(t);
    const s = await createSession(t.url);
    // Only playlist requests (the first one starts the session's wall clock), no socket at all.
    let pl = await playlist(s.playlistUrl);
    const first = pl.segments.length;
    const t0 = Date.now();
    while (Date.now() - t0 < 4500 && !pl.endlist) {
      pl = await playlist(s.playlistUrl, `&_HLS_msn=${pl.segments.length}`);
    }
    // 1 s segments: about one per second of wall clock, the edge staying ahead of the player.
    const elapsed = (Date.now() - t0) / 1000;
    assert.ok(
      pl.segments.length >= first + Math.floor(elapsed) - 1,
      `${pl.segments.length - first} segments in ${elapsed.toFixed(1)} s`,
    );
    assert.ok(edge(pl) >= elapsed, 'the published edge fell behind the wall clock');
  });
});
