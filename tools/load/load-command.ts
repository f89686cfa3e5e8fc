/**
 * `frisson load`: drives a hub with simulated seats (a separate process, load-driver.ts) and, in
 * the same run, a bare socket.io echo server with the same load (echo-server.ts), and prints both
 * side by side with the overhead ratio (table, or JSON with --json).
 *
 * `--mode venue` (default): the seats of ONE show, each a `/seats` client with its own seat token
 * sending one-sample batches; the hub started here gets an operator key (FRISSON_OPERATOR_KEY, or
 * a random one) so the driver can create the show; for `--url` pass `--operator-key`.
 * `--mode home`: every seat is a home session of its own (POST /api/sessions, namespace `/`),
 * playing like the real player (home-load.ts). Its baseline is home-bare-server.ts, run after the
 * hub (see `homeLoad`).
 *
 * Both servers are up at once and each has its seats connected (two driver processes); the
 * measurement window is then cut into slices of about `--slice` seconds (default 10) that alternate
 * between them — bare, hub, hub, bare, bare, hub, … — with only one server loaded at a time. A slow
 * minute on the shared host then lands on both servers instead of on whichever ran second (measured
 * one after the other, the bare figure moved between 24 and 42 µs per event from run to run).
 *
 * Server CPU per event = (utime + stime of the server process over its slices, from
 * /proc/<pid>/stat) / samples acknowledged in them. The CPU ratio is the median over rounds of
 * (hub slice / bare slice of the same round); the pooled ratio (all hub CPU / all bare CPU, per
 * event) is reported beside it. RSS per seat = (server RSS once every seat is connected − RSS
 * before the seats connected) / seats (also reported after the warm-up, when the seats have been
 * sending, as `rssPerSeatWarmBytes`). RSS growth = RSS at the end of the last slice vs at the start
 * of the first (the soak criterion; without the baseline there is one window).
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
import type { DriverCommand, DriverConfig, DriverMessage, DriverResult } from './load-driver.js';
import { median } from '../../server/show/audience-aggregate.js';
import { readProcStats, type ProcSample } from './proc-stats.js';
import { formatLoadReport, type LoadReport, type ServerRun } from './load-report.js';
import { formatHomeLoadReport, runHomeLoad, withBare, type HomeLoadOptions } from './home-load.js';
import { HomeBareListeningSchema, type HomeBareChildConfig } from './home-bare-server.js';

interface LoadFlags {
  seats: string;
  rate?: string;
  processes?: string;
  duration: string;
  warmup?: string;
  url?: string;
  pid?: string;
  story: string;
  bare: boolean;
  slice: string;
  json?: boolean;
  ackTimeout: string;
  mode: string;
  operatorKey?: string;
  playbackSpeed?: string;
  competitor?: boolean;
  filmSeconds?: string;
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

/** One measurement window of one server, from procfs around the driver's window messages. */
interface WindowMeasure {
  cpuUs: number;
  userUs: number;
  driverCpuUs: number;
  /** Samples acknowledged (sent inside the window). */
  events: number;
  /** Wall time between the window's start and end samples, ms. */
  wallMs: number;
  rssStartBytes: number;
  rssEndBytes: number;
}

interface DriverHandle {
  /** Runs one window of load (warm-up, then measured) and waits until its samples are answered. */
  window(warmupS: number, durationS: number): Promise<void>;
  /** Ends the run and sums its windows. */
  finish(): Promise<ServerRun>;
  kill(): void;
}

/**
 * Forks the driver child against `cfg.url` and connects its seats; the caller then runs windows
 * one at a time (load-driver.ts `DriverCommand`), while the server process is sampled around each.
 */
