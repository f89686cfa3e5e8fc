/**
 * Issue 22 findings 1 and 2: an erase erases everywhere, and stays done.
 *
 * Against real `frisson serve` processes with FRISSON_TRACE_DIR set: after
 * `DELETE /api/privacy/…/samples`, the bytes of the database, its `-wal` and every trace file are
 * searched (what `grep -a` does) for the erased viewer's distinctive values — while the server
 * runs and again after a clean shutdown. An erased seat stays erased after a restart. Retention
 * (FRISSON_RETENTION_DAYS) purges trace files as well as the database.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { parseTrace } from '../../sensors/trace/trace-format.js';
import { freePort, ServerProcess } from '../support/processes.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  writeFixtureStoryDir,
} from '../support/server.js';

const OPERATOR_KEY = 'operator-key-for-erase-tests';

/** The files `grep -a -r` would search: the database, its WAL, and the trace directory. */
function filesOf(db: string, traceDir: string): string[] {
  const files = [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].filter((f) => existsSync(f));
  if (existsSync(traceDir)) {
    for (const name of readdirSync(traceDir)) files.push(join(traceDir, name));
  }
  return files;
}

/** Files among `files` whose bytes contain `needle` (read from outside the server process). */
function grep(files: string[], needle: string): string[] {
  return files.filter((f) => readFileSync(f).includes(needle));
}

