/**
 * The result of one `frisson load` run and its table. Targets (issue 9, one hub process on a
 * 2-core machine): ack round trip p99 ≤ 50 ms, server CPU per event ≤ 1.5 × bare socket.io,
 * ≤ 40 KB RSS per seat, no dropped events; for a soak also RSS growth < 10 %.
 */
import type { DriverResult } from './load-driver.js';

export interface ServerRun {
  driver: DriverResult;
  /** Samples acknowledged per second in the window. */
  ingestPerS: number;
  serverCpuUsPerEvent: number | null;
  /** The user-space (utime) part of it; the rest is kernel time (mostly the socket writes). */
  serverUserUsPerEvent: number | null;
  /** CPU per event in each slice, in order (paired with the other server's by round). */
  windowCpuUsPerEvent: number[];
  /** Server CPU over the window, % of one core. */
  serverCpuPct: number | null;
  /** The load generator's CPU over the window, % of one core. */
  driverCpuPct: number | null;
  rssBeforeBytes: number | null;
  rssConnectedBytes: number | null;
  rssWindowStartBytes: number | null;
  rssWindowEndBytes: number | null;
  /** (RSS once every seat is connected − RSS before) / seats. */
  rssPerSeatBytes: number | null;
  /** The same with RSS at the window start (after the warm-up's traffic). */
  rssPerSeatWarmBytes: number | null;
  rssGrowthPct: number | null;
  /** Server RSS every 5 s of the run (seconds since the window started). */
  rssSeries: Array<{ t: number; rssBytes: number }>;
}

export interface LoadReport {
  /** venue: the seats of one show (`/seats`); home: one home session per seat (`/`). */
  mode: 'venue' | 'home';
  config: {
    mode: 'venue' | 'home';
    seats: number;
    rate: number;
    durationS: number;
    warmupS: number;
    /** Slices per server, alternated with the bare baseline (1 without it). */
    slices: number;
    url: string;
    /** A third process kept one core busy for the whole run (`--competitor`). */
    competitor?: boolean;
  };
  frisson: ServerRun;
  bare: ServerRun | null;
  /** Frisson CPU per event / bare socket.io CPU per event: median over the paired slices. */
  cpuRatio: number | null;
  /** The same from the sums over all slices. */
  cpuRatioPooled: number | null;
}

export const LOAD_TARGETS = {
  ackP99Ms: 50,
  cpuRatio: 1.5,
  rssPerSeatBytes: 40 * 1024,
  rssGrowthPct: 10,
} as const;

export function dropped(r: DriverResult): number {
  return r.timedOut + r.refused + r.sentWhileDisconnected;
}

const fmt = (v: number | null | undefined, unit = ''): string =>
  v === null || v === undefined ? '–' : `${v}${unit}`;
const kb = (v: number | null): string => (v === null ? '–' : `${(v / 1024).toFixed(1)} KB`);
const mb = (v: number | null): string => (v === null ? '–' : `${(v / 1048576).toFixed(1)} MB`);

