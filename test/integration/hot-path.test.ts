/**
 * The hot path (server/http/hot-path.ts) answers a home viewer's per-second requests before express.
 * Two real servers on the demo story — hot path on (the default) and off (`httpHotPath: false`,
 * every request through express) — get the same requests; the answers must be the same: status,
 * body, and every header (security headers included) but the ones that name a moment or a session.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { ensureDemoStory } from '../support/demo-story.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that differ between any two answers (time, connection) or name the session. */
const VARIABLE = new Set(['date', 'connection', 'keep-alive', 'etag', 'content-length']);

function get(agent: Agent, url: URL, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (!VARIABLE.has(k)) h[k] = String(v);
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: h,
          body: Buffer.concat(chunks).toString('latin1'),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A media playlist's shape: every tag, with the segment titles and URIs (which variant the director
 * chose for each session) replaced — two sessions may choose differently; the answer's form may not.
 */
function playlistShape(body: string): string {
  return body
    .split('\n')
    .map((l) =>
      l.startsWith('#EXTINF:') ? l.replace(/,.*$/, ',') : l.startsWith('#') ? l : l && 'URI',
    )
    .join('\n');
}

/** The same path and query on another server, with that server's session id and token. */
function sameOn(
  url: string,
  from: { id: string; token: string },
  to: { id: string; token: string },
) {
  return url
    .replaceAll(from.id, to.id)
    .replaceAll(encodeURIComponent(from.token), encodeURIComponent(to.token))
    .replaceAll(from.token, to.token);
}

describe('hot path: the per-second viewer requests answered before express', function () {
  this.timeout(90_000);
  let hot: TestServer;
  let cold: TestServer;
  const agent = new Agent({ keepAlive: true });

  before(async () => {
    const story = await ensureDemoStory();
    hot = await startTestServer({ story });
    cold = await startTestServer({ story, httpHotPath: false });
  });
  after(async () => {
    agent.destroy();
    await hot?.close();
    await cold?.close();
  });

  it('should give the same status, body and headers as express for every request a player makes', async () => {
    const a = await createSession(hot.url);
    const b = await createSession(cold.url);
    const playlistA = new URL(a.playlistUrl);
    const compare = async (
      label: string,
      pathA: string,
      headers: Record<string, string> = {},
      method = 'GET',
      // The body up to what may differ between two sessions (narration lines are drawn per session).
      comparable: (body: string) => string = (body) => body,
    ) => {
      const pathB = sameOn(pathA, a, b);
      const [x, y] = await Promise.all([
        get(agent, new URL(pathA, hot.url), headers, method),
        get(agent, new URL(pathB, cold.url), headers, method),
      ]);
      assert.equal(x.status, y.status, `${label}: status`);
      assert.deepEqual(x.headers, y.headers, `${label}: headers`);
      assert.equal(comparable(x.body), comparable(sameOn(y.body, b, a)), `${label}: body`);
      return x;
    };

    // The media playlist, plain (both sessions start alike: same story, same first decision).
    const plain = await compare(
      'playlist',
      playlistA.pathname + playlistA.search,
      {},
      'GET',
      playlistShape,
    );
    assert.equal(plain.status, 200);
    assert.match(plain.headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.equal(plain.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(plain.headers['referrer-policy'], 'no-referrer');
    const segUri = plain.body.split('\n').find((l) => l.startsWith('/stories/'));
    assert.ok(segUri);

    // Blocking reload for the next segment: both hold, then answer with it.
    const last = plain.body.split('\n').filter((l) => l.startsWith('#EXTINF')).length - 1;
    const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(plain.body)?.[1] ?? 0);
    const hold = `${playlistA.pathname}${playlistA.search}&_HLS_msn=${seq + last + 1}`;
    const held = await Promise.all([
      get(agent, new URL(hold, hot.url)),
      get(agent, new URL(sameOn(hold, a, b), cold.url)),
    ]);
    assert.equal(held[0].status, 200);
    assert.equal(held[1].status, 200);
    assert.deepEqual(held[0].headers, held[1].headers);

    // 304 on the playlist's own ETag; a 200 when the client asks for an end-to-end reload.
    const etagRes = await new Promise<string>((resolve) => {
      request(new URL(hold, hot.url), { agent }, (res) => {
        res.resume();
        resolve(String(res.headers.etag));
      }).end();
    });
    const cond = await get(agent, new URL(hold, hot.url), { 'if-none-match': etagRes });
    assert.equal(cond.status, 304);
    assert.equal(cond.body, '');
    const reload = await get(agent, new URL(hold, hot.url), {
      'if-none-match': etagRes,
      'cache-control': 'no-cache',
    });
    assert.equal(reload.status, 200);

    // HEAD, the renditions, the subtitle playlist and a WebVTT segment.
    await compare('HEAD playlist', playlistA.pathname + playlistA.search, {}, 'HEAD');
    const master = await get(agent, new URL(a.masterUrl));
    for (const uri of master.body.split('\n').filter((l) => l.includes('.m3u8?'))) {
      const path = new URL(uri.replace(/^.*URI="([^"]+)".*$/, '$1'), a.masterUrl);
      const x = await compare(
        `rendition ${path.pathname}`,
        path.pathname + path.search,
        {},
        'GET',
        playlistShape,
      );
      assert.equal(x.status, 200, path.pathname);
      if (path.pathname.endsWith('narration.m3u8')) {
        const vtt = x.body.split('\n').find((l) => l.startsWith('narration/'));
        assert.ok(vtt, x.body);
        // The cue's words are drawn per session; its header and timestamp map are not.
        const v = await compare(
          'vtt',
          new URL(vtt, path).pathname + new URL(vtt, path).search,
          {},
          'GET',
          (body) => body.split('\n').slice(0, 2).join('\n'),
        );
        assert.equal(v.status, 200);
        assert.match(v.body, /^WEBVTT/);
      }
    }

    // A segment: the first read fills the cache (express), the second comes from the hot path.
    for (let i = 0; i < 2; i++) {
      const x = await compare(`segment ${i}`, segUri);
      assert.equal(x.status, 200);
      assert.equal(x.headers['cache-control'], 'public, max-age=31536000, immutable');
    }

    // What the hot path declines, express answers with the same coded errors on both servers.
    const bad = [
      ['no token', `/sessions/${a.id}/playlist.m3u8`],
      ['forged token', `/sessions/${a.id}/playlist.m3u8?token=${encodeURIComponent(a.token)}x`],
      ['unknown rendition', `${playlistA.pathname}${playlistA.search}&rendition=nope`],
      ['msn not a number', `${playlistA.pathname}${playlistA.search}&_HLS_msn=abc`],
      ['msn too far', `${playlistA.pathname}${playlistA.search}&_HLS_msn=99999`],
      ['no such vtt', `/sessions/${a.id}/narration/99999.vtt${playlistA.search}`],
      ['unknown session', `/sessions/nope/playlist.m3u8${playlistA.search}`],
    ] as const;
    for (const [label, path] of bad) {
      const x = await compare(label, path);
      assert.ok(x.status >= 400, `${label}: ${x.status}`);
      assert.match(x.body, /"code":"FRISSON_ERR_/, label);
    }
  });
});
