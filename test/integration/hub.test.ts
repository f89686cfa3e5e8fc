import assert from 'node:assert/strict';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

describe('viewer hub (real socket.io server)', () => {
  let t: TestServer;
  const sockets: ViewerClient[] = [];

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  async function viewer(): Promise<{ socket: ViewerClient; id: string }> {
    const s = await createSession(t.url);
    const socket = await connectViewer(t.url, s);
    sockets.push(socket);
    return { socket, id: s.id };
  }

  it('should accept a valid sample and acknowledge it', async () => {
    const { socket } = await viewer();
    assert.deepEqual(await emitWithAck(socket, 'sample', { bpm: 72, rr: [830, 845] }), {
      ok: true,
    });
  });

  it('should answer malformed samples with coded error acks and keep serving others', async () => {
    const bad = await viewer();
    const good = await viewer();
    const cases: Array<[unknown, string]> = [
      [{ bpm: 'fast' }, 'FRISSON_ERR_INVALID_PAYLOAD'],
      [{ bpm: -70 }, 'FRISSON_ERR_OUT_OF_RANGE'],
      [{ bpm: 900 }, 'FRISSON_ERR_OUT_OF_RANGE'],
      [{ rr: [100] }, 'FRISSON_ERR_OUT_OF_RANGE'],
      [{}, 'FRISSON_ERR_INVALID_PAYLOAD'],
      [null, 'FRISSON_ERR_INVALID_PAYLOAD'],
      [{ bpm: 70, extra: true }, 'FRISSON_ERR_INVALID_PAYLOAD'],
      [{ bpm: 70, rr: Array(1000).fill(800) }, 'FRISSON_ERR_INVALID_PAYLOAD'],
      [{ bpm: 70, junk: 'x'.repeat(1_000_000) }, 'FRISSON_ERR_PAYLOAD_TOO_LARGE'],
    ];
    for (const [payload, code] of cases) {
      const res = await emitWithAck(bad.socket, 'sample', payload);
      assert.equal(res.ok, false, `expected rejection of ${JSON.stringify(payload)?.slice(0, 60)}`);
      if (!res.ok) assert.equal(res.error.code, code, JSON.stringify(payload)?.slice(0, 60));
    }
    // The bad client is still connected and the other session is unaffected.
    assert.equal(bad.socket.connected, true);
    assert.deepEqual(await emitWithAck(good.socket, 'sample', { bpm: 80 }), { ok: true });
    const res = await fetch(`${t.url}/healthz`);
    assert.equal(res.status, 200);
  });

  it('should validate input and playhead events', async () => {
    const { socket } = await viewer();
    assert.deepEqual(await emitWithAck(socket, 'input', { kind: 'click' }), { ok: true });
    const badInput = await emitWithAck(socket, 'input', { kind: 'explode' });
    assert.equal(badInput.ok, false);
    assert.deepEqual(await emitWithAck(socket, 'playhead', { position: 1.5, buffered: 1 }), {
      ok: true,
    });
    const badHead = await emitWithAck(socket, 'playhead', { position: -3 });
    assert.equal(badHead.ok, false);
  });

  it('should refuse a handshake with a wrong token', async () => {
    const s = await createSession(t.url);
    await assert.rejects(
      connectViewer(t.url, { id: s.id, token: 'forged' }),
      (err: Error & { data?: { code: string } }) => {
        assert.equal(err.data?.code, 'FRISSON_ERR_UNAUTHORIZED');
        return true;
      },
    );
  });

  it('should refuse events from a socket that has not joined a session', async () => {
    const { io } = await import('socket.io-client');
    const anon: ViewerClient = io(t.url, { transports: ['websocket'], reconnection: false });
    sockets.push(anon);
    await new Promise((r) => anon.once('connect', () => r(undefined)));
    const res = await emitWithAck(anon, 'sample', { bpm: 70 });
    assert.equal(res.ok, false);
    if (!res.ok) assert.equal(res.error.code, 'FRISSON_ERR_UNAUTHORIZED');
  });
});

describe('REST API', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('should create a session with id, token and playlist URL', async () => {
    const s = await createSession(t.url, { maxIntensity: 0.5, consent: true });
    assert.match(s.id, /^[0-9a-f-]{36}$/);
    assert.ok(s.token.length >= 32);
    assert.ok(s.playlistUrl.startsWith(`${t.url}/sessions/${s.id}/playlist.m3u8?token=`));
    const rec = await t.server.store.getSession(s.id);
    assert.equal(rec?.maxIntensity, 0.5);
    assert.equal(rec?.consent, true);
  });

  it('should reject bad bodies with a coded error', async () => {
    for (const body of ['{"maxIntensity": 3}', '{"nope": 1}', '{not json']) {
      const res = await fetch(`${t.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 400, body);
      const json = (await res.json()) as { error: { code: string } };
      assert.equal(json.error.code, 'FRISSON_ERR_INVALID_PAYLOAD');
    }
    const big = await fetch(`${t.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'x'.repeat(100_000) }),
    });
    assert.equal(big.status, 413);
  });

  it('should refuse a playlist without the session token', async () => {
    const s = await createSession(t.url);
    const res = await fetch(`${t.url}/sessions/${s.id}/playlist.m3u8?token=nope`);
    assert.equal(res.status, 401);
    const missing = await fetch(`${t.url}/sessions/unknown/playlist.m3u8?token=x`);
    assert.equal(missing.status, 404);
  });
});