export function formatLoadReport(r: LoadReport): string {
  const f = r.frisson;
  const b = r.bare;
  const rows: Array<[string, string, string]> = [
    [
      'seats connected',
      `${f.driver.connected}/${f.driver.seats}`,
      b ? `${b.driver.connected}/${b.driver.seats}` : '–',
    ],
    ['ingest (acked samples/s)', fmt(f.ingestPerS), fmt(b?.ingestPerS)],
    ['ack round trip p50', fmt(f.driver.ackRtt.p50, ' ms'), fmt(b?.driver.ackRtt.p50, ' ms')],
    ['ack round trip p99', fmt(f.driver.ackRtt.p99, ' ms'), fmt(b?.driver.ackRtt.p99, ' ms')],
    ['sample → next decision p50', fmt(f.driver.sampleToDecision.p50, ' ms'), '–'],
    ['sample → next decision p99', fmt(f.driver.sampleToDecision.p99, ' ms'), '–'],
    ['decisions received', fmt(f.driver.decisions), '–'],
    ...(f.driver.decisionInterval
      ? [
          [
            'decision interval p50 / p99',
            `${fmt(f.driver.decisionInterval.p50, ' ms')} / ${fmt(f.driver.decisionInterval.p99, ' ms')}`,
            '–',
          ] as [string, string, string],
        ]
      : []),
    ['server CPU per event', fmt(f.serverCpuUsPerEvent, ' µs'), fmt(b?.serverCpuUsPerEvent, ' µs')],
    ['  by slice', f.windowCpuUsPerEvent.join(' '), b ? b.windowCpuUsPerEvent.join(' ') : '–'],
    [
      '  of which user space',
      fmt(f.serverUserUsPerEvent, ' µs'),
      fmt(b?.serverUserUsPerEvent, ' µs'),
    ],
    ['server CPU (one core)', fmt(f.serverCpuPct, ' %'), fmt(b?.serverCpuPct, ' %')],
    ['load generator CPU (one core)', fmt(f.driverCpuPct, ' %'), fmt(b?.driverCpuPct, ' %')],
    ['RSS per seat (connected)', kb(f.rssPerSeatBytes), kb(b?.rssPerSeatBytes ?? null)],
    ['RSS per seat (after warm-up)', kb(f.rssPerSeatWarmBytes), kb(b?.rssPerSeatWarmBytes ?? null)],
    [
      'RSS window start → end',
      `${mb(f.rssWindowStartBytes)} → ${mb(f.rssWindowEndBytes)}`,
      b ? `${mb(b.rssWindowStartBytes)} → ${mb(b.rssWindowEndBytes)}` : '–',
    ],
    ['RSS growth', fmt(f.rssGrowthPct, ' %'), fmt(b?.rssGrowthPct, ' %')],
    [
      'dropped (timeout/refused/offline)',
      `${dropped(f.driver)} (${f.driver.timedOut}/${f.driver.refused}/${f.driver.sentWhileDisconnected})`,
      b ? `${dropped(b.driver)}` : '–',
    ],
    ['disconnects', fmt(f.driver.disconnects), fmt(b?.driver.disconnects)],
    [
      'acked in order / sent (whole run)',
      `${f.driver.allAcked}/${f.driver.allSent} (dup ${f.driver.duplicateAcks}, out of order ${f.driver.outOfOrderAcks})`,
      b ? `${b.driver.allAcked}/${b.driver.allSent}` : '–',
    ],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max('frisson'.length, ...rows.map((x) => x[1].length));
  const lines = [
    `frisson load (${r.mode}): ${r.config.seats} seats × ${r.config.rate} Hz, ${r.config.durationS} s window (warm-up ${r.config.warmupS} s)` +
      (r.config.slices > 1 ? `, ${r.config.slices} alternating slices per server` : '') +
      (r.config.competitor ? ', one core kept busy by a competitor process' : ''),
    ...(f.driver.playbackSpeed !== null
      ? [
          `show ${f.driver.showId ?? '?'}: screen playhead at ${f.driver.playbackSpeed}× real time` +
            (f.driver.showEnded ? ' — the show ENDED inside the window' : ''),
        ]
      : []),
    '',
    `${''.padEnd(w0)}  ${'frisson'.padEnd(w1)}  bare socket.io`,
    ...rows.map(([k, a, c]) => `${k.padEnd(w0)}  ${a.padEnd(w1)}  ${c}`),
    '',
    `CPU per event, frisson / bare: ${fmt(r.cpuRatio, '×')} median of paired slices, ${fmt(r.cpuRatioPooled, '×')} pooled (target ≤ ${LOAD_TARGETS.cpuRatio}×)`,
    ...(b && f.driver.ackRtt.p99 !== null && b.driver.ackRtt.p99
      ? [
          `ack p99 frisson / bare: ${round2(f.driver.ackRtt.p99 / b.driver.ackRtt.p99)}× (busy-host target ≤ 2×)`,
        ]
      : []),
    `targets: ack p99 ≤ ${LOAD_TARGETS.ackP99Ms} ms ${check(f.driver.ackRtt.p99 !== null && f.driver.ackRtt.p99 <= LOAD_TARGETS.ackP99Ms)}, ` +
      `CPU ratio ${check(r.cpuRatio !== null && r.cpuRatio <= LOAD_TARGETS.cpuRatio)}, ` +
      `RSS/seat ≤ 40 KB ${check(f.rssPerSeatBytes !== null && f.rssPerSeatBytes <= LOAD_TARGETS.rssPerSeatBytes)}, ` +
      `no drops ${check(dropped(f.driver) === 0)}, ` +
      `RSS growth < ${LOAD_TARGETS.rssGrowthPct} % ${check(f.rssGrowthPct !== null && f.rssGrowthPct < LOAD_TARGETS.rssGrowthPct)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function check(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}