async function startDriver(
  cfg: DriverConfig,
  serverPid: number | undefined,
  log: (s: string) => void,
): Promise<DriverHandle> {
  const child = fork(here('load-driver'), ['--frisson-load-child'], { stdio: 'inherit' });
  const server = (): ProcSample | null => (serverPid ? readProcStats(serverPid) : null);
  const driver = (): ProcSample | null => (child.pid ? readProcStats(child.pid) : null);
  const before = server();
  let connectedAt: ProcSample | null = null;
  const windows: WindowMeasure[] = [];
  // The samples of the window in progress: server and driver at its start and end.
  let start: [ProcSample | null, ProcSample | null] = [null, null];
  let end: [ProcSample | null, ProcSample | null] = [null, null];
  let ackedSoFar = 0;
  const rssSeries: Array<{ t: number; rssBytes: number }> = [];
  let t0 = 0;
  const sampler = setInterval(() => {
    const s = server();
    if (s && t0) rssSeries.push({ t: Math.round((s.at - t0) / 1000), rssBytes: s.rssBytes });
  }, 5000);
  // The next message of each awaited type; the child's exit or an error fails every wait, now
  // and later (a driver that died between two windows fails the next one instead of hanging it).
  const waiting = new Map<string, { resolve(m: DriverMessage): void; reject(e: Error): void }>();
  let failed: Error | null = null;
  const next = <T extends DriverMessage['type']>(type: T): Promise<DriverMessage & { type: T }> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.set(type, { resolve: resolve as (m: DriverMessage) => void, reject });
    });
  const failAll = (err: Error): void => {
    failed ??= err;
    for (const w of waiting.values()) w.reject(failed);
    waiting.clear();
  };
  child.on('message', (m: DriverMessage) => {
    if (m.type === 'window-start') {
      start = [server(), driver()];
      t0 ||= performance.now();
    } else if (m.type === 'window-end') end = [server(), driver()];
    else if (m.type === 'error') return failAll(new Error(`load driver: ${m.message}`));
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.resolve(m);
  });
  child.once('exit', (code) => failAll(new Error(`load driver exited (${code})`)));
  const stop = (): void => {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
  };
  const settled = next('connected');
  child.send({ type: 'start', cfg });
  try {
    const c = await settled;
    connectedAt = server();
    log(`  ${cfg.target}: ${c.connected} seats connected (${c.failed} failed)`);
  } catch (err) {
    stop();
    throw err;
  }
  const send = (c: DriverCommand): void => void child.send(c);
  return {
    async window(warmupS, durationS) {
      const done = next('window-settled');
      send({ type: 'window', warmupS, durationS });
      const { acked } = await done;
      const events = acked - ackedSoFar;
      ackedSoFar = acked;
      const [s0, d0] = start;
      const [s1, d1] = end;
      if (!s0 || !s1) return;
      windows.push({
        cpuUs: s1.cpuUs - s0.cpuUs,
        userUs: s1.userUs - s0.userUs,
        driverCpuUs: d0 && d1 ? d1.cpuUs - d0.cpuUs : 0,
        events,
        wallMs: s1.at - s0.at,
        rssStartBytes: s0.rssBytes,
        rssEndBytes: s1.rssBytes,
      });
    },
    async finish() {
      const resultP = next('result');
      send({ type: 'finish' });
      try {
        const { result } = await resultP;
        return summarise(result, before, connectedAt, windows, rssSeries);
      } finally {
        stop();
      }
    },
    kill: stop,
  };
}

/** One server's figures over all its windows (CPU and events summed, RSS at the first/last). */
function summarise(
  result: DriverResult,
  before: ProcSample | null,
  connectedAt: ProcSample | null,
  windows: WindowMeasure[],
  rssSeries: Array<{ t: number; rssBytes: number }>,
): ServerRun {
  const sum = (f: (w: WindowMeasure) => number): number => windows.reduce((a, w) => a + f(w), 0);
  const measured = windows.length > 0 && before !== null;
  const cpuUs = sum((w) => w.cpuUs);
  const events = sum((w) => w.events);
  const wallS = sum((w) => w.wallMs) / 1000;
  const first = windows[0];
  const last = windows[windows.length - 1];
  const perSeat = (rss: number | undefined): number | null =>
    before && rss !== undefined && result.connected > 0
      ? Math.round((rss - before.rssBytes) / result.connected)
      : null;
  return {
    driver: result,
    ingestPerS: Math.round(result.acked / (result.windowMs / 1000)),
    serverCpuUsPerEvent: measured && events > 0 ? round(cpuUs / events) : null,
    serverUserUsPerEvent: measured && events > 0 ? round(sum((w) => w.userUs) / events) : null,
    serverCpuPct: measured && wallS > 0 ? round((cpuUs / 1e6 / wallS) * 100) : null,
    driverCpuPct: wallS > 0 ? round((sum((w) => w.driverCpuUs) / 1e6 / wallS) * 100) : null,
    windowCpuUsPerEvent: measured
      ? windows.map((w) => (w.events > 0 ? round(w.cpuUs / w.events) : 0))
      : [],
    rssBeforeBytes: before?.rssBytes ?? null,
    rssConnectedBytes: connectedAt?.rssBytes ?? null,
    rssWindowStartBytes: measured ? (first?.rssStartBytes ?? null) : null,
    rssWindowEndBytes: measured ? (last?.rssEndBytes ?? null) : null,
    rssPerSeatBytes: perSeat(connectedAt?.rssBytes),
    rssPerSeatWarmBytes: measured ? perSeat(first?.rssStartBytes) : null,
    rssGrowthPct:
      measured && first && last
        ? round(((last.rssEndBytes - first.rssStartBytes) / first.rssStartBytes) * 100)
        : null,
    rssSeries,
  };
}

