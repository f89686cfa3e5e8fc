/**
 * Acceptance (issue 4): stop the hub for 30 s under 50 simulated seats at 4 Hz and restart it:
 * every sample arrives exactly once, in order. Real processes: a hub (test/fixtures/sensors/
 * agent-hub.ts, killed with SIGKILL) and `frisson agent` (test/fixtures/sensors/agent-cli.ts).
 * FRISSON_AGENT_OUTAGE_S shortens the outage for quick local runs (default 30).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUTAGE_S = Number(process.env.FRISSON_AGENT_OUTAGE_S ?? 30);
const SEATS = 50;
const RATE = 4;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function start(args: string[]): {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  proc.stdout.on('data', (c: Buffer) => {
    buf += c.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr.on('data', () => undefined);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, lines, exited };
}

const until = async (cond: () => boolean, what: string, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

interface Status {
  event: string;
  connected?: boolean;
  produced?: number;
  delivered?: number;
  buffered?: number;
  dropped?: number;
}

const statuses = (lines: string[]): Status[] =>
  lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Status);

describe('frisson agent across a hub outage (real processes)', function () {
  this.timeout((OUTAGE_S + 90) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'frisson-agent-'));
  const log = join(dir, 'hub.jsonl');
  const procs: ChildProcess[] = [];

  after(() => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(`should deliver every sample exactly once, in order, after a ${OUTAGE_S} s outage`, async () => {
    const port = await freePort();
    const hubArgs = [
      'test/fixtures/sensors/agent-hub.ts',
      '--port',
      String(port),
      '--log',
      log,
      '--token',
      'venue',
    ];
    let hub = start(hubArgs);
    procs.push(hub.proc);
    await until(() => hub.lines.some((l) => l.startsWith('listening')), 'hub start', 20_000);

    const agent = start([
      'test/fixtures/sensors/agent-cli.ts',
      'agent',
      '--hub',
      `http://127.0.0.1:${port}`,
      '--token',
      'venue',
      '--agent-id',
      'it-agent',
      '--simulate-seats',
      String(SEATS),
      '--rate',
      String(RATE),
      '--status-ms',
      '250',
    ]);
    procs.push(agent.proc);
    await until(
      () => statuses(agent.lines).some((s) => (s.delivered ?? 0) > SEATS * RATE),
      'first delivery',
      20_000,
    );

    hub.proc.kill('SIGKILL');
    await hub.exited;
    await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
    const during = statuses(agent.lines)
      .filter((s) => s.event === 'status')
      .at(-1)!;
    assert.equal(during.connected, false);
    assert.ok(during.buffered! >= SEATS * RATE * (OUTAGE_S - 2), `buffered ${during.buffered}`);

    hub = start(hubArgs);
    procs.push(hub.proc);
    await until(() => hub.lines.some((l) => l.startsWith('listening')), 'hub restart', 20_000);
    await until(
      () => {
        const s = statuses(agent.lines)
          .filter((x) => x.event === 'status')
          .at(-1);
        return s?.connected === true && (s.buffered ?? Infinity) < SEATS * RATE;
      },
      'catch-up',
      30_000,
    );

    agent.proc.kill('SIGTERM');
    assert.equal(await agent.exited, 0);
    const final = statuses(agent.lines).find((s) => s.event === 'final')!;
    assert.equal(final.buffered, 0);
    assert.equal(final.dropped, 0);
    assert.equal(final.delivered, final.produced);

    hub.proc.kill('SIGTERM');
    await hub.exited;
    const batches = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq: number; samples: Array<{ seat: string; t: number }> });
    const seqs = batches.map((b) => b.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'batches in order',
    );
    assert.equal(new Set(seqs).size, seqs.length, 'no batch twice');
    const perSeat = new Map<string, number[]>();
    for (const b of batches)
      for (const s of b.samples) perSeat.set(s.seat, [...(perSeat.get(s.seat) ?? []), s.t]);
    const total = [...perSeat.values()].reduce((n, ts) => n + ts.length, 0);
    assert.equal(total, final.produced, 'every produced sample arrived');
    assert.equal(perSeat.size, SEATS);
    for (const [seat, ts] of perSeat) {
      for (let i = 1; i < ts.length; i++)
        assert.ok(ts[i]! > ts[i - 1]!, `${seat} out of order or repeated at ${i}`);
    }
  });
});
