/**
 * Biometric data rights: export (JSON) and erase per viewer — a home session, or one seat of a
 * show — and the retention purge at start. Rows are counted through the server's own store (the
 * database is locked to it); test/integration/privacy-erase-files.test.ts checks the bytes of the
 * files themselves from outside the server process.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';

const OPERATOR_KEY = 'operator-key-for-tests';

describe('privacy: export, erase, retention (real server, SQLite file)', function () {
  this.timeout(30_000);
  let t: TestServer;
  const sockets: Array<ViewerClient | Socket> = [];

  before(async () => {
    t = await startTestServer({ operatorKey: OPERATOR_KEY });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('should export a viewer as JSON and erase every one of their samples', async () => {
    const mine = await createSession(t.url, { consent: true });
    const other = await createSession(t.url, { consent: true });
    const v1 = await connectViewer(t.url, mine);
    const v2 = await connectViewer(t.url, other);
    sockets.push(v1, v2);
    for (let i = 0; i < 5; i++) await emitWithAck(v1, 'sample', { bpm: 70 + i, rr: [850] });
    for (let i = 0; i < 3; i++) await emitWithAck(v2, 'sample', { bpm: 80 });
    await t.server.sessions.get(mine.id)?.flushSamples();
    await t.server.sessions.get(other.id)?.flushSamples();

    const exp = await fetch(
      `${t.url}/api/privacy/sessions/${mine.id}?token=${encodeURIComponent(mine.token)}`,
    );
    assert.equal(exp.status, 200);
    const body = (await exp.json()) as {
      session: Record<string, unknown>;
      samples: Array<{ bpm: number }>;
    };
    assert.deepEqual(
      body.samples.map((s) => s.bpm),
      [70, 71, 72, 73, 74],
    );
    assert.equal('token' in body.session, false);

    // Another viewer's token cannot export or erase me.
    const denied = await fetch(`${t.url}/api/privacy/sessions/${mine.id}/samples`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.equal(denied.status, 403);

    const del = await fetch(`${t.url}/api/privacy/sessions/${mine.id}/samples`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${mine.token}` },
    });
    assert.deepEqual(await del.json(), {
      ok: true,
      erased: 5,
      where: { database: { samples: 5 }, memory: { samples: 0 }, traces: null },
    });
    // Samples after the erase are not stored (consent withdrawn) — nothing of mine is stored.
    await emitWithAck(v1, 'sample', { bpm: 90 });
    await t.server.sessions.get(mine.id)?.flushSamples();
    const store = t.server.store;
    assert.equal(await store.countSamples(mine.id), 0);
    assert.equal((await store.getSession(mine.id))?.consent, false);
    assert.equal(await store.countSamples(other.id), 3);
  });

  it('should erase one seat of a show and keep the others', async () => {
    const res = await fetch(`${t.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
      body: JSON.stringify({ seats: ['A1', 'A2'], consent: true }),
    });
    const show = (await res.json()) as {
      id: string;
      token: string;
      screenSessionId: string;
      seats: Array<{ seat: string; token: string }>;
    };
    const agent = io(`${t.url}/seats`, {
      transports: ['websocket'],
      auth: { token: show.token },
      reconnection: false,
    });
    sockets.push(agent);
    const now = Date.now();
    const samples = [0, 1, 2].flatMap((k) => [
      { seat: 'A1', t: now + k * 1000, bpm: 70 },
      { seat: 'A2', t: now + k * 1000, bpm: 75 },
    ]);
    const ack = (await agent
      .timeout(5000)
      .emitWithAck('batch', { agentId: 'ag', seq: 1, samples })) as { ok: boolean };
    assert.equal(ack.ok, true);
    await t.server.shows.get(show.id)?.flushSamples();
    const a1 = show.seats.find((s) => s.seat === 'A1')?.token ?? '';

    const exp = await fetch(
      `${t.url}/api/privacy/shows/${show.id}/seats/A1?token=${encodeURIComponent(a1)}`,
    );
    assert.equal(((await exp.json()) as { samples: unknown[] }).samples.length, 3);
    const byShowToken = await fetch(
      `${t.url}/api/privacy/shows/${show.id}/seats/A1?token=${encodeURIComponent(show.token)}`,
    );
    assert.equal(byShowToken.status, 403);
    const crossSeat = await fetch(`${t.url}/api/privacy/shows/${show.id}/seats/A2/samples`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${a1}` },
    });
    assert.equal(crossSeat.status, 403);

    const del = await fetch(`${t.url}/api/privacy/shows/${show.id}/seats/A1/samples`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${a1}` },
    });
    assert.deepEqual(await del.json(), {
      ok: true,
      erased: 3,
      where: { database: { samples: 3 }, memory: { samples: 0 }, traces: null },
    });
    // Later samples of the erased seat are not stored either.
    await agent.timeout(5000).emitWithAck('batch', {
      agentId: 'ag',
      seq: 2,
      samples: [
        { seat: 'A1', t: now + 4000, bpm: 71 },
        { seat: 'A2', t: now + 4000, bpm: 76 },
      ],
    });
    await t.server.shows.get(show.id)?.flushSamples();
    const bySeat = async (seat: string): Promise<number> =>
      (await t.server.store.listSamples(show.screenSessionId, { source: seat })).length;
    assert.equal(await bySeat('A1'), 0);
    assert.equal(await bySeat('A2'), 4);
  });

  it('should purge samples older than the retention period at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frisson-retention-'));
    const db = join(dir, 'keep.db');
    try {
      const first = await startTestServer({ db });
      const s = await createSession(first.url, { consent: true });
      const day = 86_400_000;
      await first.server.store.appendSamples([
        { sessionId: s.id, source: 'viewer', t: Date.now() - 40 * day, bpm: 60 },
        { sessionId: s.id, source: 'viewer', t: Date.now() - 10 * day, bpm: 61 },
      ]);
      await first.close();
      const second = await startTestServer({ db, retentionDays: 30 });
      const left = await second.server.store.listSamples(s.id);
      await second.close();
      assert.deepEqual(
        left.map((x) => x.bpm),
        [61],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
