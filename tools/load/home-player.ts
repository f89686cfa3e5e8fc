/**
 * One simulated home viewer for `frisson load --mode home`: what the Frisson player (hls.js with
 * client/player/player.ts `HLS_CONFIG`) asks of the server, without decoding any video.
 *
 * - creates a session (`POST /api/sessions`), reads its multivariant playlist, connects to the
 *   viewer namespace `/` with handshake auth;
 * - media playlist: one plain request, then blocking reloads at the live edge — `_HLS_msn` = the
 *   last msn + 1 (RFC 8216bis §6.2.5.2; the server does not advertise partial segments, so there is
 *   no `_HLS_part`) — each sent the moment the previous answer arrived, as hls.js does in
 *   `lowLatencyMode`;
 * - segments: fetched one at a time in order from the live edge on (hls.js starts at the last
 *   segment of its first playlist with `liveSyncDurationCount: 1`);
 * - subtitles: the narration playlist reloaded every target duration (it does not advertise
 *   CAN-BLOCK-RELOAD) and each new WebVTT segment fetched;
 * - socket.io: a heart sample at `rate` Hz (with ack: lost = never acknowledged) and a playhead
 *   report every 500 ms and at once on a stall, like the player;
 * - a playback clock: starts when the first segment is in hand, advances in real time, and stops
 *   (a stall) when it reaches the end of what has been fetched before the film has ended; it
 *   resumes when the next segment arrives. A segment is "on time" when it was in hand before the
 *   clock reached it.
 *
 * When its film ends the viewer starts another session with a new socket, so a long run keeps every
 * viewer playing (the demo film is about half a minute).
 */
import { request, type Agent } from 'node:http';
import type { Socket } from 'socket.io-client';
import { io as connect } from 'socket.io-client';
import type { LatencyRecorder } from './latency-recorder.js';

/** The counters and latency recorders of one load process, shared by its players. */
export interface PlayerStats {
  /** Only observations inside the measurement window are counted. */
  inWindow: boolean;
  sessionsCreated: number;
  /** Blocking reload answered after the segment was published: time beyond that moment. */
  playlistBeyondHold: LatencyRecorder;
  /** Playlist requests whose segment was already known when sent (no hold): response time. */
  playlistImmediate: LatencyRecorder;
  /** Blocking reloads answered 503 (nothing published within three target durations). */
  playlist503: number;
  segment: LatencyRecorder;
  subtitle: LatencyRecorder;
  sampleAck: LatencyRecorder;
  /** Request failures (status ≥ 400 other than the blocking 503, socket errors), by kind. */
  httpErrors: Record<string, number>;
  samplesSent: number;
  samplesAcked: number;
  samplesRefused: number;
  samplesInFlight: number;
  /** Sent in the window and not acknowledged (yet): filled at the end of the drain. */
  stalls: number;
  stallMs: number;
  segmentsPlayed: number;
  segmentsOnTime: number;
  decisions: number;
  startup: LatencyRecorder;
  disconnects: number;
  /** A playlist that gave a known msn another segment (a break in the media sequence). */
  sequenceBreaks: number;
  /** Bytes of media and subtitles received in the window. */
  bytes: number;
}

export interface PlayerEnv {
  base: URL;
  agent: Agent;
  stats: PlayerStats;
  /** Heart samples per second. */
  rate: number;
}

interface Got {
  status: number;
  body: Buffer;
  etag: string | undefined;
}

/** A keep-alive GET/POST that resolves with the status and the whole body. */
export function httpRequest(
  agent: Agent,
  url: URL,
  method: 'GET' | 'POST' = 'GET',
  body?: string,
  ifNoneMatch?: string,
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(ifNoneMatch !== undefined ? { 'if-none-match': ifNoneMatch } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // Longer than any blocking reload (three target durations): a request that never ends fails.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.end(body);
  });
}

export interface ParsedPlaylist {
  /** Segments in order: msn, duration (s), uri (as written, relative to the playlist). */
  segments: Array<{ msn: number; duration: number; uri: string }>;
  ended: boolean;
}

/** Parses the media playlist tags a player needs (RFC 8216 §4.3.2.1, §4.3.3.2, §4.3.3.4). */
export function parseMediaPlaylist(text: string): ParsedPlaylist {
  const segments: ParsedPlaylist['segments'] = [];
  let msn = 0;
  let duration = 0;
  let ended = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) msn = Number(line.slice(22));
    else if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (line.length > 0 && !line.startsWith('#')) {
      segments.push({ msn: msn++, duration, uri: line });
    }
  }
  return { segments, ended };
}

const PLAYHEAD_MS = 500;
const REQUEST_TIMEOUT_MS = 20_000;

