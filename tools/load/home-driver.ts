/**
 * A load process of `frisson load --mode home` (forked by home-load.ts): runs `sessions` simulated
 * home viewers (home-player.ts) against one URL over one keep-alive HTTP agent and one ticker.
 *
 * Protocol (IPC, in order): parent → `{ type: 'start', cfg }`; child → `connected`; parent →
 * `measure` (on), later `measure` (off); parent → `finish`; child waits for the samples in flight
 * (up to the ack timeout) and answers `result` with its counters and raw latency values (the
 * parent merges several processes' values into exact percentiles), then exits.
 */
import { Agent } from 'node:http';
import { z } from 'zod';
import { LatencyRecorder } from './latency-recorder.js';
import { SimulatedPlayer, type PlayerStats } from './home-player.js';

export const HomeDriverConfigSchema = z.object({
  url: z.string().url(),
  sessions: z.number().int().positive(),
  rate: z.number().positive(),
  connectConcurrency: z.number().int().positive(),
  ackTimeoutMs: z.number().int().positive(),
});
export type HomeDriverConfig = z.infer<typeof HomeDriverConfigSchema>;

const LATENCIES = [
  'playlistBeyondHold',
  'playlistImmediate',
  'segment',
  'subtitle',
  'sampleAck',
  'startup',
] as const;
export type LatencyName = (typeof LATENCIES)[number];

export interface HomeDriverResult {
  connected: number;
  failed: number;
  counters: Omit<PlayerStats, LatencyName | 'inWindow' | 'httpErrors'>;
  httpErrors: Record<string, number>;
  latencies: Record<LatencyName, number[]>;
}

export type HomeDriverMessage =
  | { type: 'connected'; connected: number; failed: number; firstError: string | null }
  | { type: 'result'; result: HomeDriverResult }
  | { type: 'error'; message: string };

const HomeDriverCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('measure'), on: z.boolean() }),
  z.object({ type: z.literal('finish') }),
]);

export function newPlayerStats(): PlayerStats {
  return {
    inWindow: false,
    sessionsCreated: 0,
    playlistBeyondHold: new LatencyRecorder(),
    playlistImmediate: new LatencyRecorder(),
    playlist503: 0,
    segment: new LatencyRecorder(),
    subtitle: new LatencyRecorder(),
    sampleAck: new LatencyRecorder(),
    httpErrors: {},
    samplesSent: 0,
    samplesAcked: 0,
    samplesRefused: 0,
    samplesInFlight: 0,
    stalls: 0,
    stallMs: 0,
    segmentsPlayed: 0,
    segmentsOnTime: 0,
    decisions: 0,
    startup: new LatencyRecorder(),
    disconnects: 0,
    sequenceBreaks: 0,
    bytes: 0,
  };
}

/** Starts the players (at most `connectConcurrency` setting up at once) and their ticker. */
export async function startPlayers(
  cfg: HomeDriverConfig,
  stats: PlayerStats,
  log: (s: string) => void = () => undefined,
): Promise<{
  players: SimulatedPlayer[];
  failed: number;
  firstError: string | null;
  stop(): void;
}> {
  // One agent, keep-alive, no socket cap: a blocking reload holds its connection while the
  // segment and subtitle requests of the same viewer go over others, as in a browser.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096 });
  const base = new URL(cfg.url);
  const players: SimulatedPlayer[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const starting = new Set<SimulatedPlayer>();
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const p of players) p.tick(now);
  }, 20);
  const worker = async (): Promise<void> => {
    while (next < cfg.sessions) {
      next++;
      const p = new SimulatedPlayer({ base, agent, stats, rate: cfg.rate });
      starting.add(p);
      try {
        await p.start();
        starting.delete(p);
        players.push(p);
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
        p.stop();
      }
    }
  };
  const progress = setInterval(() => {
    log(`  load process ${process.pid}: ${players.length}/${cfg.sessions} viewers up`);
    // Where the viewers being set up wait (session, master, socket): a stuck phase shows here.
    const st: Record<string, number> = {};
    for (const p of starting) st[p.stage] = (st[p.stage] ?? 0) + 1;
    if (starting.size > 0) log(`    setting up: ${JSON.stringify(st)}`);
  }, 5000);
  await Promise.all(Array.from({ length: cfg.connectConcurrency }, worker)).finally(() =>
    clearInterval(progress),
  );
  return {
    players,
    failed,
    firstError,
    stop() {
      clearInterval(ticker);
      for (const p of players) p.stop();
      agent.destroy();
    },
  };
}

export function collect(stats: PlayerStats, connected: number, failed: number): HomeDriverResult {
  const { inWindow: _w, httpErrors, ...rest } = stats;
  const counters = { ...rest } as Record<string, unknown>;
  for (const k of LATENCIES) delete counters[k];
  const latencies = Object.fromEntries(LATENCIES.map((k) => [k, stats[k].values()])) as Record<
    LatencyName,
    number[]
  >;
  return {
    connected,
    failed,
    counters: counters as HomeDriverResult['counters'],
    httpErrors,
    latencies,
  };
}

// Child-process entry.
if (process.send && process.argv.includes('--frisson-home-child')) {
  const send = (m: HomeDriverMessage): void => void process.send?.(m);
  process.once('message', (msg: { cfg: unknown }) => {
    const cfg = HomeDriverConfigSchema.parse(msg.cfg);
    const stats = newPlayerStats();
    startPlayers(cfg, stats, (s) => void process.stderr.write(`${s}\n`))
      .then((run) => {
        send({
          type: 'connected',
          connected: run.players.length,
          failed: run.failed,
          firstError: run.firstError,
        });
        process.on('message', (m: unknown) => {
          const cmd = HomeDriverCommandSchema.parse(m);
          if (cmd.type === 'measure') {
            stats.inWindow = cmd.on;
            return;
          }
          const settleBy = performance.now() + cfg.ackTimeoutMs;
          const drain = (): void => {
            if (stats.samplesInFlight > 0 && performance.now() < settleBy) {
              setTimeout(drain, 20);
              return;
            }
            run.stop();
            // Disconnect only once the (large) result has been written to the channel.
            process.send?.(
              { type: 'result', result: collect(stats, run.players.length, run.failed) },
              undefined,
              {},
              () => process.disconnect(),
            );
          };
          drain();
        });
      })
      .catch((err: unknown) => {
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        process.disconnect();
      });
  });
}
