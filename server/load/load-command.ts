/**
 * `frisson load`: drives a hub with simulated seats (a separate process, load-driver.ts) and, in
 * the same run, a bare socket.io echo server with the same load (echo-server.ts), and prints both
 * side by side with the overhead ratio (table, or JSON with --json).
 *
 * `--mode venue` (default): the seats of ONE show, each a `/seats` client with its own seat token
 * sending one-sample batches; the hub started here gets an operator key (FRISSON_OPERATOR_KEY, or
 * a random one) so the driver can create the show; for `--url` pass `--operator-key`.
 * `--mode home`: every seat is a home session of its own (POST /api/sessions, namespace `/`).
 *
 * Server CPU per event = (utime + stime of the server process over the measurement window, from
 * /proc/<pid>/stat) / samples acknowledged in the window. RSS per seat = (server RSS once every
 * seat is connected − RSS before the seats connected) / seats (also reported after the warm-up,
 * when the seats have been sending, as `rssPerSeatWarmBytes`). RSS growth = RSS at the end
 * of the window vs at its start (the soak criterion).
 *
 * @example
 *   frisson load --seats 2000 --rate 4 --duration 60 --json
 *   frisson load --url http://127.0.0.1:8080 --pid 4242 --seats 500 --rate 4 --duration 30
 */
import type { Command } from 'commander';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DriverConfig, DriverMessage, DriverResult } from './load-driver.js';
import { readProcStats, type ProcSample } from './proc-stats.js';
import { formatLoadReport, type LoadReport, type ServerRun } from './load-report.js';

interface LoadFlags {
  seats: string;
  rate: string;
  duration: string;
  warmup?: string;
  url?: string;
  pid?: string;
  story: string;
  bare: boolean;
  json?: boolean;
  ackTimeout: string;
  mode: string;
  operatorKey?: string;
  playbackSpeed?: string;
}

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const here = (name: string): string => fileURLToPath(new URL(`./${name}${EXT}`, import.meta.url));
const CLI = fileURLToPath(new URL(`../cli${EXT}`, import.meta.url));

function positive(name: string, v: string, int = false): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (int && !Number.isInteger(n)))
    throw new Error(`--${name} takes a positive ${int ? 'whole ' : ''}number, got "${v}"`);
  return n;
}

