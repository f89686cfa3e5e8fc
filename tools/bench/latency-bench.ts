/**
 * `frisson bench latency`: decision → new segment on screen, measured end to end with a real
 * server and a real Chromium player. Heart-rate samples force the director to switch between calm
 * and scare; the server's decision log gives the decision time; the page logs the wall-clock time
 * at which each frame showing a new variant marker was presented (requestVideoFrameCallback). The
 * same run measures the shipped configuration, the previous one (1.5 s horizon) and the classic
 * stitching baseline (three segments ahead, polling, hls.js defaults), so the figures come from one
 * machine state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { createFrissonServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  DecisionEvent,
  ServerToClientEvents,
} from '../../contracts/wire.js';
import { launchChromium, WATCH_MARKER } from './chromium.js';

export interface LatencyConfig {
  name: string;
  /** Seconds published ahead of the playhead (default: the shipped FRISSON_HORIZON). */
  horizon?: number;
  /** Cap of the stall-widened horizon (default: the shipped FRISSON_HORIZON_MAX). */
  horizonMax?: number;
  blockingReload: boolean;
  /** `tuned` = the player's HLS_CONFIG; `default` = hls.js defaults. */
  hls: 'tuned' | 'default';
  /**
   * A slow viewer: Chromium adds this many ms to every HTTP response (DevTools
   * `Network.emulateNetworkConditions` latency; the socket.io WebSocket is not delayed).
   */
  linkLatencyMs?: number;
}

/** What ships: the configuration defaults (1 s horizon, adaptive up to 3 s), blocking reload. */
export const TUNED: LatencyConfig = {
  name: 'tuned (shipped defaults: 1 s horizon, adaptive)',
  blockingReload: true,
  hls: 'tuned',
};
/** The tuned configuration before issue 23: a fixed 1.5 s horizon. */
export const LEGACY_TUNED: LatencyConfig = {
  name: 'previous tuned (1.5 s horizon, fixed)',
  horizon: 1.5,
  horizonMax: 1.5,
  blockingReload: true,
  hls: 'tuned',
};
/**
 * A slow viewer (`--slow-link <ms>`): the shipped configuration, and the same 1 s horizon held
 * fixed, both with `ms` added to every HTTP response — what the adaptive horizon buys.
 */
export function slowLinkConfigs(latencyMs: number): LatencyConfig[] {
  return [
    { ...TUNED, name: `slow link +${latencyMs} ms, shipped (adaptive)`, linkLatencyMs: latencyMs },
    {
      ...TUNED,
      name: `slow link +${latencyMs} ms, 1 s horizon fixed`,
      horizon: 1,
      horizonMax: 1,
      linkLatencyMs: latencyMs,
    },
  ];
}

export const CLASSIC: LatencyConfig = {
  name: 'classic (3 segments ahead, polling, hls.js defaults)',
  horizon: 3,
  blockingReload: false,
  hls: 'default',
};

export interface LatencyResult {
  config: LatencyConfig;
  switches: number;
  latenciesMs: number[];
  p50: number;
  p95: number;
  max: number;
  stalls: number;
  audioGapsOver50ms: number;
  maxAudioGapMs: number;
  sessions: number;
  /** Switch decisions whose variant never reached the screen (overtaken by the next switch). */
  unseen: number;
  /** The configured horizon, seconds. */
  horizonS: number;
  /** The widest horizon a session had at its end, seconds (above `horizonS` only after stalls). */
  widestHorizonS: number;
}

