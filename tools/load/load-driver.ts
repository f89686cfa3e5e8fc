/**
 * The simulated seats of `frisson load`, run in a child process of its own (forked by
 * load-command.ts) so the load generator's CPU never counts as the server's.
 *
 * Two modes (`mode`), each against the hub (`target: 'frisson'`) or the bare echo server (`'echo'`):
 *
 * - `venue` (the default of `frisson load`, what a venue seat is): ONE show is created
 *   (`POST /api/shows` with the operator key, `seatCount` seats); every seat is a socket.io client
 *   of `/seats` authenticated with its own seat token, says `hello` (cursor) and then sends a
 *   `batch` of ONE sample (`agentId` = seat id, `seq` + 1 per batch) at `rate` Hz with an ack —
 *   one seat event is one socket.io event with an ack, the shape of one bare echo event. One screen
 *   client on `/screens` (show token) reports the playhead so the show's screen session publishes,
 *   and records the show's `decision` events (one per segment, read from the audience aggregate).
 *   The demo story is short (≈ 24 s), so the screen's playhead runs at `playbackSpeed` (≤ 1, default
 *   chosen so the film outlasts the run: one decision every 1/speed seconds) — a show that ended
 *   would refuse every sample. Against the echo server the same seats send the same batches to its
 *   `/seats` namespace (acked `{ ok, ackedThrough }`, nothing else).
 * - `home` (`--mode home`): each seat is one home viewer: it creates a home session
 *   (POST /api/sessions), asks for its playlist once (which starts the session's wall clock, so it
 *   publishes a segment a second like a playing player), connects to the viewer namespace `/` with
 *   handshake auth and sends `sample` events at `rate` Hz with acknowledgements, listening to
 *   `decision` events. Against the echo server it only connects and sends the same samples.
 *
 * Windows: `runDriver` alone runs one measurement window (`warmupS` of load, then `durationS`
 * measured). A parent drives the run window by window instead (`runDriver`'s `commands`; the child
 * process always takes `{ type: 'window' }` / `{ type: 'finish' }` messages): each window sends load for its warm-up and duration,
 * then stops sending until every sample in flight is answered (`window-settled`). Between windows
 * the seats are silent and the venue screen reports its playhead paused, so the film only advances
 * while the hub is driven. `frisson load` uses this to alternate short windows between the hub and
 * the bare echo server (load-command.ts), so noise on the host hits both alike.
 *
 * Measured, only inside the measurement windows (after all seats are connected and a warm-up):
 * - ack round trip: `emit` → acknowledgement received. Home: the sample has been validated, pushed
 *   into the viewer's signal state the director reads, and answered. Venue: the batch has been
 *   validated (zod, plausibility), checked against the agent's exactly-once cursor, its sample
 *   pushed into the seat's signal processor (server/show/show.ts `ingest`) whose reading the
 *   audience median is computed from when the director decides, the cursor advanced, and answered
 *   (server/hub/seat-namespace.ts, server/hub/show-seat-intake.ts);
 * - sample → next decision: home: from sending a sample to receiving the next `decision` event of
 *   that session (bounded below by the segment cadence, 1 s in the demo); venue: from sending a
 *   sample to the first show `decision` the screen receives after the sample's ack (the first
 *   decision that read it), bounded below by the decision cadence;
 * - dropped: samples not acknowledged within the ack timeout, refused (`ok: false`), or sent while
 *   the socket was disconnected.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';

export const DriverConfigSchema = z.object({
  mode: z.enum(['venue', 'home']),
  target: z.enum(['frisson', 'echo']),
  url: z.string().url(),
  /** Venue against the hub: the operator key that creates the show. */
  operatorKey: z.string().optional(),
  /** Venue: screen playhead speed (default: the film outlasts warm-up + window + drain). */
  playbackSpeed: z.number().positive().max(1).optional(),
  seats: z.number().int().positive(),
  rate: z.number().positive(),
  durationS: z.number().positive(),
  warmupS: z.number().nonnegative(),
  ackTimeoutMs: z.number().int().positive(),
  connectConcurrency: z.number().int().positive(),
  /**
   * Venue: seconds the seats will send in total over all windows (warm-ups included), to pick the
   * playhead speed; default `warmupS + durationS` (one window).
   */
  activeS: z.number().positive().optional(),
});
export type DriverConfig = z.infer<typeof DriverConfigSchema>;

