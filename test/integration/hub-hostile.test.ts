/**
 * Hostile clients on the hub (issue 22 items 6–8), against a real server on port 0 with real
 * socket.io clients and raw TCP: rate limits per credential on every namespace (`/seats` too), a
 * small frame limit and a deadline before authentication, a connection cap, HTTP timeouts against a
 * slowloris, token expiry enforced on live sockets, and throttled operator-key guesses.
 */
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { createSession, startTestServer, type TestServer } from '../support/server.js';
import { connectSocket } from '../support/sockets.js';

const OPERATOR_KEY = 'operator-key-for-hostile-tests';

interface Show {
  id: string;
  token: string;
  seats: Array<{ seat: string; token: string }>;
}

type Ack = { ok: true } | { ok: false; error: { code: string; message: string } };

async function createShow(url: string, body: object): Promise<Show> {
  const res = await fetch(`${url}/api/shows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Show;
}

const codeOf = (a: Ack): string => (a.ok ? 'ok' : a.error.code);

/** Resolves with the disconnect reason, or 'connected' if still connected after `ms`. */
function disconnectWithin(socket: Socket, ms: number): Promise<string> {
  if (!socket.connected) return Promise.resolve('not connected');
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('connected'), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

function batch(seat: string, seq: number, n = 1) {
  return {
    agentId: `agent-${seat}`,
    seq,
    samples: Array.from({ length: n }, (_, i) => ({
      seat,
      t: Date.now() + i,
      bpm: 70,
      contact: true,
    })),
  };
}

describe('hostile clients on the hub (real server, real sockets)', function () {
  this.timeout(60_000);
  let t: TestServer | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await t?.close();
    t = undefined;
  });
  const keep = (s: Socket): Socket => (sockets.push(s), s);

  it('should keep one /seats rate limit per seat token however many sockets use it', async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, rateLimit: 5, rateBurst: 20 });
    const show = await createShow(t.url, { seatCount: 2 });
    const seat = show.seats[0]!;
    const agents = await Promise.all(
      Array.from({ length: 10 }, () =>
        connectSocket(`${t!.url}/seats`, { token: seat.token }, { forceNew: true }).then(keep),
      ),
    );
    const t0 = Date.now();
    let seq = 0;
    const acks = await Promise.all(
      agents.flatMap((a) =>
        Array.from(
          { length: 10 },
          () => a.timeout(5000).emitWithAck('batch', batch(seat.seat, ++seq)) as Promise<Ack>,
        ),
      ),
    );
    const seconds = (Date.now() - t0) / 1000;
    const codes = acks.map(codeOf);
    const ok = codes.filter((c) => c === 'ok').length;
    // 100 batches on 10 sockets, one seat: the seat's budget (20 + 5/s), not 10 sockets' budgets.
    assert.ok(ok <= 20 + Math.ceil(5 * seconds) + 1, `${ok} of 100 batches accepted`);
    assert.ok(codes.includes('FRISSON_ERR_RATE_LIMITED'));
    // Another seat of the same show has its own budget.
    const other = keep(await connectSocket(`${t.url}/seats`, { token: show.seats[1]!.token }));
    const ack = (await other
      .timeout(5000)
      .emitWithAck('batch', batch(show.seats[1]!.seat, 1))) as Ack;
    assert.equal(codeOf(ack), 'ok');
  });

  it('should keep one viewer rate limit per session however many sockets join it', async () => {
    t = await startTestServer({ rateLimit: 1, rateBurst: 10 });
    const s = await createSession(t.url);
    const viewers = await Promise.all(
      Array.from({ length: 10 }, () =>
        connectSocket(t!.url, { sessionId: s.id, token: s.token }, { forceNew: true }).then(keep),
      ),
    );
    const acks = await Promise.all(
      viewers.flatMap((v) =>
        Array.from(
          { length: 10 },
          () => v.timeout(5000).emitWithAck('sample', { bpm: 70 }) as Promise<Ack>,
        ),
      ),
    );
    const ok = acks.map(codeOf).filter((c) => c === 'ok').length;
    assert.ok(ok <= 12, `${ok} of 100 samples accepted with a burst of 10`);
  });

  it('should close a connection that sends a large frame before authenticating, not parse it', async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, preAuthFrameBytes: 32 * 1024 });
    const stranger = keep(await connectSocket(t.url, {}, { forceNew: true }));
    const closed = disconnectWithin(stranger, 5000);
    // A deeply nested ~100 KB payload: never handed to JSON.parse.
    stranger.emit('sample', JSON.parse('['.repeat(2000) + ']'.repeat(2000)), {
      pad: 'x'.repeat(100_000),
    });
    assert.notEqual(await closed, 'connected');
    // An authenticated sensor agent may still send a large catch-up batch (~150 KB).
    const show = await createShow(t.url, { seatCount: 1 });
    const agent = keep(await connectSocket(`${t.url}/seats`, { token: show.token }));
    const big = batch(show.seats[0]!.seat, 1, 2000);
    assert.ok(JSON.stringify(big).length > 100_000);
    const ack = (await agent.timeout(5000).emitWithAck('batch', big)) as Ack;
    assert.equal(codeOf(ack), 'ok');
    // A joined viewer too (the limit is for strangers).
    const s = await createSession(t.url);
    const viewer = keep(await connectSocket(t.url, { sessionId: s.id, token: s.token }));
    const tooBig = (await viewer
      .timeout(5000)
      .emitWithAck('sample', { bpm: 70, junk: 'x'.repeat(40_000) })) as Ack;
    assert.equal(codeOf(tooBig), 'FRISSON_ERR_PAYLOAD_TOO_LARGE');
  });

  it('should disconnect a socket that stays unauthenticated past the deadline', async () => {
    t = await startTestServer({ authTimeout: 1 });
    const s = await createSession(t.url);
    const idle = keep(await connectSocket(t.url, {}, { forceNew: true }));
    const joined = keep(await connectSocket(t.url, {}, { forceNew: true }));
    const viaAuth = keep(
      await connectSocket(t.url, { sessionId: s.id, token: s.token }, { forceNew: true }),
    );
    const join = (await joined.timeout(5000).emitWithAck('join', {
      sessionId: s.id,
      token: s.token,
    })) as Ack;
    assert.equal(codeOf(join), 'ok');
    const [idleFate, joinedFate, authFate] = await Promise.all([
      disconnectWithin(idle, 4000),
      disconnectWithin(joined, 2500),
      disconnectWithin(viaAuth, 2500),
    ]);
    assert.notEqual(idleFate, 'connected', 'an idle stranger is closed');
    assert.equal(joinedFate, 'connected');
    assert.equal(authFate, 'connected');
  });

  it('should cap connections with a clear 503 and a coded connect error', async () => {
    t = await startTestServer({ maxConnections: 3 });
    const s = await createSession(t.url);
    for (let i = 0; i < 3; i++) {
      keep(await connectSocket(t.url, { sessionId: s.id, token: s.token }, { forceNew: true }));
    }
    const res = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 503);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'FRISSON_ERR_UNAVAILABLE');
    await assert.rejects(
      connectSocket(t.url, { sessionId: s.id, token: s.token }, { forceNew: true }),
      'the fourth socket is refused',
    );
    // Room again once one leaves.
    sockets.pop()?.close();
    await sleep(200);
    keep(await connectSocket(t.url, { sessionId: s.id, token: s.token }, { forceNew: true }));
  });

  it('should close a slowloris connection after the headers timeout', async () => {
    t = await startTestServer({ httpHeadersTimeoutMs: 1000, httpRequestTimeoutMs: 2000 });
    const { port } = new URL(t.url);
    const sock = tcpConnect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => sock.write('X-a: b\r\n'), 300);
    const t0 = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(Infinity), 6000);
      sock.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - t0);
      });
      sock.on('error', () => undefined);
      sock.resume();
    });
    clearInterval(drip);
    sock.destroy();
    assert.ok(closedAfter < 4000, `the slow client held its connection ${closedAfter} ms`);
  });

  it('should refuse and disconnect live sockets whose token expired', async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, tokenTtl: 3 });
    const s = await createSession(t.url);
    const viewer = keep(await connectSocket(t.url, { sessionId: s.id, token: s.token }));
    const show = await createShow(t.url, { seatCount: 1 });
    const agent = keep(await connectSocket(`${t.url}/seats`, { token: show.seats[0]!.token }));
    assert.equal(
      codeOf((await viewer.timeout(5000).emitWithAck('sample', { bpm: 70 })) as Ack),
      'ok',
    );
    const fine = (await agent
      .timeout(5000)
      .emitWithAck('batch', batch(show.seats[0]!.seat, 1))) as Ack;
    assert.equal(codeOf(fine), 'ok');
    await sleep(3300); // exp is whole seconds: expired 2–3 s after signing
    // The agent's next batch is refused with a code, then the agent is disconnected.
    const agentGone = disconnectWithin(agent, 3000);
    const late = (await agent
      .timeout(5000)
      .emitWithAck('batch', batch(show.seats[0]!.seat, 2))) as Ack;
    assert.equal(codeOf(late), 'FRISSON_ERR_TOKEN_EXPIRED');
    assert.notEqual(await agentGone, 'connected');
    // The viewer was disconnected when its token expired, even without sending.
    assert.equal(viewer.connected, false);
    // And cannot come back with it.
    await assert.rejects(
      connectSocket(t.url, { sessionId: s.id, token: s.token }, { forceNew: true }),
      (err: Error & { data?: { code?: string } }) => err.data?.code === 'FRISSON_ERR_TOKEN_EXPIRED',
    );
  });

  it('should throttle operator-key guesses per address with 429 and Retry-After', async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY, operatorAttempts: 10 });
    const attempt = (key: string) =>
      fetch(`${t!.url}/api/shows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-frisson-operator-key': key },
        body: '{}',
      });
    for (let i = 0; i < 10; i++) assert.equal((await attempt(`wrong-key-${i}`)).status, 401);
    const refused = await attempt('wrong-key-again');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'FRISSON_ERR_RATE_LIMITED',
    );
    // While throttled even the right key learns nothing, on HTTP and on /operators alike.
    assert.equal((await attempt(OPERATOR_KEY)).status, 429);
    const op = io(`${t.url}/operators`, {
      transports: ['websocket'],
      auth: { showId: 'any', key: OPERATOR_KEY },
      reconnection: false,
      forceNew: true,
    });
    keep(op);
    const err = await new Promise<Error & { data?: { code?: string } }>((resolve) =>
      op.once('connect_error', resolve),
    );
    assert.equal(err.data?.code, 'FRISSON_ERR_RATE_LIMITED');
  });
});