async function json<T>(res: Response): Promise<T> {
  assert.ok(res.ok, `${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

describe('privacy: erase everywhere (real server processes, database and trace files)', function () {
  this.timeout(90_000);
  let dir: string;
  let story: string;
  let srv: ServerProcess | undefined;
  const sockets: Socket[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-erase-files-'));
    story = await writeFixtureStoryDir(dir);
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await srv?.stop();
    srv = undefined;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should leave none of an erased viewer’s values in the database, its WAL or the trace files', async () => {
    const data = join(dir, 'viewer');
    const db = join(data, 'frisson.db');
    const traces = join(data, 'traces');
    srv = new ServerProcess({
      story,
      db,
      port: await freePort(),
      env: { FRISSON_TRACE_DIR: traces },
    });
    await srv.start();
    const mine = await createSession(srv.url, { consent: true });
    const other = await createSession(srv.url, { consent: true });
    const v1 = await connectViewer(srv.url, mine);
    const v2 = await connectViewer(srv.url, other);
    sockets.push(v1, v2);
    // Distinctive values (an rr text no other row has; bpm as the trace's JSON writes it).
    for (let i = 0; i < 40; i++) {
      assert.deepEqual(await emitWithAck(v1, 'sample', { bpm: 173, rr: [346.8] }), { ok: true });
    }
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await emitWithAck(v2, 'sample', { bpm: 64, rr: [937.5] }), { ok: true });
    }
    // Export flushes the session's queue: all 40 are stored now.
    const exp = await json<{ samples: unknown[] }>(
      await fetch(
        `${srv.url}/api/privacy/sessions/${mine.id}?token=${encodeURIComponent(mine.token)}`,
      ),
    );
    assert.equal(exp.samples.length, 40);
    const before = filesOf(db, traces);
    assert.ok(grep(before, '346.8').length >= 2, 'the search finds the values before the erase');
    assert.ok(grep(before, '"bpm":173').length === 1, 'the trace holds the samples');

    const erased = await json<{
      ok: boolean;
      erased: number;
      where?: { database: { samples: number }; traces: { files: number; samples: number } };
    }>(
      await fetch(`${srv.url}/api/privacy/sessions/${mine.id}/samples`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${mine.token}` },
      }),
    );
    assert.equal(erased.ok, true);
    assert.equal(erased.erased, 40);

    // While the server runs (its WAL open) and after a clean shutdown.
    const running = filesOf(db, traces);
    assert.ok(running.includes(`${db}-wal`), 'the WAL is there while the server runs');
    assert.deepEqual(grep(running, '346.8'), [], 'erased values left in the files');
    assert.deepEqual(grep(running, '"bpm":173'), []);
    assert.equal(existsSync(join(traces, `${mine.id}.trace.jsonl`)), false);
    // The answer says what was erased where.
    assert.deepEqual(erased.where?.database, { samples: 40 });
    assert.deepEqual(erased.where?.traces, { files: 1, samples: 40 });
    // Samples sent after the erase are neither stored nor traced.
    await emitWithAck(v1, 'sample', { bpm: 173, rr: [346.8] });
    await srv.stop();
    const stopped = filesOf(db, traces);
    assert.deepEqual(grep(stopped, '346.8'), []);
    assert.deepEqual(grep(stopped, '"bpm":173'), []);
    // The other viewer's data is untouched.
    assert.ok(grep(stopped, '937.5').length >= 2, 'the other viewer lost data');
  });

  it('should keep an erased seat erased after a restart', async () => {
    const data = join(dir, 'seat');
    const db = join(data, 'frisson.db');
    const port = await freePort();
    srv = new ServerProcess({ story, db, port, env: { FRISSON_OPERATOR_KEY: OPERATOR_KEY } });
    await srv.start();
    const show = await json<{ id: string; token: string }>(
      await fetch(`${srv.url}/api/shows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
        body: JSON.stringify({ seats: ['A1', 'A2'], consent: true }),
      }),
    );
    const send = async (seq: number, t: number): Promise<void> => {
      const agent = io(`${srv!.url}/seats`, {
        transports: ['websocket'],
        auth: { token: show.token },
        reconnection: false,
      });
      sockets.push(agent);
      const samples = [0, 1, 2].flatMap((k) => [
        { seat: 'A1', t: t + k * 250, bpm: 71, rr: [845.1] },
        { seat: 'A2', t: t + k * 250, bpm: 75, rr: [800] },
      ]);
      const ack = (await agent
        .timeout(5000)
        .emitWithAck('batch', { agentId: 'ag', seq, samples })) as { ok: boolean };
      assert.equal(ack.ok, true);
      agent.close();
    };
    const seatSamples = async (seat: string): Promise<number> => {
      const res = await fetch(`${srv!.url}/api/privacy/shows/${show.id}/seats/${seat}`, {
        headers: { 'x-frisson-operator-key': OPERATOR_KEY },
      });
      return (await json<{ samples: unknown[] }>(res)).samples.length;
    };

    await send(1, Date.now());
    assert.equal(await seatSamples('A1'), 3);
    const del = await json<{ erased: number }>(
      await fetch(`${srv.url}/api/privacy/shows/${show.id}/seats/A1/samples`, {
        method: 'DELETE',
        headers: { 'x-frisson-operator-key': OPERATOR_KEY },
      }),
    );
    assert.equal(del.erased, 3);

    await srv.stop();
    await srv.start();
    await send(2, Date.now());
    await sleep(100);
    assert.equal(await seatSamples('A1'), 0, 'the erased seat was recorded again after a restart');
    assert.equal(await seatSamples('A2'), 6);
  });

  it('should purge trace files with the retention period, as the database', async () => {
    const data = await mkdtemp(join(tmpdir(), 'frisson-retention-traces-'));
    const traces = join(data, 'traces');
    await mkdir(traces);
    const day = 86_400_000;
    const now = Date.now();
    const header = JSON.stringify({
      format: 'frisson-trace',
      version: 1,
      createdAt: now - 40 * day,
    });
    const line = (t: number, bpm: number): string => JSON.stringify({ t, bpm });
    // One trace entirely older than the retention, one that straddles it, one recent.
    writeFileSync(join(traces, 'old.trace.jsonl'), `${header}\n${line(now - 40 * day, 61)}\n`);
    writeFileSync(
      join(traces, 'mixed.trace.jsonl'),
      `${header}\n${line(now - 35 * day, 62)}\n${line(now - 2 * day, 63)}\n`,
    );
    writeFileSync(join(traces, 'new.trace.jsonl'), `${header}\n${line(now - day, 64)}\n`);
    try {
      const t = await startTestServer({
        db: join(data, 'frisson.db'),
        traceDir: traces,
        retentionDays: 30,
      });
      await t.close();
      assert.deepEqual(readdirSync(traces).sort(), ['mixed.trace.jsonl', 'new.trace.jsonl']);
      const mixed = parseTrace(readFileSync(join(traces, 'mixed.trace.jsonl'), 'utf8'));
      assert.ok(mixed.success, JSON.stringify(mixed));
      assert.deepEqual(
        mixed.data.samples.map((s) => s.bpm),
        [63],
      );
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