interface MarkerEntry {
  at: number;
  marker: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** Page script: records audio buffer holes (> 50 ms) as hls.js appends (split A/V source buffers). */
const WATCH_AUDIO = `(() => {
  const hls = window.__frisson.hls;
  const gaps = (window.__audioGaps = new Map());
  hls.on('hlsBufferAppended', (_e, data) => {
    const r = data.timeRanges && data.timeRanges.audio;
    if (!r) return;
    for (let i = 1; i < r.length; i++) {
      const gap = r.start(i) - r.end(i - 1);
      if (gap > 0.05) gaps.set(r.end(i - 1).toFixed(2), gap);
    }
  });
})()`;

async function runConfig(
  browser: Browser,
  storyDir: string,
  config: LatencyConfig,
  wanted: number,
  log: (line: string) => void,
): Promise<LatencyResult> {
  const dir = await mkdtemp(join(tmpdir(), 'frisson-bench-'));
  const cfg = loadConfig(
    {
      port: 0,
      host: '127.0.0.1',
      db: join(dir, 'bench.db'),
      story: storyDir,
      logLevel: 'silent',
      calibration: 3,
      ...(config.horizon !== undefined ? { horizon: config.horizon } : {}),
      ...(config.horizonMax !== undefined ? { horizonMax: config.horizonMax } : {}),
      blockingReload: config.blockingReload,
      picker: 'threshold',
      sessionCreateRate: 0, // every viewer comes from 127.0.0.1
    },
    {},
  );
  const server = await createFrissonServer(cfg);
  const url = await server.listen();
  const latencies: number[] = [];
  let stalls = 0;
  let gapsOver = 0;
  let maxGap = 0;
  let sessions = 0;
  let unseen = 0;
  let widest = 0;
  const deadline = Date.now() + Math.max(120_000, wanted * 15_000);
  try {
    while (latencies.length < wanted && Date.now() < deadline) {
      sessions++;
      const res = await fetch(`${url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const s = (await res.json()) as CreateSessionResponse;
      const page = await browser.newPage();
      if (config.linkLatencyMs !== undefined) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Network.enable'); // emulation applies only with the domain enabled
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: config.linkLatencyMs,
          downloadThroughput: -1,
          uploadThroughput: -1,
        });
      }
      await page.goto(`${s.playerUrl}${config.hls === 'default' ? '&hls=default' : ''}`);
      // A function, not a string: a string predicate is eval'd in the page, which the CSP forbids.
      await page.waitForFunction(
        () =>
          (window as unknown as { __frisson?: { playing: boolean } }).__frisson?.playing === true,
        null,
        { timeout: 30_000 },
      );
      await page.evaluate(WATCH_MARKER);
      await page.evaluate(WATCH_AUDIO);
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, {
        transports: ['websocket'],
        auth: { sessionId: s.id, token: s.token },
      });
      const switches: Array<{ at: number; level: string }> = [];
      let lastLevel = '';
      let ended = false;
      socket.on('decision', (d: DecisionEvent) => {
        if (lastLevel && d.level !== lastLevel) switches.push({ at: Date.now(), level: d.level });
        lastLevel = d.level;
      });
      socket.on('ended', () => {
        ended = true;
      });
      // Calibrate at rest, then alternate: race until a switch is decided, rest until the next.
      let high = false;
      let seenSwitches = 0;
      for (let i = 0; !ended && i < 120; i++) {
        if (i >= 4 && switches.length > seenSwitches) {
          seenSwitches = switches.length;
          high = !high;
        } else if (i === 4) high = true;
        socket.emit('sample', { bpm: high ? 130 : 64 });
        await sleep(500);
        if (latencies.length + switches.length >= wanted + 2) break;
      }
      await sleep(Math.max(cfg.horizon, cfg.horizonMax) * 1000 + 2500);
      widest = Math.max(widest, server.sessions.get(s.id)?.horizonSeconds(Date.now()) ?? 0);
      const markers = await page.evaluate<MarkerEntry[]>('window.__markerLog');
      const diag = await page.evaluate<{ stalls: number; gaps: number[] }>(
        '({ stalls: window.__frisson.stalls, gaps: [...window.__audioGaps.values()] })',
      );
      stalls += diag.stalls;
      for (const g of diag.gaps) {
        gapsOver++;
        maxGap = Math.max(maxGap, g * 1000);
      }
      for (const sw of switches) {
        const shown = markers.find((m) => m.at >= sw.at && m.marker === sw.level);
        const next = switches.find((x) => x.at > sw.at);
        if (shown && (!next || shown.at <= next.at + 5000)) latencies.push(shown.at - sw.at);
        else unseen++;
      }
      log(`  ${config.name}: session ${sessions}: ${latencies.length}/${wanted} switches measured`);
      socket.close();
      await page.close();
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    config,
    switches: latencies.length,
    latenciesMs: latencies.map((x) => Math.round(x)),
    p50: Math.round(percentile(sorted, 50)),
    p95: Math.round(percentile(sorted, 95)),
    max: Math.round(sorted[sorted.length - 1] ?? NaN),
    stalls,
    audioGapsOver50ms: gapsOver,
    maxAudioGapMs: Math.round(maxGap),
    sessions,
    unseen,
    horizonS: cfg.horizon,
    widestHorizonS: widest,
  };
}

export async function runLatencyBench(opts: {
  storyDir: string;
  switches: number;
  configs?: LatencyConfig[];
  log?: (line: string) => void;
}): Promise<LatencyResult[]> {
  const log = opts.log ?? (() => undefined);
  const browser = await launchChromium();
  const out: LatencyResult[] = [];
  try {
    for (const c of opts.configs ?? [TUNED, LEGACY_TUNED, CLASSIC]) {
      out.push(await runConfig(browser, opts.storyDir, c, opts.switches, log));
    }
  } finally {
    await browser.close();
  }
  return out;
}

export function formatLatencyTable(results: LatencyResult[]): string {
  const head = [
    'config',
    'switches',
    'p50 ms',
    'p95 ms',
    'max ms',
    'stalls',
    'audio gaps>50ms',
    'horizon s (widest)',
  ];
  const rows = results.map((r) => [
    r.config.name,
    String(r.switches),
    String(r.p50),
    String(r.p95),
    String(r.max),
    String(r.stalls),
    String(r.audioGapsOver50ms),
    `${r.horizonS} (${r.widestHorizonS})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
