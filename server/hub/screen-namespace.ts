/**
 * `/screens`: a show's screen (the venue's player). Authenticates with the show token in the
 * handshake (`auth: { showId, token }`), reports its playhead like a home player does, and receives
 * vote windows (for the on-screen countdown), operator controls (pause/resume/end) and decisions.
 */
import type { Namespace, Socket } from 'socket.io';
import type { TokenAccess } from '../auth/token-access.js';
import { FrissonError, toWireError } from '../errors.js';
import { PlayheadSchema } from '../protocol.js';
import type { Show } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { connectError, invalidPayload, rateLimited, safeAck } from './hub-edge.js';
import {
  NAMESPACES,
  ScreenAuthSchema,
  type ScreenClientEvents,
  type ScreenServerEvents,
  type ShowSocketData,
} from './namespaces.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { TokenBucket, type TokenBucketOptions } from './rate-limiter.js';

type ScreenSocket = Socket<
  ScreenClientEvents,
  ScreenServerEvents,
  Record<string, never>,
  ShowSocketData
>;

export interface ScreenNamespaceOptions {
  /** The socket.io server (any event maps: each namespace has its own). */
  io: { of(name: string): unknown };
  shows: ShowManager;
  access: TokenAccess;
  rate: TokenBucketOptions;
  observer?: HubObserver;
  clock?: () => number;
}

export class ScreenNamespace {
  readonly nsp: Namespace<
    ScreenClientEvents,
    ScreenServerEvents,
    Record<string, never>,
    ShowSocketData
  >;
  private readonly shows: ShowManager;
  private readonly access: TokenAccess;
  private readonly rate: TokenBucketOptions;
  private readonly clock: () => number;
  private readonly observer: HubObserver | undefined;

  constructor(opts: ScreenNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.screens) as ScreenNamespace['nsp'];
    this.shows = opts.shows;
    this.access = opts.access;
    this.rate = opts.rate;
    this.clock = opts.clock ?? Date.now;
    this.observer = opts.observer;
    this.registerListeners();
  }

  private registerListeners(): void {
    this.nsp.use((socket, next) => {
      const parsed = ScreenAuthSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) return next(connectError(null));
      try {
        this.access.forShow(parsed.data.token, parsed.data.showId);
        this.shows.require(parsed.data.showId);
        socket.data.showId = parsed.data.showId;
        next();
      } catch (err) {
        next(connectError(err));
      }
    });
    this.nsp.on('connection', (socket) => this.onConnection(socket));
    this.shows.on('created', (show) => this.watchShow(show));
    for (const show of this.shows.list()) this.watchShow(show);
  }

  private watchShow(show: Show): void {
    const room = `show:${show.id}`;
    show.on('vote', (v) => this.nsp.to(room).emit('vote', v));
    show.on('control', (c) => this.nsp.to(room).emit('control', c));
    show.on('decision', (d) => this.nsp.to(room).emit('decision', d));
    show.on('ended', (ending) => this.nsp.to(room).emit('ended', { showId: show.id, ending }));
  }

  private onConnection(socket: ScreenSocket): void {
    const showId = socket.data.showId;
    if (!showId) return void socket.disconnect(true);
    void socket.join(`show:${showId}`);
    const bucket = new TokenBucket(this.rate);
    const vote = this.shows.get(showId)?.currentVote();
    if (vote) socket.emit('vote', vote);

    socket.on('playhead', (payload, ack) => {
      const reply = safeAck(ack);
      this.observer?.event('/screens', 'playhead');
      if (!bucket.take(this.clock())) {
        this.observer?.rateLimited('/screens');
        return reply({ ok: false, error: rateLimited() });
      }
      const parsed = PlayheadSchema.safeParse(payload);
      if (!parsed.success)
        return reply({ ok: false, error: invalidPayload(payload, parsed.error) });
      try {
        const screen = this.shows.require(showId).screenSession;
        if (!screen) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
        if (parsed.data.stalled) this.observer?.stall();
        screen.onPlayhead(parsed.data, this.clock());
        reply({ ok: true });
      } catch (err) {
        reply({ ok: false, error: toWireError(err) });
      }
    });
  }
}
