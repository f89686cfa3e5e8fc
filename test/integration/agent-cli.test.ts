/**
 * `frisson agent` as a user runs it: the real CLI process (tools/cli.ts) and, where a hub is
 * needed, the real Frisson server with its `/seats` namespace, SQLite store and join tokens.
 * Covers how the agent ends: exit 2 when HID is unavailable; exit 3, at once and on one line, when
 * the hub refuses its token (forged or expired); and no exit at all across a graceful hub restart,
 * which is an outage: it buffers, reconnects and delivers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JoinTokens } from '../../server/auth/join-token.js';
import { startTestServer, type TestServer } from '../support/server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `frisson <args>` (real process); stdout collected by line. */
function frisson(args: string[]): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tools/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => {
    buf += c.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    lines,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

/** Resolves with the exit code, or rejects after `ms` (the process is killed). */
async function exitWithin(run: Run, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.kill();
      reject(new Error(`still running after ${ms} ms; stdout:\n${run.lines.join('\n')}`));
    }, ms);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface StatusLine {
  event: string;
  connected?: boolean;
  produced?: number;
  delivered?: number;
  buffered?: number;
  stoppedBy?: string;
  code?: string;
}

const statuses = (lines: string[]): StatusLine[] =>
  lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as StatusLine);

const until = async (cond: () => boolean, what: string, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

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

const OPERATOR_KEY = 'agent-cli-operator-key';
const SECRET = 'agent-cli-secret-0123456789';

async function createShow(url: string): Promise<{ id: string; token: string }> {
  const res = await fetch(`${url}/api/shows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
    body: JSON.stringify({ seats: ['S001', 'S002', 'S003'] }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; token: string };
}

/** Whether node-hid's native binding loads here (it needs libusb-1.0-0 and libudev1). */
function nodeHidLoads(): boolean {
  try {
    const hid = createRequire(import.meta.url)('node-hid') as { getHidapiVersion(): string };
    hid.getHidapiVersion();
    return true;
  } catch {
    return false;
  }
}

describe('frisson agent (real CLI process)', function () {
  this.timeout(60_000);
  const runs: Run[] = [];
  afterEach(() => runs.splice(0).forEach((r) => r.kill()));

  it('should exit 2 with one line naming libusb-1.0-0 when HID devices cannot be read', async function () {
    if (nodeHidLoads()) this.skip(); // this machine has libusb: the HID path works
    const run = frisson([
      'agent',
      '--hub',
      'http://127.0.0.1:9',
      '--token',
      'x',
      '--map',
      'test/fixtures/sensors/seat-maps/two-seats.yaml',
    ]);
    runs.push(run);
    assert.equal(await exitWithin(run, 20_000), 2);
    const lines = run.stderr().split('\n').filter(Boolean);
    assert.equal(lines.length, 1, run.stderr());
    assert.match(lines[0]!, /^frisson: HID devices unavailable: .*libusb-1\.0\.so\.0/);
    assert.match(lines[0]!, /apt-get install libusb-1\.0-0 libudev1/);
  });

  describe('against the real hub', () => {
    let dir: string;
    let port: number;
    let hub: TestServer | null = null;
    let show: { id: string; token: string };
    const cfg = (): Record<string, unknown> => ({
      port,
      db: join(dir, 'hub.db'),
      secret: SECRET,
      operatorKey: OPERATOR_KEY,
    });

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'frisson-agent-cli-'));
      port = await freePort();
      hub = await startTestServer(cfg());
      show = await createShow(hub.url);
    });
    after(async () => {
      await hub?.close();
      await rm(dir, { recursive: true, force: true });
    });

    const agent = (token: string): Run => {
      const run = frisson([
        'agent',
        '--hub',
        `http://127.0.0.1:${port}`,
        '--token',
        token,
        '--simulate-seats',
        '3',
        '--rate',
        '4',
        '--status-ms',
        '200',
        '--agent-id',
        'cli-test',
      ]);
      runs.push(run);
      return run;
    };

    const assertRefused = async (run: Run): Promise<void> => {
      // At once: socket.io's reconnection backoff alone would keep it alive for ever.
      assert.equal(await exitWithin(run, 15_000), 3);
      const lines = run.stderr().split('\n').filter(Boolean);
      assert.equal(lines.length, 1, run.stderr());
      assert.match(
        lines[0]!,
        /^frisson: the hub at http:\/\/127\.0\.0\.1:\d+ refused the agent's token \(FRISSON_ERR_UNAUTHORIZED: Missing or invalid token\); pass a valid show or seat token with --token\. Not retrying\.$/,
      );
      const all = statuses(run.lines);
      assert.deepEqual(
        all.map((s) => s.event).filter((e) => e !== 'status'),
        ['final'],
        run.lines.join('\n'),
      );
      assert.equal(all.at(-1)!.stoppedBy, 'auth-rejected');
      assert.equal(all.at(-1)!.code, 'FRISSON_ERR_UNAUTHORIZED');
    };

    it('should exit 3 with one line when the token is forged', async () => {
      const forger = new JoinTokens({
        secret: Buffer.from('not-the-hub-secret-0123'),
        ttlSeconds: 3600,
      });
      await assertRefused(agent(forger.sign({ scope: 'show', id: show.id })));
    });

    it('should exit 3 with one line when the token has expired', async () => {
      const lastYear = new JoinTokens({
        secret: Buffer.from(SECRET, 'utf8'),
        ttlSeconds: 3600,
        clock: () => Date.now() - 365 * 86_400_000,
      });
      await assertRefused(agent(lastYear.sign({ scope: 'show', id: show.id })));
    });

    it('should keep buffering across a graceful hub restart, reconnect and deliver everything', async () => {
      const run = agent(show.token);
      const connects = (): number =>
        statuses(run.lines).filter((s) => s.event === 'connected').length;
      await until(() => connects() === 1, 'first connection', 20_000);
      await until(() => (statuses(run.lines).at(-1)?.delivered ?? 0) > 0, 'first delivery', 20_000);
      // A graceful shutdown disconnects the agents from the hub's side.
      await hub!.close();
      hub = null;
      await until(
        () => statuses(run.lines).some((s) => s.event === 'disconnected'),
        'disconnect',
        10_000,
      );
      await new Promise((r) => setTimeout(r, 1500));
      const during = statuses(run.lines)
        .filter((s) => s.event === 'status')
        .at(-1)!;
      assert.equal(during.connected, false);
      assert.ok(during.buffered! > 0, 'samples buffer while the hub is away');
      assert.equal(run.stderr(), '', 'an outage is not an error');
      hub = await startTestServer(cfg());
      await until(() => connects() === 2, 'reconnection', 20_000);
      run.kill('SIGTERM');
      assert.equal(await exitWithin(run, 20_000), 0, run.stderr());
      const final = statuses(run.lines).at(-1)!;
      assert.equal(final.event, 'final');
      assert.equal(final.buffered, 0);
      assert.equal(final.delivered, final.produced);
      assert.equal(final.stoppedBy, undefined);
    });
  });
});
