/**
 * Identity: HMAC-signed, expiring, scoped join tokens. Forged → FRISSON_ERR_UNAUTHORIZED, expired →
 * FRISSON_ERR_TOKEN_EXPIRED, another session/show → FRISSON_ERR_FORBIDDEN, on HTTP and on every
 * socket.io namespace; operator routes need FRISSON_OPERATOR_KEY.
 */
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import { JoinTokens } from '../../server/auth/join-token.js';
import {
  connectViewer,
  createSession,
  startTestServer,
  type TestServer,
} from '../support/server.js';

const OPERATOR_KEY = 'operator-key-for-tests';
const SECRET = 'a-test-secret-of-enough-length-0123';

interface ShowBody {
  id: string;
  screenSessionId: string;
  token: string;
  seats: Array<{ seat: string; token: string }>;
}

async function createShow(url: string, key = OPERATOR_KEY, body: object = { seatCount: 2 }) {
  return fetch(`${url}/api/shows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frisson-operator-key': key },
    body: JSON.stringify(body),
  });
}

function handshake(url: string, auth: object): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function refusedWith(p: Promise<Socket>, code: string): Promise<void> {
  await assert.rejects(p, (err: Error & { data?: { code: string } }) => {
    assert.equal(err.data?.code, code);
    return true;
  });
}

async function errorCode(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error?: { code: string } };
  return [res.status, body.error?.code ?? ''];
}

describe('join tokens and operator key (real server)', function () {
  this.timeout(30_000);
  let t: TestServer;
  let a: ShowBody;
  let b: ShowBody;
  const sockets: Socket[] = [];
  const expiredTokens = new JoinTokens({
    secret: Buffer.from(SECRET, 'utf8'),
    ttlSeconds: 60,
    clock: () => Date.now() - 3_600_000,
  });
  const foreignTokens = new JoinTokens({ secret: Buffer.alloc(32, 1), ttlSeconds: 3600 });

  before(async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, secret: SECRET });
    a = (await (await createShow(t.url)).json()) as ShowBody;
    b = (await (await createShow(t.url)).json()) as ShowBody;
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('should keep the session response shape and issue a signed session token', async () => {
    const s = await createSession(t.url);
    for (const key of ['id', 'token', 'playlistUrl', 'playerUrl']) assert.ok(key in s, key);
    assert.match(s.token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const ok = await fetch(s.playlistUrl);
    assert.equal(ok.status, 200);
    sockets.push(await connectViewer(t.url, s));
  });

  it('should refuse forged, expired and other-session tokens on the playlist and the hub', async () => {
    const s1 = await createSession(t.url);
    const s2 = await createSession(t.url);
    const playlist = (id: string, token: string) =>
      fetch(`${t.url}/sessions/${id}/playlist.m3u8?token=${encodeURIComponent(token)}`);
    const [body, sig] = s1.token.split('.') as [string, string];
    const flipped = `${body}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    const forged = foreignTokens.sign({ scope: 'session', id: s1.id });
    const expired = expiredTokens.sign({ scope: 'session', id: s1.id });
    assert.deepEqual(await errorCode(await playlist(s1.id, flipped)), [
      401,
      'FRISSON_ERR_UNAUTHORIZED',
    ]);
    assert.deepEqual(await errorCode(await playlist(s1.id, forged)), [
      401,
      'FRISSON_ERR_UNAUTHORIZED',
    ]);
    assert.deepEqual(await errorCode(await playlist(s1.id, expired)), [
      401,
      'FRISSON_ERR_TOKEN_EXPIRED',
    ]);
    assert.deepEqual(await errorCode(await playlist(s1.id, s2.token)), [
      403,
      'FRISSON_ERR_FORBIDDEN',
    ]);
    await refusedWith(
      connectViewer(t.url, { id: s1.id, token: forged }),
      'FRISSON_ERR_UNAUTHORIZED',
    );
    await refusedWith(
      connectViewer(t.url, { id: s1.id, token: expired }),
      'FRISSON_ERR_TOKEN_EXPIRED',
    );
    await refusedWith(
      connectViewer(t.url, { id: s1.id, token: s2.token }),
      'FRISSON_ERR_FORBIDDEN',
    );
    // A show token is not a home session's token either.
    await refusedWith(connectViewer(t.url, { id: s1.id, token: a.token }), 'FRISSON_ERR_FORBIDDEN');
  });

  it('should never let one show read or steer another', async () => {
    const screenB = (token: string) =>
      fetch(
        `${t.url}/sessions/${b.screenSessionId}/playlist.m3u8?token=${encodeURIComponent(token)}`,
      );
    assert.equal((await screenB(b.token)).status, 200);
    assert.deepEqual(await errorCode(await screenB(a.token)), [403, 'FRISSON_ERR_FORBIDDEN']);
    const seatA = a.seats[0]?.token ?? '';
    assert.deepEqual(await errorCode(await screenB(seatA)), [403, 'FRISSON_ERR_FORBIDDEN']);
    const snap = await fetch(`${t.url}/api/shows/${b.id}?token=${encodeURIComponent(a.token)}`);
    assert.deepEqual(await errorCode(snap), [403, 'FRISSON_ERR_FORBIDDEN']);
    const vote = await fetch(`${t.url}/api/shows/${b.id}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seatA}` },
      body: JSON.stringify({ seat: a.seats[0]?.seat, option: 'c' }),
    });
    assert.deepEqual(await errorCode(vote), [403, 'FRISSON_ERR_FORBIDDEN']);
    await refusedWith(
      handshake(`${t.url}/screens`, { showId: b.id, token: a.token }),
      'FRISSON_ERR_FORBIDDEN',
    );
    await refusedWith(
      handshake(`${t.url}/screens`, {
        showId: b.id,
        token: expiredTokens.sign({ scope: 'show', id: b.id }),
      }),
      'FRISSON_ERR_TOKEN_EXPIRED',
    );
    await refusedWith(
      handshake(`${t.url}/screens`, {
        showId: b.id,
        token: foreignTokens.sign({ scope: 'show', id: b.id }),
      }),
      'FRISSON_ERR_UNAUTHORIZED',
    );
    const report = await fetch(
      `${t.url}/api/reports/shows/${b.id}?token=${encodeURIComponent(a.token)}`,
    );
    assert.deepEqual(await errorCode(report), [403, 'FRISSON_ERR_FORBIDDEN']);
  });

  it('should route an agent only into the show of its token', async () => {
    const agent = await handshake(`${t.url}/seats`, { token: a.token });
    sockets.push(agent);
    const seat = b.seats[0]?.seat ?? 'S001'; // the same seat id exists in both shows
    const ack = (await agent.timeout(5000).emitWithAck('batch', {
      agentId: 'agent-x',
      seq: 1,
      samples: [{ seat, t: Date.now(), bpm: 70, contact: true }],
    })) as { ok: boolean };
    assert.equal(ack.ok, true);
    const seatsOf = (id: string) =>
      t.server.shows
        .get(id)
        ?.snapshot()
        .seats.find((s) => s.seat === seat)?.hr ?? null;
    assert.notEqual(seatsOf(a.id), null);
    assert.equal(seatsOf(b.id), null);
    await refusedWith(
      handshake(`${t.url}/seats`, { token: 'forged.token' }),
      'FRISSON_ERR_UNAUTHORIZED',
    );
    await refusedWith(
      handshake(`${t.url}/seats`, { token: foreignTokens.sign({ scope: 'show', id: a.id }) }),
      'FRISSON_ERR_UNAUTHORIZED',
    );
  });

  it('should keep operator routes and the operator namespace behind the operator key', async () => {
    assert.deepEqual(await errorCode(await createShow(t.url, '')), [
      401,
      'FRISSON_ERR_UNAUTHORIZED',
    ]);
    assert.deepEqual(await errorCode(await createShow(t.url, 'wrong-key-123')), [
      401,
      'FRISSON_ERR_UNAUTHORIZED',
    ]);
    const control = await fetch(`${t.url}/api/shows/${a.id}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ action: 'end' }),
    });
    assert.deepEqual(await errorCode(control), [401, 'FRISSON_ERR_UNAUTHORIZED']);
    await refusedWith(
      handshake(`${t.url}/operators`, { showId: a.id, key: 'wrong-key-123' }),
      'FRISSON_ERR_UNAUTHORIZED',
    );
    await refusedWith(
      handshake(`${t.url}/operators`, { showId: 'no-such-show', key: OPERATOR_KEY }),
      'FRISSON_ERR_SHOW_NOT_FOUND',
    );
    const op = await handshake(`${t.url}/operators`, { showId: a.id, key: OPERATOR_KEY });
    sockets.push(op);
    const snap = (await op.timeout(5000).emitWithAck('snapshot', {})) as {
      ok: boolean;
      snapshot: { showId: string };
    };
    assert.equal(snap.snapshot.showId, a.id);
  });

  it('should refuse operator routes entirely when no operator key is configured', async () => {
    const bare = await startTestServer();
    try {
      assert.deepEqual(await errorCode(await createShow(bare.url, OPERATOR_KEY)), [
        401,
        'FRISSON_ERR_UNAUTHORIZED',
      ]);
    } finally {
      await bare.close();
    }
  });
});