/** The median of paired per-round ratios (robust to one noisy slice), or null without pairs. */
export function medianRatio(num: number[], den: number[]): number | null {
  const m = median(num.map((n, i) => (den[i] && n > 0 ? n / den[i] : NaN)));
  return m === null ? null : round(m);
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

/** Forks the home bare server (home-bare-server.ts) with the story's segments and film length. */
async function startHomeBare(
  cfg: HomeBareChildConfig,
): Promise<{ child: ChildProcess; url: string; filmSeconds: number }> {
  const child = fork(here('home-bare-server'), ['--frisson-home-bare-child'], {
    stdio: 'inherit',
    execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS],
  });
  const up = await new Promise<{ port: number; filmSeconds: number }>((resolve, reject) => {
    child.once('message', (m: unknown) => {
      const parsed = HomeBareListeningSchema.safeParse(m);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error('home bare server: unexpected message'));
    });
    child.once('exit', (code) => reject(new Error(`home bare server exited (${code})`)));
    child.send({ type: 'start', cfg });
  });
  return { child, url: `http://127.0.0.1:${up.port}`, filmSeconds: up.filmSeconds };
}

export async function startHub(
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
      // Hundreds of viewers from one address: the per-address creation limit is not what
      // this measures.
      env: {
        ...process.env,
        FRISSON_OPERATOR_KEY: operatorKey,
        FRISSON_SESSION_CREATE_RATE: process.env.FRISSON_SESSION_CREATE_RATE ?? '0',
      },
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

export async function stopChild(child: ChildProcess): Promise<void> {
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

/**
 * `--mode home`: real player traffic (home-load.ts) against a hub started here or `--url`, then —
 * unless `--no-bare` or `--url` — the same viewers against the bare baseline
 * (home-bare-server.ts, forked with the hub's story: its segments and film length).
 *
 * One after the other, not in alternating slices as the venue mode: a home viewer's traffic cannot
 * be paused between slices (a paused player stalls, its blocking reloads time out, its session's
 * film runs on), so each server gets its own viewers, warm-up and window. The hub goes first and is
 * stopped before the baseline starts, so its leftover sessions take no CPU from the baseline's run.
 */
async function homeLoad(
  flags: LoadFlags,
  n: { seats: number; rate: number; durationS: number; warmupS: number; ackTimeoutMs: number },
  log: (s: string) => void,
): Promise<void> {
  const filmSeconds =
    flags.filmSeconds !== undefined ? positive('film-seconds', flags.filmSeconds) : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'frisson-load-'));
  let hub: ChildProcess | null = null;
  let bare: ChildProcess | null = null;
  try {
    let url = flags.url;
    let pids = (flags.pid ?? '')
      .split(',')
      .filter((p) => p.length > 0)
      .map((p) => positive('pid', p, true));
    if (!url) {
      log('frisson hub:');
      const started = await startHub(flags.story, dir, randomBytes(18).toString('base64url'));
      hub = started.child;
      url = started.url;
      pids = hub.pid ? [hub.pid] : [];
      await sleep(500);
    }
    const processes =
      flags.processes !== undefined
        ? positive('processes', flags.processes, true)
        : Math.max(1, Math.ceil(n.seats / 1000));
    const run: Omit<HomeLoadOptions, 'url' | 'pids'> = {
      sessions: n.seats,
      processes,
      rate: n.rate,
      warmupS: n.warmupS,
      durationS: n.durationS,
      ackTimeoutMs: n.ackTimeoutMs,
      log,
    };
    let report = await runHomeLoad({ ...run, url, pids });
    if (flags.bare && !flags.url) {
      if (hub) await stopChild(hub);
      hub = null;
      log('bare baseline (node:http + socket.io, no Frisson logic):');
      try {
        const started = await startHomeBare({
          story: flags.story,
          ...(filmSeconds !== undefined ? { filmSeconds } : {}),
        });
        bare = started.child;
        await sleep(500);
        const baseline = await runHomeLoad({
          ...run,
          url: started.url,
          pids: bare.pid ? [bare.pid] : [],
        });
        report = withBare(report, baseline, started.filmSeconds);
      } catch (err) {
        // The hub's figures are already measured: report them without the baseline.
        log(`  bare baseline failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    process.stdout.write(
      flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatHomeLoadReport(report),
    );
  } finally {
    if (hub) await stopChild(hub);
    if (bare) await stopChild(bare);
    await rm(dir, { recursive: true, force: true });
  }
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
    .option('--rate <hz>', 'samples per second per seat (default: venue 4, home 1)')
    .option(
      '--processes <n>',
      'home: load processes the viewers are spread over (default: one per 1,000 viewers)',
    )
    .option('--duration <s>', 'measurement window, seconds (after connecting and warm-up)', '60')
    .option('--warmup <s>', 'seconds of load before measuring (default: min(10, duration / 6))')
    .option('--url <hub>', 'a running hub (default: start one in a child process)')
    .option(
      '--pid <pid>',
      'process id of the hub at --url, to read its CPU and RSS (home: a comma-separated list)',
    )
    .option(
      '--story <dir>',
      'story package for the hub started here (generated if missing)',
      'data/demo',
    )
    .option(
      '--no-bare',
      'skip the bare baseline (venue: socket.io echo server; home: home-bare-server.ts)',
    )
    .option(
      '--film-seconds <s>',
      "home: the bare baseline's film length (default: the story's default path, the demo's 300 s)",
    )
    .option(
      '--slice <s>',
      'with the baseline: alternate the two servers in slices of about this many seconds',
      '10',
    )
    .option('--ack-timeout <ms>', 'a sample not acknowledged in this time is dropped', '5000')
    .option('--operator-key <key>', 'venue with --url: the hub operator key (FRISSON_OPERATOR_KEY)')
    .option('--playback-speed <x>', 'venue: screen playhead speed ≤ 1 (default: film outlasts run)')
    .option(
      '--competitor',
      'venue: keep one core busy with a third process for the whole run (a busy host)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: LoadFlags) => {
      const seats = positive('seats', flags.seats, true);
      const rate = positive('rate', flags.rate ?? (flags.mode === 'home' ? '1' : '4'));
      const durationS = positive('duration', flags.duration);
      const warmupS =
        flags.warmup !== undefined ? Number(flags.warmup) : Math.min(10, durationS / 6);
      const ackTimeoutMs = positive('ack-timeout', flags.ackTimeout, true);
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      if (flags.mode !== 'venue' && flags.mode !== 'home')
        throw new Error(`--mode takes venue or home, got "${flags.mode}"`);
      const mode: 'venue' | 'home' = flags.mode;
      if (mode === 'home') {
        await homeLoad(flags, { seats, rate, durationS, warmupS, ackTimeoutMs }, log);
        return;
      }
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
      const sliceS = positive('slice', flags.slice);
      // With the baseline: the window is cut into `rounds` slices per server, alternated
      // bare → hub, hub → bare, … so drift on the host (other tenants, CPU frequency) falls on both.
      const rounds = flags.bare ? Math.max(1, Math.round(durationS / sliceS)) : 1;
      const slice = durationS / rounds;
      const rewarmS = Math.min(2, warmupS);
      const activeS = warmupS + (rounds - 1) * rewarmS + durationS;
      const dir = await mkdtemp(join(tmpdir(), 'frisson-load-'));
      const children: ChildProcess[] = [];
      const drivers: DriverHandle[] = [];
      try {
        if (flags.competitor) {
          // A third process spinning on one core for the whole run, both servers' slices alike:
          // the tails a hub keeps when the host is not its own (issue 23).
          log('competitor: one busy core');
          children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
        }
        let echoDriver: DriverHandle | null = null;
        if (flags.bare) {
          log('bare socket.io echo server:');
          const echo = await startEcho();
          children.push(echo.child);
          echoDriver = await startDriver(
            { ...base, target: 'echo', url: echo.url, activeS },
            echo.child.pid,
            log,
          );
          drivers.push(echoDriver);
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
        const hubDriver = await startDriver({ ...base, target: 'frisson', url, activeS }, pid, log);
        drivers.push(hubDriver);
        for (let i = 0; i < rounds; i++) {
          const order = echoDriver
            ? i % 2 === 0
              ? [echoDriver, hubDriver]
              : [hubDriver, echoDriver]
            : [hubDriver];
          for (const d of order) {
            await d.window(i === 0 ? warmupS : rewarmS, slice);
          }
          if (rounds > 1) log(`  slice ${i + 1}/${rounds} measured on both servers`);
        }
        const bare = echoDriver ? await echoDriver.finish() : null;
        const frisson = await hubDriver.finish();
        const report: LoadReport = {
          mode,
          config: {
            mode,
            seats,
            rate,
            durationS,
            warmupS,
            slices: rounds,
            url: flags.url ?? 'child process',
            competitor: flags.competitor === true,
          },
          frisson,
          bare,
          cpuRatio:
            bare && frisson.serverCpuUsPerEvent !== null
              ? medianRatio(frisson.windowCpuUsPerEvent, bare.windowCpuUsPerEvent)
              : null,
          cpuRatioPooled:
            bare?.serverCpuUsPerEvent && frisson.serverCpuUsPerEvent
              ? round(frisson.serverCpuUsPerEvent / bare.serverCpuUsPerEvent)
              : null,
        };
        process.stdout.write(
          flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatLoadReport(report),
        );
      } finally {
        for (const d of drivers) d.kill();
        await Promise.all(children.map(stopChild));
        await rm(dir, { recursive: true, force: true });
      }
    });
}
