/**
 * `frisson load --mode home`: simulated home viewers that behave like the real player
 * (home-player.ts), spread over `processes` load processes (home-driver.ts), against a hub started
 * here or at `--url` (one URL; several hub processes behind a proxy are measured with a `--pid`
 * list). The load command runs it twice in one invocation — the hub, then the bare baseline
 * (home-bare-server.ts) — and `withBare` puts the second run's figures beside the first's.
 *
 * Sequence: every load process starts its viewers (each plays as soon as it is set up); once all
 * are up, `warmupS` of load, then `durationS` measured. Server CPU and RSS are read from procfs
 * (proc-stats.ts) at the window's ends: CPU per session = CPU time over the window / window /
 * sessions (ms of CPU per session-second); RSS per session = (RSS at the window's end − RSS before
 * the first viewer) / sessions.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { HomeDriverConfig, HomeDriverMessage, HomeDriverResult } from './home-driver.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';
import { readProcStats, type ProcSample } from './proc-stats.js';

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const DRIVER = fileURLToPath(new URL(`./home-driver${EXT}`, import.meta.url));

/** Targets of issue 23 (one process, real player traffic). */
export const HOME_TARGETS = { sessions: 3000, playlistBeyondHoldP99Ms: 50 } as const;

export interface HomeLoadOptions {
  url: string;
  /** Hub processes behind `url` (their CPU and RSS are read; may be empty). */
  pids: number[];
  sessions: number;
  processes: number;
  rate: number;
  warmupS: number;
  durationS: number;
  ackTimeoutMs: number;
  log: (s: string) => void;
}

export interface HubProcessFigures {
  pid: number;
  cpuPct: number;
  rssBeforeBytes: number;
  rssEndBytes: number;
}

/** What one run measures of one server (the hub, or the bare baseline in `bare`). */
export interface HomeRunFigures {
  sessions: { target: number; connected: number; failed: number; createdInWindow: number };
  /** The measured server processes (for `bare`, the bare server's one process). */
  hubs: HubProcessFigures[];
  /** Over all hub processes: CPU (% of one core) / sessions, and ms of CPU per session-second. */
  cpuPctTotal: number | null;
  cpuMsPerSessionSecond: number | null;
  /** Sessions one core would carry at this cost: 1000 / cpuMsPerSessionSecond (rounded down). */
  sessionsPerCore: number | null;
  rssPerSessionBytes: number | null;
  loadGeneratorCpuPct: number;
  hostLoadAvg: { start: number; end: number };
  playlistBeyondHold: LatencySummary;
  playlistImmediate: LatencySummary;
  playlist503: number;
  segment: LatencySummary;
  subtitle: LatencySummary;
  sampleAck: LatencySummary;
  startup: LatencySummary;
  stalls: number;
  stallMs: number;
  segmentsPlayed: number;
  segmentsOnTime: number;
  decisions: number;
  samples: { sent: number; acked: number; refused: number; lost: number };
  disconnects: number;
  /** Playlists that gave a known msn another segment (must be 0, failover included). */
  sequenceBreaks: number;
  httpErrors: Record<string, number>;
  mediaMbitPerS: number;
}

export interface HomeLoadReport extends HomeRunFigures {
  mode: 'home';
  config: Omit<HomeLoadOptions, 'log' | 'pids'> & { pids: number[] };
  /**
   * The bare baseline (home-bare-server.ts: node:http + socket.io, no Frisson logic) under the
   * same viewers and traffic, measured right after the hub in the same invocation; null with
   * `--no-bare` or `--url`.
   */
  bare: (HomeRunFigures & { filmSeconds: number }) | null;
  /** Hub CPU per session-second / the bare server's: Frisson's cost over the floor. */
  cpuRatio: number | null;
}

interface Driver {
  child: ChildProcess;
  next(type: HomeDriverMessage['type']): Promise<HomeDriverMessage>;
}