export interface DriverResult {
  mode: DriverConfig['mode'];
  target: DriverConfig['target'];
  seats: number;
  connected: number;
  connectFailures: number;
  setupMs: number;
  windowMs: number;
  sent: number;
  acked: number;
  refused: number;
  /** Sent in the window and never acknowledged by the end of the drain (ack timeout). */
  timedOut: number;
  sentWhileDisconnected: number;
  /** Seats that started a new session after theirs ended. */
  recycled: number;
  disconnects: number;
  decisions: number;
  stateEvents: number;
  ackRtt: LatencySummary;
  sampleToDecision: LatencySummary;
  /** Venue: the show driven (null otherwise). */
  showId: string | null;
  /** Venue: the screen's playhead speed (1 = real time). */
  playbackSpeed: number | null;
  /** Venue: time between consecutive show decisions at the screen, in the window. */
  decisionInterval: LatencySummary | null;
  /** Venue: the show ended inside the measurement window (later samples were not folded). */
  showEnded: boolean;
  /** Over the whole run (warm-up included): samples sent and acknowledged exactly once in order. */
  allSent: number;
  allAcked: number;
  /** Acks flagged `duplicate` or out of seq order (venue; must be 0). */
  duplicateAcks: number;
  outOfOrderAcks: number;
}

export type DriverMessage =
  | { type: 'connected'; connected: number; failed: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  /** Every sample sent in the window has been answered (or the ack timeout passed). */
  | { type: 'window-settled'; acked: number }
  | { type: 'result'; result: DriverResult }
  | { type: 'error'; message: string };

/** What the parent asks a driver for: one more window of load, or the end of the run. */
export const DriverCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('window'),
    warmupS: z.number().nonnegative(),
    durationS: z.number().positive(),
  }),
  z.object({ type: z.literal('finish') }),
]);
export type DriverCommand = z.infer<typeof DriverCommandSchema>;

interface Seat {
  socket: Socket;
  /** Send times of samples not yet followed by a decision of the seat's session. */
  pending: number[];
  rr: number;
  recycling: boolean;
  /** Venue: seat id (= agent id), last batch seq sent and last acknowledged in order. */
  id: string;
  seq: number;
  ackedSeq: number;
  /** Venue: ms of heartbeat elapsed since the last completed RR interval. */
  beatMs: number;
}