/** Runs the driver child against `url`, sampling the server process around its window. */
async function drive(
  cfg: DriverConfig,
  serverPid: number | undefined,
  log: (s: string) => void,
): Promise<ServerRun> {
  const child = fork(here('load-driver'), ['--frisson-load-child'], { stdio: 'inherit' });
  const rssSeries: Array<{ t: number; rssBytes: number }> = [];
  const before = serverPid ? readProcStats(serverPid) : null;
  let connectedAt: ProcSample | null = null;
  let windowStart: ProcSample | null = null;
  let windowEnd: ProcSample | null = null;
  // The load generator's own CPU: near one full core means it, not the server, limits latency.
  let driverStart: ProcSample | null = null;
  let driverEnd: ProcSample | null = null;
  let t0 = 0;
  const sampler = setInterval(() => {
    const s = serverPid ? readProcStats(serverPid) : null;
    if (s && t0) rssSeries.push({ t: Math.round((s.at - t0) / 1000), rssBytes: s.rssBytes });
  }, 5000);
  try {
    const result = await new Promise<DriverResult>((resolve, reject) => {
      child.on('message', (m: DriverMessage) => {
        const now = serverPid ? readProcStats(serverPid) : null;
        if (m.type === 'connected') {
          connectedAt = now;
          log(`  ${cfg.target}: ${m.connected} seats connected (${m.failed} failed)`);
        } else if (m.type === 'window-start') {
          windowStart = now;
          driverStart = child.pid ? readProcStats(child.pid) : null;
          t0 = performance.now();
          log(`  ${cfg.target}: measuring for ${cfg.durationS} s`);
        } else if (m.type === 'window-end') {
          windowEnd = now;
          driverEnd = child.pid ? readProcStats(child.pid) : null;
        } else if (m.type === 'result') resolve(m.result);
        else reject(new Error(`load driver: ${m.message}`));
      });
      child.once('exit', (code) => reject(new Error(`load driver exited (${code})`)));
      child.send({ type: 'start', cfg });
    });
    const ws = windowStart as ProcSample | null;
    const we = windowEnd as ProcSample | null;
    const ca = connectedAt as ProcSample | null;
    const cpuUs = ws && we ? we.cpuUs - ws.cpuUs : null;
    const windowS = result.windowMs / 1000;
    const ds = driverStart as ProcSample | null;
    const de = driverEnd as ProcSample | null;
    return {
      driver: result,
      ingestPerS: Math.round(result.acked / windowS),
      serverCpuUsPerEvent: cpuUs !== null && result.acked > 0 ? round(cpuUs / result.acked) : null,
      serverUserUsPerEvent:
        ws && we && result.acked > 0 ? round((we.userUs - ws.userUs) / result.acked) : null,
      serverCpuPct: cpuUs !== null ? round((cpuUs / 1e6 / windowS) * 100) : null,
      driverCpuPct: ds && de ? round(((de.cpuUs - ds.cpuUs) / 1e6 / windowS) * 100) : null,
      rssBeforeBytes: before?.rssBytes ?? null,
      rssConnectedBytes: ca?.rssBytes ?? null,
      rssWindowStartBytes: ws?.rssBytes ?? null,
      rssWindowEndBytes: we?.rssBytes ?? null,
      rssPerSeatBytes:
        before && ca && result.connected > 0
          ? Math.round((ca.rssBytes - before.rssBytes) / result.connected)
          : null,
      rssPerSeatWarmBytes:
        before && ws && result.connected > 0
          ? Math.round((ws.rssBytes - before.rssBytes) / result.connected)
          : null,
      rssGrowthPct: ws && we ? round(((we.rssBytes - ws.rssBytes) / ws.rssBytes) * 100) : null,
      rssSeries,
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
  }
}

/**
 * V8 flags of both measured servers (the hub and the bare baseline get the same): a 32 MB young
 * generation semi-space (default 16 MB) — at thousands of events per second most garbage dies young,
 * and a larger nursery means fewer scavenges and fewer objects promoted into the old space. The
 * production start (`npm start`, Dockerfile `NODE_OPTIONS`) uses the same flag; docs/operations.md.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

async function startEcho(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(here('echo-server'), ['--frisson-echo-child'], {
    stdio: 'inherit',
    execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`echo server exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function startHub(
  story: string,
  dir: string,
  operatorKey: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...SERVER_NODE_FLAGS,
      CLI,
      'serve',
      '--demo',
      '--story',
      story,
      '--db',
      join(dir, 'load.db'),
      '--port',
      '0',
      '--log-level',
      'warn',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, FRISSON_OPERATOR_KEY: operatorKey },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Player:\s+(http:\/\/\S+?)\/?\s/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hub exited (${code}) before listening`)));
  });
  child.stdout?.resume();
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description(
      'drive a hub with simulated seats next to a bare socket.io echo server (table or --json)',
    )
    .option(
      '--mode <mode>',
      'venue: the seats of one show on /seats; home: one home session per seat',
      'venue',
    )
    .option('--seats <n>', 'simulated seats (one socket each)', '2000')
    .option('--rate <hz>', 'samples per second per seat', '4')
    .option('--duration <s>', 'measurement window, seconds (after connecting and warm-up)', '60')
    .option('--warmup <s>', 'seconds of load before measuring (default: min(10, duration / 6))')
    .option('--url <hub>', 'a running hub (default: start one in a child process)')
    .option('--pid <pid>', 'process id of the hub at --url, to read its CPU and RSS')
    .option(
      '--story <dir>',
      'story package for the hub started here (generated if missing)',
      'data/demo',
    )
    .option('--no-bare', 'skip the bare socket.io baseline')
    .option('--ack-timeout <ms>', 'a sample not acknowledged in this time is dropped', '5000')
    .option('--operator-key <key>', 'venue with --url: the hub operator key (FRISSON_OPERATOR_KEY)')
    .option('--playback-speed <x>', 'venue: screen playhead speed ≤ 1 (default: film outlasts run)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: LoadFlags) => {
      const seats = positive('seats', flags.seats, true);
      const rate = positive('rate', flags.rate);
      const durationS = positive('duration', flags.duration);
      const warmupS =
        flags.warmup !== undefined ? Number(flags.warmup) : Math.min(10, durationS / 6);
      const ackTimeoutMs = positive('ack-timeout', flags.ackTimeout, true);
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      if (flags.mode !== 'venue' && flags.mode !== 'home')
        throw new Error(`--mode takes venue or home, got "${flags.mode}"`);
      const mode: 'venue' | 'home' = flags.mode;
      const operatorKey =
        flags.operatorKey ??
        process.env.FRISSON_OPERATOR_KEY ??
        randomBytes(18).toString('base64url');
      const base = {
        mode,
        seats,
        rate,
        durationS,
        warmupS,
        ackTimeoutMs,
        connectConcurrency: 32,
        operatorKey,
        ...(flags.playbackSpeed !== undefined
          ? { playbackSpeed: Math.min(1, positive('playback-speed', flags.playbackSpeed)) }
          : {}),
      };
      const dir = await mkdtemp(join(tmpdir(), 'frisson-load-'));
      const children: ChildProcess[] = [];
      try {
        let bare: ServerRun | null = null;
        if (flags.bare) {
          log('bare socket.io echo server:');
          const echo = await startEcho();
          children.push(echo.child);
          bare = await drive({ ...base, target: 'echo', url: echo.url }, echo.child.pid, log);
          await stopChild(echo.child);
        }
        log('frisson hub:');
        let url = flags.url;
        let pid = flags.pid !== undefined ? positive('pid', flags.pid, true) : undefined;
        if (!url) {
          const hub = await startHub(flags.story, dir, operatorKey);
          children.push(hub.child);
          url = hub.url;
          pid = hub.child.pid;
          await sleep(500);
        }
        const frisson = await drive({ ...base, target: 'frisson', url }, pid, log);
        const report: LoadReport = {
          mode,
          config: { mode, seats, rate, durationS, warmupS, url: flags.url ?? 'child process' },
          frisson,
          bare,
          cpuRatio:
            bare?.serverCpuUsPerEvent && frisson.serverCpuUsPerEvent
              ? round(frisson.serverCpuUsPerEvent / bare.serverCpuUsPerEvent)
              : null,
        };
        process.stdout.write(
          flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatLoadReport(report),
        );
      } finally {
        await Promise.all(children.map(stopChild));
        await rm(dir, { recursive: true, force: true });
      }
    });
}
