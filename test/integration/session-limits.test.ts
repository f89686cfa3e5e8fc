/**
 * Issue 22 finding 5: `POST /api/sessions` was unlimited and sessions never expired (10,000 in
 * 20 s, all resumed on restart). Against real `frisson serve` processes: a per-address creation
 * limit (429), a cap on live sessions (503), idle sessions that end and are not resumed after a
 * restart — also when the server was down while they idled.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ServerProcess } from '../support/processes.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { writeFixtureStoryDir } from '../support/server.js';

interface Created {
  id: string;
  token: string;
}

async function create(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

async function sessionInfo(url: string, s: Created): Promise<Response> {
  return fetch(`${url}/api/sessions/${s.id}?token=${encodeURIComponent(s.token)}`);
}

describe('session limits and idle expiry (real server processes)', function () {
  this.timeout(90_000);
  let dir: string;
  let story: string;
  let srv: ServerProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-session-limits-'));
    story = await writeFixtureStoryDir(dir);
  });
  afterEach(async () => {
    await srv?.stop();
    srv = undefined;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const serve = async (
    name: string,
    env: Record<string, string>,
    storyDir = story,
  ): Promise<ServerProcess> => {
    srv = new ServerProcess({
      story: storyDir,
      db: join(dir, `${name}.db`),
      port: await freePort(),
      env,
    });
    await srv.start();
    return srv;
  };

  it('should answer 429 past the per-address creation limit, per client address', async () => {
    const s = await serve('rate', { FRISSON_SESSION_CREATE_RATE: '5', FRISSON_TRUST_PROXY: '1' });
    const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 5; i++)
      assert.equal((await create(s.url, from('198.51.100.7'))).status, 201);
    const refused = await create(s.url, from('198.51.100.7'));
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After is set');
    const err = await errorOf(refused);
    assert.equal(err.code, 'FRISSON_ERR_RATE_LIMITED');
    assert.match(err.message, /at most 5 a minute/);
    assert.doesNotMatch(err.message, /\n/);
    // Another client is not held back by the first one's flood.
    assert.equal((await create(s.url, from('203.0.113.9'))).status, 201);
    // Flooding further changes nothing and creates nothing.
    const flood = await Promise.all(
      Array.from({ length: 200 }, () => create(s.url, from('198.51.100.7'))),
    );
    assert.deepEqual([...new Set(flood.map((r) => r.status))], [429]);
    await Promise.all(flood.map((r) => r.text()));
    const health = (await (await fetch(`${s.url}/healthz`)).json()) as { sessions: number };
    assert.equal(health.sessions, 6);
  });

  it('should answer 503 FRISSON_ERR_AT_CAPACITY past the live-session cap', async () => {
    const s = await serve('cap', { FRISSON_MAX_SESSIONS: '3' });
    for (let i = 0; i < 3; i++) assert.equal((await create(s.url)).status, 201);
    const refused = await create(s.url);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.equal((await errorOf(refused)).code, 'FRISSON_ERR_AT_CAPACITY');
  });

  it('should end idle sessions and not resume them after a restart', async () => {
    // The demo film: long enough that the watched session does not simply reach its end.
    const s = await serve(
      'idle',
      { FRISSON_SESSION_IDLE_S: '2', FRISSON_LOG_LEVEL: 'info' },
      await ensureDemoStory(),
    );
    const idle = (await (await create(s.url)).json()) as Created;
    const watched = (await (await create(s.url)).json()) as Created;
    const playlist = `${s.url}/sessions/${watched.id}/playlist.m3u8?token=${encodeURIComponent(watched.token)}`;
    const t0 = Date.now();
    while (Date.now() - t0 < 3500) {
      assert.equal((await fetch(playlist)).status, 200);
      await sleep(400);
    }
    const info = async (c: Created): Promise<{ ended: boolean }> => {
      const res = await sessionInfo(s.url, c);
      assert.equal(res.status, 200);
      return (await res.json()) as { ended: boolean };
    };
    assert.equal((await info(idle)).ended, true, 'the idle session did not expire');
    assert.equal((await info(watched)).ended, false, 'a watched session expired');
    const idleList = await fetch(
      `${s.url}/sessions/${idle.id}/playlist.m3u8?token=${encodeURIComponent(idle.token)}`,
    );
    assert.match(await idleList.text(), /#EXT-X-ENDLIST/);

    // One more, idle while the server is down: it expires then, and is not resumed either.
    const downIdle = (await (await create(s.url)).json()) as Created;
    await s.stop();
    await sleep(2500);
    await s.start();
    assert.equal((await sessionInfo(s.url, idle)).status, 404, 'an expired session was resumed');
    assert.equal((await sessionInfo(s.url, downIdle)).status, 404, 'idled while down, resumed');
    assert.equal((await sessionInfo(s.url, watched)).status, 404, 'idle while down too');
    assert.match(s.printed, /session expired/);
  });

  it('should resume a session that was watched until a quick restart', async () => {
    const s = await serve('resume', { FRISSON_SESSION_IDLE_S: '30' });
    const c = (await (await create(s.url)).json()) as Created;
    await s.stop();
    await s.start();
    assert.equal((await sessionInfo(s.url, c)).status, 200);
  });
});