function startDriver(cfg: HomeDriverConfig): Driver {
  const child = fork(DRIVER, ['--frisson-home-child'], { stdio: 'inherit' });
  const waiting = new Map<
    string,
    { resolve(m: HomeDriverMessage): void; reject(e: Error): void }
  >();
  let failed: Error | null = null;
  const failAll = (err: Error): void => {
    failed ??= err;
    for (const w of waiting.values()) w.reject(failed);
    waiting.clear();
  };
  child.on('message', (m: HomeDriverMessage) => {
    if (m.type === 'error') return failAll(new Error(`load process: ${m.message}`));
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.resolve(m);
  });
  child.once('exit', (code) => failAll(new Error(`load process exited (${code})`)));
  child.send({ type: 'start', cfg });
  return {
    child,
    next: (type) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        waiting.set(type, { resolve, reject });
      }),
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export async function runHomeLoad(opts: HomeLoadOptions): Promise<HomeLoadReport> {
  const before = new Map<number, ProcSample | null>(opts.pids.map((p) => [p, readProcStats(p)]));
  const per = Math.ceil(opts.sessions / opts.processes);
  const drivers: Driver[] = [];
  try {
    for (let left = opts.sessions; left > 0; left -= per) {
      drivers.push(
        startDriver({
          url: opts.url,
          sessions: Math.min(per, left),
          rate: opts.rate,
          connectConcurrency: 16,
          ackTimeoutMs: opts.ackTimeoutMs,
        }),
      );
    }
    const ups = (await Promise.all(drivers.map((d) => d.next('connected')))) as Array<
      HomeDriverMessage & { type: 'connected' }
    >;
    const connected = ups.reduce((a, u) => a + u.connected, 0);
    const failed = ups.reduce((a, u) => a + u.failed, 0);
    const firstError = ups.find((u) => u.firstError)?.firstError;
    opts.log(
      `  ${connected} viewers playing (${failed} failed${firstError ? `: ${firstError}` : ''})`,
    );
    await sleep(opts.warmupS * 1000);
    const loadStart = loadavg()[0] ?? 0;
    const s0 = new Map(opts.pids.map((p) => [p, readProcStats(p)]));
    const d0 = drivers.map((d) => (d.child.pid ? readProcStats(d.child.pid) : null));
    for (const d of drivers) d.child.send({ type: 'measure', on: true });
    const t0 = performance.now();
    await sleep(opts.durationS * 1000);
    for (const d of drivers) d.child.send({ type: 'measure', on: false });
    const wallS = (performance.now() - t0) / 1000;
    const s1 = new Map(opts.pids.map((p) => [p, readProcStats(p)]));
    const d1 = drivers.map((d) => (d.child.pid ? readProcStats(d.child.pid) : null));
    const loadEnd = loadavg()[0] ?? 0;
    const results = (await Promise.all(
      drivers.map((d) => {
        const r = d.next('result');
        d.child.send({ type: 'finish' });
        return r;
      }),
    )) as Array<HomeDriverMessage & { type: 'result' }>;
    const hubs: HubProcessFigures[] = [];
    for (const pid of opts.pids) {
      const a = s0.get(pid);
      const b = s1.get(pid);
      const z = before.get(pid);
      if (!a || !b || !z) continue;
      hubs.push({
        pid,
        cpuPct: round(((b.cpuUs - a.cpuUs) / 1e6 / wallS) * 100),
        rssBeforeBytes: z.rssBytes,
        rssEndBytes: b.rssBytes,
      });
    }
    let genCpuUs = 0;
    d0.forEach((a, i) => {
      const b = d1[i];
      if (a && b) genCpuUs += b.cpuUs - a.cpuUs;
    });
    return merge(
      opts,
      results.map((r) => r.result),
      { connected, failed },
      hubs,
      round((genCpuUs / 1e6 / wallS) * 100),
      { start: round(loadStart), end: round(loadEnd) },
      wallS,
    );
  } finally {
    for (const d of drivers) if (d.child.exitCode === null) d.child.kill();
  }
}

