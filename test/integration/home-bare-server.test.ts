/**
 * The bare baseline of `frisson load --mode home` (tools/load/home-bare-server.ts): it must speak
 * the hub's protocol well enough that the simulated player (tools/load/home-player.ts) plays
 * against it without an error — otherwise its CPU would not be the floor of the same traffic.
 * Real sockets: the players' keep-alive HTTP agent and socket.io clients against the server on
 * port 0; segments are real bytes of the shared test demo package (test/support/demo-story.ts).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  loadBareMedia,
  startHomeBareServer,
  type HomeBareServerHandle,
} from '../../tools/load/home-bare-server.js';
import { collect, newPlayerStats, startPlayers } from '../../tools/load/home-driver.js';
import { formatHomeLoadReport, type HomeLoadReport } from '../../tools/load/home-load.js';
import { parseMediaPlaylist } from '../../tools/load/home-player.js';
import { runCli } from '../support/cli-process.js';
import { ensureDemoStory } from '../support/demo-story.js';

describe('frisson load, home mode: the bare baseline server', function () {
  this.timeout(60_000);
  let bare: HomeBareServerHandle;
  let url: string;

  before(async () => {
    // A 6 s film: every player ends its film and starts another session inside the window.
    const media = await loadBareMedia(await ensureDemoStory(), 6);
    assert.equal(media.filmSegments, 6);
    assert.ok(media.segments.length > 1 && media.segments.every((b) => b.length > 1000));
    // MPEG-TS packets start with the sync byte 0x47 (ISO/IEC 13818-1 §2.4.3.2): real segments.
    assert.ok(media.segments.every((b) => b[0] === 0x47));
    bare = await startHomeBareServer({ media });
    url = `http://127.0.0.1:${bare.port}`;
  });
  after(async () => {
    await bare.close();
  });

  it('should play eight players through the end of their films without an error', async () => {
    const stats = newPlayerStats();
    const run = await startPlayers(
      { url, sessions: 8, rate: 1, connectConcurrency: 4, ackTimeoutMs: 2000 },
      stats,
    );
    try {
      assert.equal(run.failed, 0, run.firstError ?? '');
      await sleep(1000);
      stats.inWindow = true;
      await sleep(8000);
      stats.inWindow = false;
      await sleep(500);
      const r = collect(stats, run.players.length, run.failed);
      assert.deepEqual(r.httpErrors, {});
      assert.equal(r.counters.sequenceBreaks, 0);
      assert.equal(r.counters.disconnects, 0);
      assert.ok(r.counters.sessionsCreated >= 8, 'every player started a new film');
      assert.ok(r.latencies.playlistBeyondHold.length >= 30, 'blocking reloads answered');
      assert.ok(r.latencies.segment.length >= 40, 'segments fetched');
      assert.ok(r.counters.bytes > 40 * 30_000, 'segment bodies delivered');
      assert.ok(r.latencies.subtitle.length > 0, 'subtitle segments fetched');
      assert.ok(r.counters.decisions >= 30, 'decisions received');
      assert.ok(r.counters.samplesSent >= 50);
      assert.equal(r.counters.samplesAcked, r.counters.samplesSent);
      assert.equal(r.counters.stalls, 0);
    } finally {
      run.stop();
    }
  });

  it('should answer with the hub’s playlists, caching headers and coded errors', async () => {
    const created = await fetch(`${url}/api/sessions`, { method: 'POST', body: '{}' });
    assert.equal(created.status, 201);
    const s = (await created.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(s).sort(), [
      'id',
      'masterUrl',
      'playerUrl',
      'playlistUrl',
      'token',
    ]);
    const master = await (await fetch(s.masterUrl!)).text();
    assert.match(
      master,
      /^#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="narration".*URI="narration\.m3u8\?token=/m,
    );
    assert.match(master, /SUBTITLES="narration"\nplaylist\.m3u8\?token=/);
    const first = await fetch(s.playlistUrl!);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const text = await first.text();
    assert.match(text, /#EXT-X-PLAYLIST-TYPE:EVENT\n/);
    assert.match(text, /#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,HOLD-BACK=3\.000\n/);
    assert.equal(parseMediaPlaylist(text).segments.length, 1, 'the first segment at creation');
    // Held until published (0.5 s after the first request started the session's clock: the
    // horizon is 1.5 s), then the playlist that has it.
    const t0 = performance.now();
    const held = await (await fetch(`${s.playlistUrl!}&_HLS_msn=2`)).text();
    assert.ok(performance.now() - t0 > 300, 'held until segment 2 was published');
    assert.ok(parseMediaPlaylist(held).segments.some((x) => x.msn === 2));
    const tooFar = await fetch(`${s.playlistUrl!}&_HLS_msn=99`);
    assert.equal(tooFar.status, 400);
    assert.equal(
      ((await tooFar.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_INVALID_PAYLOAD',
    );
    const segUrl = new URL(parseMediaPlaylist(held).segments[0]!.uri, url);
    const seg = await fetch(segUrl);
    assert.equal(seg.status, 200);
    assert.equal(seg.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(seg.headers.get('content-type'), 'video/mp2t');
    const etag = seg.headers.get('etag');
    assert.ok(etag);
    await seg.arrayBuffer();
    const again = await fetch(segUrl, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const bad = await fetch(s.playlistUrl!.replace(/token=[^&]+/, 'token=wrong'));
    assert.equal(bad.status, 401);
    assert.equal(
      ((await bad.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_UNAUTHORIZED',
    );
    const missing = await fetch(`${url}/sessions/nobody/playlist.m3u8?token=x`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  it('should run the hub and then the bare baseline in one `frisson load --mode home`', async () => {
    const story = await ensureDemoStory();
    const args = ['load', '--mode', 'home', '--seats', '4', '--duration', '2', '--warmup', '1'];
    const exit = await runCli([...args, '--story', story, '--json'], 90_000);
    assert.ok(exit, 'the load command finished');
    assert.equal(exit.code, 0, exit.stderr);
    const r = JSON.parse(exit.stdout) as HomeLoadReport;
    assert.equal(r.sessions.connected, 4);
    assert.equal(r.hubs.length, 1);
    const b = r.bare;
    assert.ok(b, 'the report has the bare block');
    assert.equal(b.hubs.length, 1);
    assert.notEqual(b.hubs[0]!.pid, r.hubs[0]!.pid, 'a process of its own');
    assert.equal(b.filmSeconds, 24, "the test demo's default path: 6 scenes × 4 s");
    assert.equal(b.sessions.connected, 4);
    assert.deepEqual(b.httpErrors, {});
    assert.equal(b.sequenceBreaks, 0);
    assert.ok(b.segment.count > 0 && b.playlistBeyondHold.count > 0);
    assert.ok(b.samples.sent > 0);
    assert.equal(b.samples.acked, b.samples.sent);
    assert.ok('cpuRatio' in r && 'sessionsPerCore' in b);
    if (r.cpuMsPerSessionSecond && b.cpuMsPerSessionSecond) {
      assert.equal(
        r.cpuRatio,
        Math.round((r.cpuMsPerSessionSecond / b.cpuMsPerSessionSecond) * 100) / 100,
      );
    }
    const table = formatHomeLoadReport(r);
    assert.match(table, /^hub CPU per session /m);
    assert.match(table, /^bare baseline \(tools\/load\/home-bare-server\.ts/m);
    assert.match(table, /^bare CPU per session .*hub \/ bare/m);
  });
});
