/**
 * Issue 22 finding 3: cluster mode stores samples, and an erase sent to any process is complete.
 *
 * A real redis-server and two real `frisson serve` processes (a, b), each with its own SQLite file
 * and trace directory. The viewer's session lives on a; its socket is connected to b, so every
 * sample travels b → Redis stream → a. Then: samples are archived (no FOREIGN KEY flood), an export
 * through b gathers them, an erase through b reaches a and says what was erased where, and the
 * bytes of both databases, their WALs, both trace directories and every value in Redis hold none
 * of the erased values — also after both processes restart, when the viewer stays erased. A
 * process that was down during an erase applies it when it starts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { trimStreams } from '../../server/cluster/cluster-privacy.js';
import { startTwoHubs, type TwoHubs } from '../support/cluster.js';
import { redisContents } from '../support/redis-contents.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  writeFixtureStoryDir,
  type ViewerClient,
} from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const SECRET = 'cluster-privacy-secret-0123456789abcdef';
const OPERATOR_KEY = 'cluster-privacy-operator-key';

function filesOf(dir: string): string[] {
  const files: string[] = [];
  for (const node of ['a', 'b']) {
    const db = join(dir, `${node}.db`);
    files.push(...[db, `${db}-wal`, `${db}-journal`].filter((f) => existsSync(f)));
    const traces = join(dir, `traces-${node}`);
    if (existsSync(traces)) for (const f of readdirSync(traces)) files.push(join(traces, f));
  }
  return files;
}

const grep = (files: string[], needle: string): string[] =>
  files.filter((f) => readFileSync(f).includes(needle));

async function json<T>(res: Response): Promise<T> {
  assert.ok(res.ok, `${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

interface EraseAnswer {
  ok: boolean;
  erased: number;
  where: {
    database: { samples: number };
    memory: { samples: number };
    traces: { files: number; samples: number } | null;
    nodes: Array<{ node: string; database: { samples: number } }>;
    redis: { streamEntries: number };
  };
}

describe('cluster privacy: samples stored, erase through any process (redis-server, two hubs)', function () {
  this.timeout(120_000);
  let dir: string;
  let rig: TwoHubs | undefined;
  const sockets: ViewerClient[] = [];

  before(async function () {
    await requireSystem(this, 'redis-server');
    dir = await mkdtemp(join(tmpdir(), 'frisson-cluster-privacy-'));
    const story = await writeFixtureStoryDir(dir);
    rig = await startTwoHubs({
      story,
      dir,
      env: { FRISSON_SECRET: SECRET, FRISSON_OPERATOR_KEY: OPERATOR_KEY },
      nodeEnv: {
        a: { FRISSON_TRACE_DIR: join(dir, 'traces-a') },
        b: { FRISSON_TRACE_DIR: join(dir, 'traces-b') },
      },
    });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await rig?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should archive relayed samples on the owner and erase them everywhere through another hub', async () => {
    const { hubA, hubB, redis } = rig!;
    const mine = await createSession(hubA.url, { consent: true });
    const other = await createSession(hubA.url, { consent: true });
    const v1 = await connectViewer(hubB.url, mine); // relayed to a through Redis
    const v2 = await connectViewer(hubA.url, other);
    sockets.push(v1, v2);
    for (let i = 0; i < 40; i++) {
      assert.deepEqual(await emitWithAck(v1, 'sample', { bpm: 173, rr: [346.8] }), { ok: true });
    }
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await emitWithAck(v2, 'sample', { bpm: 64, rr: [937.5] }), { ok: true });
    }
    // The export through b flushes a's queue and gathers every node's archive.
    const exp = await json<{ samples: unknown[]; decisions: unknown[] }>(
      await fetch(
        `${hubB.url}/api/privacy/sessions/${mine.id}?token=${encodeURIComponent(mine.token)}`,
      ),
    );
    assert.equal(exp.samples.length, 40);
    assert.ok(exp.decisions.length > 0, 'decisions are stored in cluster mode');
    // The report through b charts the heart rate a archived (not b's empty archive).
    const report = await json<{ heartRate: Array<[number, number]> }>(
      await fetch(
        `${hubB.url}/api/reports/sessions/${mine.id}?token=${encodeURIComponent(mine.token)}`,
      ),
    );
    assert.ok(report.heartRate.length > 0 && report.heartRate.every(([, bpm]) => bpm === 173));
    await sleep(1500); // a few flush ticks: a failing flush would log by now
    for (const hub of [hubA, hubB]) {
      assert.doesNotMatch(hub.printed, /FOREIGN KEY|flush failed/, hub.printed.slice(-2000));
    }
    const before = filesOf(dir);
    assert.ok(grep(before, '346.8').some((f) => f.endsWith('a.db') || f.endsWith('a.db-wal')));
    assert.ok(grep(before, '"bpm":173').length >= 1, 'a trace holds the samples');
    // Room broadcasts of the session's state (its heart rate) sit in the adapter's stream.
    const carried = (await redisContents(redis.url)).entries.filter(
      (e) => e.text.includes(mine.id) && e.text.includes('"heartRate":173'),
    );
    assert.ok(carried.length > 0, 'the stream carried the viewer’s heart rate');
    const erasedAt = Date.now();

    const erased = await json<EraseAnswer>(
      await fetch(`${hubB.url}/api/privacy/sessions/${mine.id}/samples`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${mine.token}` },
      }),
    );
    assert.equal(erased.ok, true);
    assert.equal(erased.erased, 40);
    assert.deepEqual(erased.where.database, { samples: 40 });
    assert.deepEqual(erased.where.nodes.map((n) => [n.node, n.database.samples]).sort(), [
      ['a', 40],
      ['b', 0],
    ]);
    assert.equal(erased.where.traces?.samples, 40);
    // Every stream entry that carried the viewer's heart rate was deleted (how many states a
    // session broadcasts per sample is the hub's business: ≥ 1 per second, not one per sample).
    assert.ok(
      erased.where.redis.streamEntries >= carried.length,
      `${carried.length} entries carried it; ${JSON.stringify(erased.where)}`,
    );

    const running = filesOf(dir);
    assert.deepEqual(grep(running, '346.8'), [], 'erased values left in a file');
    assert.deepEqual(grep(running, '"bpm":173'), []);
    const inRedis = await redisContents(redis.url);
    for (const needle of ['346.8', '"bpm":173', '"heartRate":173']) {
      assert.ok(!inRedis.text.includes(needle), `${needle} left in Redis`);
    }
    // Entries from before the erase that mention the session are gone (a session that keeps
    // playing broadcasts new states; the stream keeps those ≤ the recovery window, see below).
    const left = inRedis.entries.filter((e) => e.ms < erasedAt && e.text.includes(mine.id));
    assert.deepEqual(left, [], 'stream entries of the erased viewer left in Redis');
    assert.ok(
      inRedis.entries.some((e) => e.ms < erasedAt && e.text.includes(other.id)),
      'other sessions’ stream entries were scrubbed too',
    );

    // Samples after the erase are not stored; both hubs restart; the viewer stays erased.
    assert.deepEqual(await emitWithAck(v1, 'sample', { bpm: 173, rr: [346.8] }), { ok: true });
    sockets.splice(0).forEach((s) => s.close());
    await Promise.all([hubA.stop(), hubB.stop()]);
    await Promise.all([hubA.start(), hubB.start()]);
    const again = await connectViewer(hubA.url, mine);
    sockets.push(again);
    for (let i = 0; i < 5; i++) await emitWithAck(again, 'sample', { bpm: 173, rr: [346.8] });
    const after = await json<{ samples: unknown[] }>(
      await fetch(
        `${hubA.url}/api/privacy/sessions/${mine.id}?token=${encodeURIComponent(mine.token)}`,
      ),
    );
    assert.equal(after.samples.length, 0, 'the erased viewer was recorded again after a restart');
    assert.deepEqual(grep(filesOf(dir), '346.8'), []);
    assert.ok(grep(filesOf(dir), '937.5').length >= 1, 'the other viewer lost data');
  });

  it('should erase one seat of a show served by another hub, and only that seat', async () => {
    const { hubA, hubB } = rig!;
    const op = { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY };
    const show = await json<{ id: string; token: string }>(
      await fetch(`${hubA.url}/api/shows`, {
        method: 'POST',
        headers: op,
        body: JSON.stringify({ seats: ['A1', 'A2'], consent: true }),
      }),
    );
    const agent = io(`${hubA.url}/seats`, {
      transports: ['websocket'],
      auth: { token: show.token },
      reconnection: false,
    });
    try {
      const now = Date.now();
      const samples = [0, 1, 2].flatMap((k) => [
        { seat: 'A1', t: now + k * 250, bpm: 71, rr: [845.1] },
        { seat: 'A2', t: now + k * 250, bpm: 75, rr: [733.9] },
      ]);
      const ack = (await agent
        .timeout(5000)
        .emitWithAck('batch', { agentId: 'ag', seq: 1, samples })) as { ok: boolean };
      assert.equal(ack.ok, true);
    } finally {
      agent.close();
    }
    // The export through b gathers a's archive.
    const exp = await json<{ samples: unknown[] }>(
      await fetch(`${hubB.url}/api/privacy/shows/${show.id}/seats/A1`, { headers: op }),
    );
    assert.equal(exp.samples.length, 3);
    const erased = await json<EraseAnswer>(
      await fetch(`${hubB.url}/api/privacy/shows/${show.id}/seats/A1/samples`, {
        method: 'DELETE',
        headers: op,
      }),
    );
    assert.equal(erased.erased, 3);
    assert.deepEqual(erased.where.nodes.map((n) => [n.node, n.database.samples]).sort(), [
      ['a', 3],
      ['b', 0],
    ]);
    assert.deepEqual(grep(filesOf(dir), '845.1'), []);
    assert.ok(grep(filesOf(dir), '733.9').length >= 1, 'the other seat lost data');
  });

  it('should apply an erase on a process that was down when it was sent', async () => {
    const { hubA, hubB } = rig!;
    const s = await createSession(hubA.url, { consent: true });
    const v = await connectViewer(hubA.url, s);
    sockets.push(v);
    for (let i = 0; i < 10; i++) await emitWithAck(v, 'sample', { bpm: 171, rr: [512.3] });
    await json(
      await fetch(`${hubA.url}/api/privacy/sessions/${s.id}?token=${encodeURIComponent(s.token)}`),
    );
    v.close();
    await hubA.kill9();
    assert.ok(grep(filesOf(dir), '512.3').length >= 1);
    const erased = await json<EraseAnswer>(
      await fetch(`${hubB.url}/api/privacy/sessions/${s.id}/samples`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${s.token}` },
      }),
    );
    assert.equal(erased.ok, true);
    await hubA.start();
    assert.deepEqual(grep(filesOf(dir), '512.3'), [], 'the restarted process kept erased values');
  });

  it('should keep no adapter stream entry older than the recovery window', async () => {
    const r = new Redis(rig!.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    try {
      const now = Date.now();
      // Entries as the adapter writes them, 60 s, 40 s and 1 s old, in a stream of their own.
      for (const age of [60_000, 40_000, 1_000]) {
        await r.xadd('trim-test', `${now - age}-0`, 'data', `{"heartRate":${age}}`);
      }
      const dropped = await trimStreams(r, 35_000, now);
      assert.ok(dropped >= 2, `dropped ${dropped}`);
      const left = await r.xrange('trim-test', '-', '+');
      assert.deepEqual(
        left.map(([id]) => id),
        [`${now - 1_000}-0`],
      );
    } finally {
      r.disconnect();
    }
  });
});