function merge(
  opts: HomeLoadOptions,
  results: HomeDriverResult[],
  up: { connected: number; failed: number },
  hubs: HubProcessFigures[],
  loadGeneratorCpuPct: number,
  hostLoadAvg: { start: number; end: number },
  wallS: number,
): HomeLoadReport {
  const sum = (f: (r: HomeDriverResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  const lat = (k: keyof HomeDriverResult['latencies']): LatencySummary =>
    LatencyRecorder.from(results.flatMap((r) => r.latencies[k])).summary();
  const httpErrors: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.httpErrors)) httpErrors[k] = (httpErrors[k] ?? 0) + v;
  const sent = sum((r) => r.counters.samplesSent);
  const acked = sum((r) => r.counters.samplesAcked);
  const refused = sum((r) => r.counters.samplesRefused);
  const cpuPctTotal = hubs.length > 0 ? round(hubs.reduce((a, h) => a + h.cpuPct, 0)) : null;
  const rssGrowth = hubs.reduce((a, h) => a + (h.rssEndBytes - h.rssBeforeBytes), 0);
  const { log: _log, ...config } = opts;
  const cpuMs =
    cpuPctTotal !== null && up.connected > 0
      ? Math.round(((cpuPctTotal * 10) / up.connected) * 1000) / 1000
      : null;
  return {
    mode: 'home',
    config,
    bare: null,
    cpuRatio: null,
    sessions: {
      target: opts.sessions,
      connected: up.connected,
      failed: up.failed,
      createdInWindow: sum((r) => r.counters.sessionsCreated),
    },
    hubs,
    cpuPctTotal,
    cpuMsPerSessionSecond: cpuMs,
    sessionsPerCore: cpuMs !== null && cpuMs > 0 ? Math.floor(1000 / cpuMs) : null,
    rssPerSessionBytes:
      hubs.length > 0 && up.connected > 0 ? Math.round(rssGrowth / up.connected) : null,
    loadGeneratorCpuPct,
    hostLoadAvg,
    playlistBeyondHold: lat('playlistBeyondHold'),
    playlistImmediate: lat('playlistImmediate'),
    playlist503: sum((r) => r.counters.playlist503),
    segment: lat('segment'),
    subtitle: lat('subtitle'),
    sampleAck: lat('sampleAck'),
    startup: lat('startup'),
    stalls: sum((r) => r.counters.stalls),
    stallMs: Math.round(sum((r) => r.counters.stallMs)),
    segmentsPlayed: sum((r) => r.counters.segmentsPlayed),
    segmentsOnTime: sum((r) => r.counters.segmentsOnTime),
    decisions: sum((r) => r.counters.decisions),
    samples: { sent, acked, refused, lost: sent - acked - refused },
    disconnects: sum((r) => r.counters.disconnects),
    sequenceBreaks: sum((r) => r.counters.sequenceBreaks),
    httpErrors,
    mediaMbitPerS: round((sum((r) => r.counters.bytes) * 8) / 1e6 / wallS),
  };
}

/**
 * The hub's report with the bare baseline's run beside it (`bare`) and the CPU ratio hub / bare
 * per session-second.
 */
export function withBare(
  hub: HomeLoadReport,
  bare: HomeLoadReport,
  filmSeconds: number,
): HomeLoadReport {
  const { mode: _m, config: _c, bare: _b, cpuRatio: _r, ...figures } = bare;
  const h = hub.cpuMsPerSessionSecond;
  const b = figures.cpuMsPerSessionSecond;
  return {
    ...hub,
    bare: { ...figures, filmSeconds },
    cpuRatio: h !== null && b !== null && b > 0 ? round(h / b) : null,
  };
}

const ms = (s: LatencySummary): string =>
  s.count === 0 ? '–' : `${s.p50} / ${s.p99} / ${s.max} ms (n=${s.count})`;
const kb = (v: number | null): string => (v === null ? '–' : `${(v / 1024).toFixed(1)} KB`);
const mb = (v: number): string => `${(v / 1048576).toFixed(1)} MB`;
const count = (v: number | null): string => (v === null ? '–' : v.toLocaleString('en-US'));

type Row = [string, string];
/** The figures both the hub's and the bare server's blocks print (same labels, same format). */
type RunFigures = Pick<
  HomeLoadReport,
  | 'stalls'
  | 'stallMs'
  | 'segmentsOnTime'
  | 'segmentsPlayed'
  | 'samples'
  | 'httpErrors'
  | 'loadGeneratorCpuPct'
  | 'hostLoadAvg'
>;
const processRows = (who: string, list: HubProcessFigures[]): Row[] =>
  list.map((p) => [
    `${who} pid ${p.pid}`,
    `CPU ${p.cpuPct} % of a core, RSS ${mb(p.rssBeforeBytes)} → ${mb(p.rssEndBytes)}`,
  ]);
const playbackRows = (f: RunFigures): Row[] => [
  ['stalls (stalled time)', `${f.stalls} (${f.stallMs} ms)`],
  ['segments on time / played', `${f.segmentsOnTime}/${f.segmentsPlayed}`],
];
const samplesRow = (f: RunFigures): Row => [
  'samples acked/sent (lost, refused)',
  `${f.samples.acked}/${f.samples.sent} (${f.samples.lost}, ${f.samples.refused})`,
];
const errorsRow = (f: RunFigures): Row => [
  'request errors',
  Object.keys(f.httpErrors).length ? JSON.stringify(f.httpErrors) : '0',
];
const hostRows = (f: RunFigures): Row[] => [
  ['load generators CPU', `${f.loadGeneratorCpuPct} % of a core`],
  ['host load average (1 min)', `${f.hostLoadAvg.start} → ${f.hostLoadAvg.end}`],
];