export class SimulatedPlayer {
  private readonly env: PlayerEnv;
  private socket: Socket | null = null;
  private stopped = false;
  /** Set-up phase, for the load process's progress lines. */
  stage: 'new' | 'session' | 'master' | 'socket' | 'up' = 'new';
  /** The current session's generation: loops of an ended session stop when it changes. */
  private generation = 0;
  private session: { id: string; token: string; media: URL; subtitles: URL | null } | null = null;
  // Playback of the current session (media seconds from the session's first segment).
  private segStart = new Map<number, number>();
  private uriOf = new Map<number, string>();
  private fetchQueue: Array<{ msn: number; uri: string; start: number; duration: number }> = [];
  private fetching = false;
  private queuedThrough = -1;
  private lastMsn = -1;
  private filmEnded = false;
  private filmEnd = Infinity;
  private bufferedEnd = 0;
  private firstStart: number | null = null;
  private playStartWall: number | null = null;
  private playStartPos = 0;
  private stalledAt: number | null = null;
  private pausedMs = 0;
  private createdAt = 0;
  /** When the decision event for an msn arrived (the moment the server published it). */
  private publishedAt = new Map<number, number>();
  private vttFetched = new Set<string>();
  private nextSampleAt: number;
  private nextPlayheadAt: number;
  private rr = 750 + Math.random() * 200;
  private recycling = false;

  constructor(env: PlayerEnv) {
    this.env = env;
    const now = performance.now();
    this.nextSampleAt = now + Math.random() * (1000 / env.rate);
    this.nextPlayheadAt = now + Math.random() * PLAYHEAD_MS;
  }

  private get stats(): PlayerStats {
    return this.env.stats;
  }

  private url(path: string, relativeTo?: URL): URL {
    return new URL(path, relativeTo ?? this.env.base);
  }

  private error(kind: string): void {
    if (this.stats.inWindow) this.stats.httpErrors[kind] = (this.stats.httpErrors[kind] ?? 0) + 1;
  }

  /** Creates the first session, connects the socket and starts playing. */
  async start(): Promise<void> {
    this.stage = 'session';
    await this.newSession();
    this.stage = 'socket';
    await this.connectSocket();
    this.stage = 'up';
    this.play();
  }

  /** A socket for the current session (handshake auth), replacing the previous one. */
  private async connectSocket(): Promise<void> {
    const s = this.session;
    if (!s) throw new Error('no session');
    // Closing the previous session's socket is not a disconnect the run should count.
    this.socket?.removeAllListeners();
    this.socket?.close();
    // Behind a proxy that pins sessions by a path prefix (docs/operations.md, `/r/<node>/…`), the
    // socket goes through the same prefix as the session's URLs.
    const prefix = s.media.pathname.slice(0, s.media.pathname.indexOf('/sessions/'));
    const socket = connect(this.env.base.origin, {
      path: `${prefix}/socket.io`,
      transports: ['websocket'],
      auth: { sessionId: s.id, token: s.token },
      reconnection: true,
      forceNew: true,
    });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    socket.on('disconnect', () => {
      if (this.stats.inWindow) this.stats.disconnects++;
    });
    socket.on('decision', (d: { msn: number }) => {
      if (this.stats.inWindow) this.stats.decisions++;
      this.publishedAt.set(d.msn, performance.now());
    });
  }

