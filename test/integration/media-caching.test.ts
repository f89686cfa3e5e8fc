/**
 * HTTP caching of media and playlists (server/http/media-router.ts, api-router.ts,
 * stream-router.ts) against the real server and the demo story's real segments: playlists name
 * segments by versioned URLs answered `immutable` with a strong ETag; the plain URL is `no-cache`;
 * If-None-Match gives 304; live playlists are `no-cache` with an ETag that changes on publish.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { httpRequest } from '../../tools/load/home-player.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';

describe('media and playlist HTTP caching', function () {
  this.timeout(60_000);
  let t: TestServer;
  let dir: string;

  before(async () => {
    dir = await ensureDemoStory();
    t = await startTestServer({ story: dir });
  });
  after(async () => {
    await t.close();
  });

  it('should serve playlist segments immutable under a versioned URL, and revalidate the plain one', async () => {
    const s = await createSession(t.url);
    const text = await (await fetch(s.playlistUrl)).text();
    const uri = text.split('\n').find((l) => l.startsWith('/stories/'));
    assert.ok(uri, text);
    const m = /^\/stories\/([^/]+)\/v-([0-9a-f]{12})\/(.+)$/.exec(uri);
    assert.ok(m, uri);
    const [, storyId, , file] = m as unknown as [string, string, string, string];
    const bytes = await readFile(join(dir, 'dist', file));

    const res = await fetch(new URL(uri, t.url));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('content-type'), 'video/mp2t');
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^"[\w-]+"$/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);

    const again = await fetch(new URL(uri, t.url), { headers: { 'if-none-match': etag ?? '' } });
    assert.equal(again.status, 304);

    const plain = await fetch(new URL(`/stories/${storyId}/${file}`, t.url));
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'public, no-cache');
    assert.equal(plain.headers.get('etag'), etag);
    assert.deepEqual(Buffer.from(await plain.arrayBuffer()), bytes);

    const stale = await fetch(new URL(`/stories/${storyId}/v-000000000000/${file}`, t.url));
    assert.equal(stale.headers.get('cache-control'), 'public, no-cache');
    const missing = await fetch(new URL(`/stories/${storyId}/v-000000000000/nope.ts`, t.url));
    assert.equal(missing.status, 404);
  });

  it('should answer live playlists no-cache with an ETag that changes when a segment is published', async () => {
    const s = await createSession(t.url);
    const first = await fetch(s.playlistUrl);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const etag = first.headers.get('etag') ?? '';
    assert.ok(etag);
    const text = await first.text();
    const last = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
    const count = text.split('\n').filter((l) => l.startsWith('#EXTINF')).length;
    // (node:http, not fetch: fetch turns a request with If-None-Match into an end-to-end reload
    // with `Cache-Control: no-cache`, which express rightly never answers 304.)
    const agent = new Agent();
    const same = await httpRequest(agent, new URL(s.playlistUrl), 'GET', undefined, etag);
    agent.destroy();
    // Unless a segment was published in between, the same state is a 304.
    if (same.status !== 304) assert.notEqual(same.etag, etag);
    else assert.equal(same.body.length, 0);
    const next = new URL(s.playlistUrl);
    next.searchParams.set('_HLS_msn', String(last + count));
    const blocked = await fetch(next);
    assert.equal(blocked.status, 200);
    assert.notEqual(blocked.headers.get('etag'), etag);
  });
});