export function formatHomeLoadReport(r: HomeLoadReport): string {
  const c = r.config;
  const lost = r.samples.lost + r.samples.refused;
  const rows: Array<[string, string]> = [
    [
      'sessions playing',
      `${r.sessions.connected}/${r.sessions.target} (${r.sessions.failed} failed, ${r.sessions.createdInWindow} new in window)`,
    ],
    ...processRows('hub', r.hubs),
    [
      'hub CPU per session',
      r.cpuMsPerSessionSecond === null ? '–' : `${r.cpuMsPerSessionSecond} ms/s`,
    ],
    ['hub sessions per core (at this cost)', count(r.sessionsPerCore)],
    ['hub RSS per session', kb(r.rssPerSessionBytes)],
    ['playlist beyond hold p50/p99/max', ms(r.playlistBeyondHold)],
    ['playlist, no hold p50/p99/max', ms(r.playlistImmediate)],
    ['blocking reload 503s', String(r.playlist503)],
    ['segment p50/p99/max', ms(r.segment)],
    ['subtitle segment p50/p99/max', ms(r.subtitle)],
    ['sample ack p50/p99/max', ms(r.sampleAck)],
    ['startup (session → first segment)', ms(r.startup)],
    ...playbackRows(r),
    ['decisions received', String(r.decisions)],
    samplesRow(r),
    ['socket disconnects', String(r.disconnects)],
    ['media sequence breaks', String(r.sequenceBreaks)],
    errorsRow(r),
    ['media + subtitles delivered', `${r.mediaMbitPerS} Mbit/s`],
    ...hostRows(r),
  ];
  const b = r.bare;
  const bareRows: Array<[string, string]> = b
    ? [
        [
          'sessions playing',
          `${b.sessions.connected}/${b.sessions.target} (${b.sessions.failed} failed, ${b.sessions.createdInWindow} new in window, film ${b.filmSeconds} s)`,
        ],
        ...processRows('bare', b.hubs),
        [
          'bare CPU per session',
          b.cpuMsPerSessionSecond === null
            ? '–'
            : `${b.cpuMsPerSessionSecond} ms/s (hub / bare ${r.cpuRatio ?? '–'} ×)`,
        ],
        ['bare sessions per core (the floor)', count(b.sessionsPerCore)],
        ['bare RSS per session', kb(b.rssPerSessionBytes)],
        ['playlist beyond hold p50/p99/max', ms(b.playlistBeyondHold)],
        ['segment p50/p99/max', ms(b.segment)],
        ['sample ack p50/p99/max', ms(b.sampleAck)],
        ...playbackRows(b),
        samplesRow(b),
        ['media sequence breaks', String(b.sequenceBreaks)],
        errorsRow(b),
        ...hostRows(b),
      ]
    : [];
  const w = Math.max(...rows.concat(bareRows).map((x) => x[0].length));
  const ok = (b: boolean): string => (b ? 'met' : 'MISSED');
  const p99 = r.playlistBeyondHold.p99;
  return [
    `frisson load (home, real player traffic): ${c.sessions} viewers × ${c.rate} Hz samples over ${c.processes} load process(es), ${c.durationS} s window (warm-up ${c.warmupS} s)`,
    '',
    ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`),
    '',
    ...(b
      ? [
          'bare baseline (tools/load/home-bare-server.ts: node:http + socket.io, no Frisson logic), the same viewers right after the hub:',
          '',
          ...bareRows.map(([k, v]) => `${k.padEnd(w)}  ${v}`),
          '',
        ]
      : []),
    `targets: ≥ ${HOME_TARGETS.sessions} sessions ${ok(r.sessions.connected >= HOME_TARGETS.sessions)}, ` +
      `playlist p99 beyond hold ≤ ${HOME_TARGETS.playlistBeyondHoldP99Ms} ms ${ok(p99 !== null && p99 <= HOME_TARGETS.playlistBeyondHoldP99Ms)}, ` +
      `0 stalls ${ok(r.stalls === 0)}, 0 lost samples ${ok(lost === 0)}`,
    '',
  ].join('\n');
}