  private async newSession(): Promise<void> {
    this.createdAt = performance.now();
    const res = await httpRequest(this.env.agent, this.url('/api/sessions'), 'POST', '{}');
    if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status}`);
    if (this.stats.inWindow) this.stats.sessionsCreated++;
    const body = JSON.parse(res.body.toString()) as {
      id: string;
      token: string;
      masterUrl: string;
    };
    const masterUrl = this.url(new URL(body.masterUrl).pathname + new URL(body.masterUrl).search);
    this.stage = 'master';
    const master = await httpRequest(this.env.agent, masterUrl);
    if (master.status !== 200) throw new Error(`master playlist: ${master.status}`);
    const text = master.body.toString();
    const media = /^(?!#)(.*playlist\.m3u8.*)$/m.exec(text)?.[1];
    const subs = /TYPE=SUBTITLES[^\n]*URI="([^"]+)"/.exec(text)?.[1];
    if (!media) throw new Error('master playlist without a media playlist');
    this.session = {
      id: body.id,
      token: body.token,
      media: this.url(media, masterUrl),
      subtitles: subs ? this.url(subs, masterUrl) : null,
    };
    this.generation++;
    this.segStart = new Map();
    this.uriOf = new Map();
    this.fetchQueue = [];
    this.queuedThrough = -1;
    this.lastMsn = -1;
    this.filmEnded = false;
    this.filmEnd = Infinity;
    this.bufferedEnd = 0;
    this.firstStart = null;
    this.playStartWall = null;
    this.playStartPos = 0;
    this.stalledAt = null;
    this.pausedMs = 0;
    this.publishedAt = new Map();
    this.vttFetched = new Set();
  }

  private play(): void {
    const gen = this.generation;
    void this.playlistLoop(gen).catch(() => this.error('playlist'));
    if (this.session?.subtitles) void this.subtitleLoop(gen).catch(() => this.error('subtitle'));
  }

  private live(gen: number): boolean {
    return !this.stopped && gen === this.generation;
  }

  private async playlistLoop(gen: number): Promise<void> {
    let first = true;
    while (this.live(gen) && !this.filmEnded) {
      const s = this.session;
      if (!s) return;
      const want = this.lastMsn + 1;
      const url = new URL(s.media);
      if (!first) url.searchParams.set('_HLS_msn', String(want));
      const sent = performance.now();
      const knownBefore = this.publishedAt.has(want) || first;
      let res: Got;
      try {
        res = await httpRequest(this.env.agent, url);
      } catch {
        this.error('playlist');
        await sleepMs(1000);
        continue;
      }
      const now = performance.now();
      if (!this.live(gen)) return;
      if (res.status === 503) {
        if (this.stats.inWindow) this.stats.playlist503++;
        await sleepMs(1000);
        continue;
      }
      if (res.status !== 200) {
        this.error(`playlist ${res.status}`);
        await sleepMs(1000);
        continue;
      }
      if (this.stats.inWindow) {
        if (knownBefore) this.stats.playlistImmediate.record(now - sent);
        else {
          // Beyond the hold: from the later of sending and the segment's publication (its
          // decision event) to the answer. A decision event that has not arrived yet means the
          // answer beat it: 0.
          const published = this.publishedAt.get(want);
          this.stats.playlistBeyondHold.record(
            published === undefined ? 0 : now - Math.max(sent, published),
          );
        }
      }
      first = false;
      this.onPlaylist(parseMediaPlaylist(res.body.toString()), s.media);
    }
  }

  private onPlaylist(pl: ParsedPlaylist, base: URL): void {
    let start = 0;
    for (const seg of pl.segments) {
      // A media sequence number names one segment forever (RFC 8216 §6.2.1), across a failover too.
      const seen = this.uriOf.get(seg.msn);
      if (seen === undefined) this.uriOf.set(seg.msn, seg.uri);
      else if (seen !== seg.uri) this.stats.sequenceBreaks++;
      this.segStart.set(seg.msn, start);
      if (seg.msn > this.lastMsn) this.lastMsn = seg.msn;
      start += seg.duration;
    }
    if (pl.ended) {
      this.filmEnded = true;
      this.filmEnd = start;
    }
    if (this.firstStart === null) {
      // hls.js with liveSyncDurationCount: 1 starts one target duration before the live edge.
      const edge = pl.segments.at(-1);
      if (!edge) return;
      this.firstStart = this.segStart.get(edge.msn) ?? 0;
      this.queuedThrough = edge.msn - 1;
      this.bufferedEnd = this.firstStart;
    }
    for (const seg of pl.segments) {
      if (seg.msn <= this.queuedThrough) continue;
      this.queuedThrough = seg.msn;
      this.fetchQueue.push({
        msn: seg.msn,
        uri: new URL(seg.uri, base).href,
        start: this.segStart.get(seg.msn) ?? 0,
        duration: seg.duration,
      });
    }
    if (!this.fetching) void this.fetchLoop(this.generation);
  }

  private async fetchLoop(gen: number): Promise<void> {
    this.fetching = true;
    try {
      for (let next = this.fetchQueue.shift(); next; next = this.fetchQueue.shift()) {
        const sent = performance.now();
        let res: Got | null = null;
        for (let attempt = 0; attempt < 3 && this.live(gen); attempt++) {
          try {
            res = await httpRequest(this.env.agent, new URL(next.uri));
            if (res.status === 200) break;
            this.error(`segment ${res.status}`);
          } catch {
            this.error('segment');
          }
          await sleepMs(200);
        }
        if (!this.live(gen)) return;
        const now = performance.now();
        if (this.stats.inWindow && res) {
          this.stats.segment.record(now - sent);
          this.stats.bytes += res.body.length;
        }
        // Played on time when in hand before the clock reaches its start (or before playback).
        if (this.stats.inWindow) {
          this.stats.segmentsPlayed++;
          const early =
            this.playStartWall === null ||
            (this.stalledAt === null && this.position(now) <= next.start);
          if (early) this.stats.segmentsOnTime++;
        }
        this.bufferedEnd = next.start + next.duration;
        if (this.playStartWall === null) {
          this.playStartWall = now;
          this.playStartPos = next.start;
          if (this.stats.inWindow) this.stats.startup.record(now - this.createdAt);
        }
      }
    } finally {
      this.fetching = false;
    }
  }

  private async subtitleLoop(gen: number): Promise<void> {
    let etag: string | undefined;
    while (this.live(gen) && !this.filmEnded) {
      const s = this.session;
      if (!s?.subtitles) return;
      const sent = performance.now();
      try {
        // A browser revalidates the `no-cache` playlist with its ETag: 304 = nothing new.
        const res = await httpRequest(this.env.agent, s.subtitles, 'GET', undefined, etag);
        if (res.status === 304) {
          // unchanged
        } else if (res.status !== 200) this.error(`subtitle playlist ${res.status}`);
        else {
          etag = res.etag;
          const pl = parseMediaPlaylist(res.body.toString());
          for (const seg of pl.segments) {
            const startAt = this.segStart.get(seg.msn);
            // Only the cues from where playback started (hls.js loads around the playhead).
            if (this.firstStart === null || startAt === undefined || startAt < this.firstStart)
              continue;
            if (this.vttFetched.has(seg.uri)) continue;
            this.vttFetched.add(seg.uri);
            const t0 = performance.now();
            const vtt = await httpRequest(this.env.agent, new URL(seg.uri, s.subtitles));
            if (vtt.status !== 200) this.error(`subtitle ${vtt.status}`);
            else if (this.stats.inWindow) {
              this.stats.subtitle.record(performance.now() - t0);
              this.stats.bytes += vtt.body.length;
            }
          }
        }
      } catch {
        this.error('subtitle');
      }
      await sleepMs(Math.max(0, 1000 - (performance.now() - sent)));
    }
  }

  /** Media position now (s), or null before playback started. */
  private position(now: number): number {
    if (this.playStartWall === null) return this.firstStart ?? 0;
    const until = this.stalledAt ?? now;
    return this.playStartPos + (until - this.playStartWall - this.pausedMs) / 1000;
  }

  /** Called by the load process's ticker (every few ms): clock, stalls, samples, playheads. */
  tick(now: number): void {
    if (this.stopped || !this.socket) return;
    if (this.playStartWall !== null) {
      const pos = this.position(now);
      if (this.stalledAt === null && pos >= this.bufferedEnd && pos < this.filmEnd - 1e-6) {
        this.stalledAt = now;
        if (this.stats.inWindow) this.stats.stalls++;
        this.report(now, true);
      } else if (this.stalledAt !== null && this.bufferedEnd > pos) {
        const stalledMs = now - this.stalledAt;
        this.pausedMs += stalledMs;
        this.stalledAt = null;
        if (this.stats.inWindow) this.stats.stallMs += stalledMs;
      }
      if (this.filmEnded && pos >= this.filmEnd - 1e-6 && !this.recycling) this.recycle();
    }
    if (now >= this.nextSampleAt) {
      this.nextSampleAt += 1000 / this.env.rate;
      if (this.nextSampleAt < now) this.nextSampleAt = now + 1000 / this.env.rate;
      this.sendSample();
    }
    if (now >= this.nextPlayheadAt) {
      this.nextPlayheadAt += PLAYHEAD_MS;
      if (this.nextPlayheadAt < now) this.nextPlayheadAt = now + PLAYHEAD_MS;
      this.report(now, false);
    }
  }

  private report(now: number, stalled: boolean): void {
    if (this.playStartWall === null) return;
    const pos = this.position(now);
    this.socket?.emit('playhead', {
      position: pos,
      buffered: Math.max(0, this.bufferedEnd - pos),
      paused: false,
      stalled,
    });
  }

  private sendSample(): void {
    const socket = this.socket;
    if (!socket || this.recycling) return;
    this.rr = Math.min(1100, Math.max(600, this.rr + (Math.random() - 0.5) * 30));
    const rr = Math.round(this.rr);
    const counted = this.stats.inWindow;
    const t0 = performance.now();
    if (counted) {
      this.stats.samplesSent++;
      this.stats.samplesInFlight++;
    }
    socket.emit(
      'sample',
      { bpm: Math.round(60_000 / rr), rr: [rr], contact: true },
      (res?: { ok: boolean }) => {
        if (!counted) return;
        this.stats.samplesInFlight--;
        if (res?.ok) {
          this.stats.samplesAcked++;
          this.stats.sampleAck.record(performance.now() - t0);
        } else this.stats.samplesRefused++;
      },
    );
  }

  /**
   * The film ended: the viewer starts another (a new session and its own socket, as a reloaded
   * player page would; behind a pinning proxy the new session may live on another process).
   */
  private recycle(): void {
    this.recycling = true;
    this.newSession()
      .then(() => this.connectSocket())
      .then(() => {
        this.recycling = false;
        this.play();
      })
      .catch(() => {
        // Counted, then tried again in a second: a viewer never silently drops out of the load.
        this.error('recycle');
        if (!this.stopped) setTimeout(() => this.recycle(), 1000);
      });
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