interface Stats {
  inWindow: boolean;
  sent: number;
  acked: number;
  refused: number;
  sentWhileDisconnected: number;
  disconnects: number;
  decisions: number;
  stateEvents: number;
  recycled: number;
  ackRtt: LatencyRecorder;
  sampleToDecision: LatencyRecorder;
  allSent: number;
  allAcked: number;
  duplicateAcks: number;
  outOfOrderAcks: number;
  /** Samples sent and not answered yet (any answer). */
  inFlight: number;
  /** Venue: send times of samples acked in the window and not yet followed by a decision. */
  ackedAwaitingDecision: number[];
  decisionInterval: LatencyRecorder;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates a home session and starts its wall clock (the first playlist request). */
async function newSession(url: string): Promise<{ sessionId: string; token: string }> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status}`);
  const s = (await res.json()) as { id: string; token: string; playlistUrl: string };
  await (await fetch(s.playlistUrl)).text();
  return { sessionId: s.id, token: s.token };
}

async function createSeat(cfg: DriverConfig, stats: Stats): Promise<Seat> {
  const auth = cfg.target === 'frisson' ? await newSession(cfg.url) : {};
  const socket = connect(cfg.url, {
    transports: ['websocket'],
    auth,
    reconnection: true,
    forceNew: true,
  });
  const seat = newSeat(socket, '');
  await connected(socket);
  socket.on('disconnect', () => {
    if (stats.inWindow) stats.disconnects++;
  });
  socket.on('state', () => {
    if (stats.inWindow) stats.stateEvents++;
  });
  socket.on('decision', () => {
    if (!stats.inWindow) {
      seat.pending.length = 0;
      return;
    }
    stats.decisions++;
    const now = performance.now();
    for (const t of seat.pending) stats.sampleToDecision.record(now - t);
    seat.pending.length = 0;
  });
  // The demo story lasts about half a minute: a seat whose film ended starts another session on
  // the same socket (`join`), so a long run keeps every seat publishing.
  socket.on('ended', () => {
    if (seat.recycling || cfg.target !== 'frisson') return;
    seat.recycling = true;
    newSession(cfg.url)
      .then((next) => socket.timeout(10_000).emitWithAck('join', next))
      .then(() => {
        stats.recycled++;
        seat.pending.length = 0;
      })
      .catch(() => undefined)
      .finally(() => {
        seat.recycling = false;
      });
  });
  return seat;
}

function newSeat(socket: Socket, id: string): Seat {
  const rr = 750 + Math.random() * 200;
  return { socket, pending: [], rr, recycling: false, id, seq: 0, ackedSeq: 0, beatMs: 0 };
}

function connected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

interface VenueShow {
  showId: string;
  showToken: string;
  storyId: string;
  seats: Array<{ seat: string; token: string }>;
}

/** Venue: one show with `seats` seats (S001, S002, …), created with the operator key. */
async function createShow(cfg: DriverConfig): Promise<VenueShow> {
  const res = await fetch(`${cfg.url}/api/shows`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-frisson-operator-key': cfg.operatorKey ?? '',
    },
    body: JSON.stringify({ title: 'frisson load', seatCount: cfg.seats }),
  });
  if (res.status !== 201) throw new Error(`POST /api/shows: ${res.status} ${await res.text()}`);
  const show = (await res.json()) as {
    id: string;
    token: string;
    seats: Array<{ seat: string; token: string }>;
  };
  const snap = await fetch(`${cfg.url}/api/shows/${show.id}`, {
    headers: { 'x-frisson-operator-key': cfg.operatorKey ?? '' },
  });
  const { storyId } = (await snap.json()) as { storyId: string };
  return { showId: show.id, showToken: show.token, storyId, seats: show.seats };
}

interface StoryShape {
  start: string;
  scenes: Record<
    string,
    {
      variants: Record<string, { segments: Array<{ duration: number }> }>;
      next: { type: string; scene?: string; branch?: string };
    }
  >;
  branches: Record<string, { candidates: Array<{ scene: string }> }>;
}

/** Seconds of the shortest path through the story (the least a show can last), from its manifest. */
async function shortestFilmSeconds(cfg: DriverConfig, storyId: string): Promise<number> {
  // The manifest (the whole story graph) is the operator's, not public (docs/operations.md).
  const res = await fetch(`${cfg.url}/stories/${encodeURIComponent(storyId)}/manifest.json`, {
    headers: { 'x-frisson-operator-key': cfg.operatorKey ?? '' },
  });
  if (!res.ok) throw new Error(`story manifest: ${res.status}`);
  const story = (await res.json()) as StoryShape;
  const memo = new Map<string, number>();
  const walk = (id: string, depth: number): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const scene = story.scenes[id];
    if (!scene || depth > 1000) return 0;
    const own = Math.min(
      ...Object.values(scene.variants).map((v) => v.segments.reduce((a, g) => a + g.duration, 0)),
    );
    const next = scene.next;
    const nexts =
      next.type === 'scene' && next.scene
        ? [next.scene]
        : next.type === 'branch' && next.branch
          ? (story.branches[next.branch]?.candidates.map((c) => c.scene) ?? [])
          : [];
    const rest = nexts.length > 0 ? Math.min(...nexts.map((n) => walk(n, depth + 1))) : 0;
    memo.set(id, own + rest);
    return own + rest;
  };
  return walk(story.start, 0);
}

/** Venue: the show's screen. Reports its playhead (at `speed`) and records decisions. */
function connectScreen(
  cfg: DriverConfig,
  show: VenueShow,
  stats: Stats,
  state: { endedAt: number | null },
): {
  socket: Socket;
  setSpeed(speed: number): void;
  play(): void;
  pause(): void;
  close(): void;
} {
  const socket = connect(`${cfg.url}/screens`, {
    transports: ['websocket'],
    auth: { showId: show.showId, token: show.showToken },
    forceNew: true,
  });
  let lastDecisionAt = 0;
  socket.on('decision', () => {
    const now = performance.now();
    if (stats.inWindow) {
      stats.decisions++;
      if (lastDecisionAt > 0) stats.decisionInterval.record(now - lastDecisionAt);
      for (const t of stats.ackedAwaitingDecision) stats.sampleToDecision.record(now - t);
    }
    stats.ackedAwaitingDecision.length = 0;
    lastDecisionAt = now;
  });
  socket.on('ended', () => {
    state.endedAt ??= performance.now();
  });
  // The playhead advances only while playing (load is being sent): film seconds = played s × speed.
  let timer: NodeJS.Timeout | null = null;
  let speed = 1;
  let playedMs = 0;
  let playingSince: number | null = null;
  const position = (): number =>
    ((playedMs + (playingSince === null ? 0 : performance.now() - playingSince)) / 1000) * speed;
  const report = (): void =>
    void socket.emit('playhead', { position: position(), paused: playingSince === null });
  return {
    socket,
    setSpeed(s: number) {
      speed = s;
    },
    play() {
      if (playingSince !== null) return;
      playingSince = performance.now();
      report();
      timer ??= setInterval(report, 1000);
    },
    pause() {
      if (playingSince === null) return;
      playedMs += performance.now() - playingSince;
      playingSince = null;
      report();
    },
    close() {
      if (timer) clearInterval(timer);
      socket.close();
    },
  };
}

/** Venue: one seat's socket on `/seats` with its own seat token (none for the echo server). */
async function createVenueSeat(cfg: DriverConfig, seatId: string, token: string): Promise<Seat> {
  const socket = connect(`${cfg.url}/seats`, {
    transports: ['websocket'],
    auth: { token },
    reconnection: true,
    forceNew: true,
  });
  const seat = newSeat(socket, seatId);
  await connected(socket);
  const hello = (await socket.timeout(30_000).emitWithAck('hello', { agentId: seatId })) as {
    ok: boolean;
    cursor?: number;
  };
  if (!hello.ok) throw new Error(`hello refused for ${seatId}`);
  seat.seq = seat.ackedSeq = hello.cursor ?? 0;
  return seat;
}

/** Venue: one `batch` of one sample (bpm; an RR interval when a beat completed since the last). */
function sendBatch(seat: Seat, stats: Stats, periodMs: number): void {
  seat.rr = Math.min(1100, Math.max(600, seat.rr + (Math.random() - 0.5) * 30));
  const rr = Math.round(seat.rr);
  seat.beatMs += periodMs;
  const sample: { seat: string; t: number; bpm: number; rr?: number[]; contact: boolean } = {
    seat: seat.id,
    t: Date.now(),
    bpm: Math.round(60_000 / rr),
    contact: true,
  };
  if (seat.beatMs >= rr) {
    seat.beatMs -= rr;
    sample.rr = [rr];
  }
  const seq = ++seat.seq;
  const counted = stats.inWindow;
  stats.allSent++;
  stats.inFlight++;
  const t0 = performance.now();
  if (counted) {
    stats.sent++;
    if (!seat.socket.connected) stats.sentWhileDisconnected++;
  }
  seat.socket.emit(
    'batch',
    { agentId: seat.id, seq, samples: [sample] },
    (res?: { ok: boolean; ackedThrough?: number; duplicate?: boolean }) => {
      stats.inFlight--;
      const inOrder = res?.ok === true && res.ackedThrough === seq && seq === seat.ackedSeq + 1;
      if (res?.duplicate) stats.duplicateAcks++;
      else if (inOrder) {
        seat.ackedSeq = seq;
        stats.allAcked++;
      } else if (res?.ok) stats.outOfOrderAcks++;
      if (!counted) return;
      if (inOrder && !res.duplicate) {
        const now = performance.now();
        stats.acked++;
        stats.ackRtt.record(now - t0);
        if (stats.inWindow) stats.ackedAwaitingDecision.push(t0);
      } else stats.refused++;
    },
  );
}

function sendSample(seat: Seat, stats: Stats): void {
  // A plausible resting heart: RR around 800 ms with a small random walk.
  seat.rr = Math.min(1100, Math.max(600, seat.rr + (Math.random() - 0.5) * 30));
  const rr = Math.round(seat.rr);
  const counted = stats.inWindow;
  const t0 = performance.now();
  stats.allSent++;
  stats.inFlight++;
  if (counted) {
    stats.sent++;
    if (!seat.socket.connected) stats.sentWhileDisconnected++;
    seat.pending.push(t0);
  }
  // No per-emit timer (socket.timeout() would create 8,000 timers a second): an ack that has not
  // arrived when the run drains is counted as dropped.
  seat.socket.emit(
    'sample',
    { bpm: Math.round(60_000 / rr), rr: [rr], contact: true },
    (res?: { ok: boolean }) => {
      stats.inFlight--;
      if (res?.ok) stats.allAcked++;
      if (!counted) return;
      if (res?.ok) {
        stats.acked++;
        stats.ackRtt.record(performance.now() - t0);
      } else stats.refused++;
    },
  );
}

/**
 * Connects the seats, then runs the windows `commands` asks for until it says `finish` (default:
 * one window of `cfg.warmupS` + `cfg.durationS`), and returns the totals over all windows.
 */
export async function runDriver(
  cfg: DriverConfig,
  report: (m: DriverMessage) => void,
  commands: () => Promise<DriverCommand> = oneWindow(cfg),
): Promise<DriverResult> {
  const stats: Stats = {
    inWindow: false,
    sent: 0,
    acked: 0,
    refused: 0,
    sentWhileDisconnected: 0,
    disconnects: 0,
    decisions: 0,
    stateEvents: 0,
    recycled: 0,
    ackRtt: new LatencyRecorder(),
    sampleToDecision: new LatencyRecorder(),
    allSent: 0,
    allAcked: 0,
    duplicateAcks: 0,
    outOfOrderAcks: 0,
    inFlight: 0,
    ackedAwaitingDecision: [],
    decisionInterval: new LatencyRecorder(),
  };
  const venue = cfg.mode === 'venue';
  const started = performance.now();
  // Venue against the hub: the show and its screen first (the screen holds at position 0 until
  // every seat is connected, so the film does not run out during the connect phase).
  const show = venue && cfg.target === 'frisson' ? await createShow(cfg) : null;
  const showState: { endedAt: number | null } = { endedAt: null };
  const screen = show ? connectScreen(cfg, show, stats, showState) : null;
  if (screen) await connected(screen.socket);
  const seatList =
    show?.seats ??
    Array.from({ length: cfg.seats }, (_, i) => ({
      seat: `S${String(i + 1).padStart(3, '0')}`,
      token: '',
    }));
  const seats: Seat[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cfg.seats) {
      const mine = seatList[next++];
      try {
        if (!mine) throw new Error('no seat token');
        seats.push(
          venue ? await createVenueSeat(cfg, mine.seat, mine.token) : await createSeat(cfg, stats),
        );
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.connectConcurrency }, worker));
  const setupMs = performance.now() - started;
  report({ type: 'connected', connected: seats.length, failed });
  let playbackSpeed: number | null = null;
  if (screen && show) {
    const activeS = cfg.activeS ?? cfg.warmupS + cfg.durationS;
    const runS = activeS + cfg.ackTimeoutMs / 1000 + 5;
    let filmS: number;
    try {
      filmS = cfg.playbackSpeed === undefined ? await shortestFilmSeconds(cfg, show.storyId) : 0;
    } catch (err) {
      for (const seat of seats) seat.socket.close();
      screen.close();
      throw err;
    }
    // The screen session publishes up to its horizon ahead (≤ a few s): keep 10 % + 3 s spare.
    const speed = Math.floor((((filmS - 3) * 0.9) / runS) * 1000) / 1000;
    playbackSpeed = cfg.playbackSpeed ?? Math.min(1, speed);
    screen.setSpeed(Math.max(0.01, playbackSpeed));
  }

  // One ticker for all seats (not one timer each): every TICK_MS it sends the samples that are
  // due, seat i at phase i/seats of the period, so the load is smooth at `rate` Hz per seat.
  const period = 1000 / cfg.rate;
  const TICK_MS = 5;
  const startTicker = (): NodeJS.Timeout => {
    const t0 = performance.now();
    let sentRounds = 0; // samples sent so far in this window, over all seats
    return setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / period) * seats.length);
      for (; sentRounds < due; sentRounds++) {
        const seat = seats[sentRounds % seats.length];
        if (seat && venue) sendBatch(seat, stats, period);
        else if (seat) sendSample(seat, stats);
      }
    }, TICK_MS);
  };
  let windowMs = 0;
  let lastWindowEnd = 0;
  for (let cmd = await commands(); cmd.type === 'window'; cmd = await commands()) {
    screen?.play();
    const ticker = startTicker();
    await sleep(cmd.warmupS * 1000);
    stats.inWindow = true;
    report({ type: 'window-start' });
    const windowStart = performance.now();
    await sleep(cmd.durationS * 1000);
    stats.inWindow = false;
    lastWindowEnd = performance.now();
    windowMs += lastWindowEnd - windowStart;
    report({ type: 'window-end' });
    clearInterval(ticker);
    screen?.pause();
    // Let the last acknowledgements arrive; what has not arrived by the ack timeout is dropped.
    const settleBy = performance.now() + cfg.ackTimeoutMs;
    while (stats.inFlight > 0 && performance.now() < settleBy) await sleep(20);
    report({ type: 'window-settled', acked: stats.acked });
  }
  for (const seat of seats) seat.socket.close();
  screen?.close();
  return {
    mode: cfg.mode,
    target: cfg.target,
    seats: cfg.seats,
    connected: seats.length,
    connectFailures: failed,
    setupMs: Math.round(setupMs),
    windowMs: Math.round(windowMs),
    sent: stats.sent,
    acked: stats.acked,
    refused: stats.refused,
    timedOut: stats.sent - stats.acked - stats.refused,
    recycled: stats.recycled,
    sentWhileDisconnected: stats.sentWhileDisconnected,
    disconnects: stats.disconnects,
    decisions: stats.decisions,
    stateEvents: stats.stateEvents,
    ackRtt: stats.ackRtt.summary(),
    sampleToDecision: stats.sampleToDecision.summary(),
    showId: show?.showId ?? null,
    playbackSpeed,
    decisionInterval: venue ? stats.decisionInterval.summary() : null,
    // Only an end before the last window closed matters: later samples are not counted.
    showEnded: showState.endedAt !== null && showState.endedAt < lastWindowEnd,
    allSent: stats.allSent,
    allAcked: stats.allAcked,
    duplicateAcks: stats.duplicateAcks,
    outOfOrderAcks: stats.outOfOrderAcks,
  };
}

/** The default run: one window of the configured warm-up and duration. */
function oneWindow(cfg: DriverConfig): () => Promise<DriverCommand> {
  let asked = 0;
  return () =>
    Promise.resolve(
      asked++ === 0
        ? { type: 'window', warmupS: cfg.warmupS, durationS: cfg.durationS }
        : { type: 'finish' },
    );
}

/** Commands arriving as IPC messages, in order (queued until the driver asks for the next). */
function commandQueue(): { push(c: DriverCommand): void; next(): Promise<DriverCommand> } {
  const queued: DriverCommand[] = [];
  const waiting: Array<(c: DriverCommand) => void> = [];
  return {
    push(c) {
      const w = waiting.shift();
      if (w) w(c);
      else queued.push(c);
    },
    next() {
      const c = queued.shift();
      return c ? Promise.resolve(c) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

// Child-process entry: the parent sends { type: 'start', cfg }, then DriverCommands one window at
// a time, and receives DriverMessages.
if (process.send && process.argv.includes('--frisson-load-child')) {
  const send = (m: DriverMessage): void => void process.send?.(m);
  process.once('message', (msg: { type: string; cfg: unknown }) => {
    const cfg = DriverConfigSchema.parse(msg.cfg);
    const queue = commandQueue();
    process.on('message', (m: unknown) => queue.push(DriverCommandSchema.parse(m)));
    runDriver(cfg, send, () => queue.next())
      .then((result) => send({ type: 'result', result }))
      .catch((err: unknown) =>
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => process.disconnect());
  });
}
