/**
 * Issue 22 finding 9 (hygiene), against a real `frisson serve` process on a copy of the demo story:
 * security headers, error bodies that do not echo their input, `/metrics` behind a credential and
 * without show ids, `GET /api/shows/:id` checking the key before 404, symbolic links in a story's
 * `dist/` not followed and its bookkeeping files not public, `__proto__` refused as a forced scene,
 * `seats` with `seatCount` refused.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoStory } from '../support/demo-story.js';
import { freePort, ServerProcess } from '../support/processes.js';

const OPERATOR_KEY = 'operator-key-for-hygiene-tests';
const METRICS_TOKEN = 'metrics-token-for-hygiene-tests';
const SECRET = 'top-secret-line-outside-the-story';

async function firstSegment(dist: string): Promise<string> {
  for (const e of await readdir(dist, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) {
      return join(e.parentPath, e.name).slice(dist.length + 1);
    }
  }
  throw new Error('no segment in the demo');
}

describe('HTTP hygiene (real server process)', function () {
  this.timeout(90_000);
  let dir: string;
  let srv: ServerProcess;
  let storyId: string;
  let segment: string;
  /** A segment the manifest lists, replaced by a link: the in-memory segment path must refuse it. */
  let linked: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-hygiene-'));
    const story = join(dir, 'story');
    await cp(await ensureDemoStory(), story, { recursive: true, preserveTimestamps: true });
    const dist = join(story, 'dist');
    storyId = (JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8')) as { id: string })
      .id;
    segment = await firstSegment(dist);
    // A link a hostile story package could carry, named like a segment.
    await writeFile(join(dir, 'secret.ts'), SECRET);
    await symlink(join(dir, 'secret.ts'), join(dist, 'leak.ts'));
    const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8')) as {
      scenes: Record<string, { variants: Record<string, { segments: Array<{ uri: string }> }> }>;
    };
    const uris = Object.values(manifest.scenes).flatMap((sc) =>
      Object.values(sc.variants).flatMap((v) => v.segments.map((x) => x.uri)),
    );
    linked = uris.filter((u) => u !== segment).at(-1) ?? '';
    await rm(join(dist, linked));
    await symlink(join(dir, 'secret.ts'), join(dist, linked));
    srv = new ServerProcess({
      story,
      db: join(dir, 'frisson.db'),
      port: await freePort(),
      env: { FRISSON_OPERATOR_KEY: OPERATOR_KEY, FRISSON_METRICS_TOKEN: METRICS_TOKEN },
    });
    await srv.start();
  });
  after(async () => {
    await srv?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const op = { 'x-frisson-operator-key': OPERATOR_KEY, 'content-type': 'application/json' };

  it('should send security headers on pages, API answers and errors', async () => {
    for (const path of ['/', '/dashboard/', '/report/', '/api/nope', '/healthz']) {
      const res = await fetch(`${srv.url}${path}`);
      await res.text();
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'self'/, path);
      assert.match(csp, /worker-src 'self' blob:/, path);
      assert.doesNotMatch(csp, /upgrade-insecure-requests|unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', path);
    }
  });

  it('should not echo input in error bodies', async () => {
    const evil = '<script>alert(1)</script>';
    const bodies: string[] = [];
    const create = await fetch(`${srv.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [evil]: 1, locale: 5 }),
    });
    assert.equal(create.status, 400);
    bodies.push(await create.text());
    const s = (await (await fetch(`${srv.url}/api/sessions`, { method: 'POST' })).json()) as {
      id: string;
      token: string;
    };
    const list = await fetch(
      `${srv.url}/sessions/${s.id}/playlist.m3u8?token=${encodeURIComponent(s.token)}&rendition=${encodeURIComponent(evil)}`,
    );
    assert.equal(list.status, 404);
    bodies.push(await list.text());
    const show = await fetch(`${srv.url}/api/shows`, {
      method: 'POST',
      headers: op,
      body: JSON.stringify({ seats: [1, evil], [evil]: true }),
    });
    assert.equal(show.status, 400);
    bodies.push(await show.text());
    for (const b of bodies) {
      assert.ok(!b.includes('script>'), `echoed: ${b}`);
      assert.ok(JSON.parse(b).error.code, b);
    }
  });

  it('should keep /metrics behind the metrics token or the operator key, without show ids', async () => {
    const created = await fetch(`${srv.url}/api/shows`, {
      method: 'POST',
      headers: op,
      body: JSON.stringify({ seats: ['A1'] }),
    });
    assert.equal(created.status, 201);
    const show = (await created.json()) as { id: string; screenSessionId: string };
    const anon = await fetch(`${srv.url}/metrics`);
    assert.equal(anon.status, 401);
    assert.equal(
      ((await anon.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_UNAUTHORIZED',
    );
    const wrong = await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    await wrong.text();
    const byToken = await fetch(`${srv.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(byToken.status, 200);
    const text = await byToken.text();
    assert.match(text, /frisson_seats_in_contact \d/);
    assert.ok(
      !text.includes(show.id) && !text.includes(show.screenSessionId),
      'a show id in /metrics',
    );
    const byKey = await fetch(`${srv.url}/metrics`, { headers: op });
    assert.equal(byKey.status, 200);
    await byKey.text();
  });

  it('should check the key before answering 404 for a show', async () => {
    const unknown = await fetch(`${srv.url}/api/shows/does-not-exist`);
    assert.equal(unknown.status, 401);
    await unknown.text();
    const withKey = await fetch(`${srv.url}/api/shows/does-not-exist`, { headers: op });
    assert.equal(withKey.status, 404);
    await withKey.text();
  });

  it('should serve segments but no symlink, manifest.json or packager-state.json', async () => {
    const base = `${srv.url}/stories/${encodeURIComponent(storyId)}`;
    const seg = await fetch(`${base}/${segment}`);
    assert.equal(seg.status, 200);
    assert.ok((await seg.arrayBuffer()).byteLength > 0);
    for (const path of [
      'leak.ts',
      'manifest.json',
      'packager-state.json',
      linked,
      `v-000000000000/${linked}`,
    ]) {
      const res = await fetch(`${base}/${path}`);
      const body = await res.text();
      assert.equal(res.status, 404, path);
      assert.ok(!body.includes(SECRET), path);
    }
    // The operator may read the manifest (frisson load paces a show with it), never the rest.
    const forOperator = await fetch(`${base}/manifest.json`, { headers: op });
    assert.equal(forOperator.status, 200);
    assert.equal(((await forOperator.json()) as { id: string }).id, storyId);
    for (const path of ['leak.ts', 'packager-state.json']) {
      const res = await fetch(`${base}/${path}`, { headers: op });
      assert.equal(res.status, 404, path);
      await res.text();
    }
  });

  it('should refuse __proto__ as a forced scene and seats with seatCount', async () => {
    const both = await fetch(`${srv.url}/api/shows`, {
      method: 'POST',
      headers: op,
      body: JSON.stringify({ seats: ['A1'], seatCount: 10_000 }),
    });
    assert.equal(both.status, 400);
    assert.equal(
      ((await both.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_INVALID_PAYLOAD',
    );
    const show = (await (
      await fetch(`${srv.url}/api/shows`, { method: 'POST', headers: op, body: '{"seats":["A1"]}' })
    ).json()) as { id: string };
    for (const scene of ['__proto__', 'constructor', 'hasOwnProperty']) {
      const res = await fetch(`${srv.url}/api/shows/${show.id}/control`, {
        method: 'POST',
        headers: op,
        body: JSON.stringify({ action: 'force', scene }),
      });
      assert.equal(res.status, 404, scene);
      assert.equal(
        ((await res.json()) as { error: { code: string } }).error.code,
        'FRISSON_ERR_SCENE_NOT_FOUND',
      );
    }
  });
});
