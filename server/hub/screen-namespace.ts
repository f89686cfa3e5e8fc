/**
 * `/screens`: a show's screen (the venue's player). Authenticates with the show token in the
 * handshake (`auth: { showId, token }`), reports its playhead like a home player does, and receives
 * vote windows (for the on-screen countdown), operator controls (pause/resume/end) and decisions.
 *
 * Cluster mode (`cluster`, server/cluster/show-locator.ts): a screen may connect to any hub process.
 * For a show served by another process the socket joins the show's room here (the Redis adapter
 * delivers the owner's emits), and its `playhead`, validated at this edge, is relayed to the owner
 * and acknowledged with the owner's answer.
 */
import type { Namespace, Socket } from 'socket.io';
import type { TokenAccess } from '../auth/token-access.js';
import {
  locateShow,
  type AckResult,
  type RemoteShows,
  type ShowCluster,
} from '../cluster/show-locator.js';
import { FrissonError, toWireError } from '../../contracts/errors.js';
import { PlayheadSchema } from '../../contracts/wire.js';
import type { Show } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { invalidPayload, rateLimited, safeAck, showHandshake } from './hub-edge.js';
import {
  NAMESPACES,
  ScreenAuthSchema,
  type ScreenClientEvents,
  type ScreenServerEvents,
  type ShowSocketData,
  type VoteState,
} from '../../contracts/wire.js';
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
  /** Cluster mode: routes screens of shows served by another process (show-locator.ts). */
  cluster?: ShowCluster;
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
  private readonly remote: RemoteShows | undefined;

  constructor(opts: ScreenNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.screens) as ScreenNamespace['nsp'];
    this.shows = opts.shows;
    this.access = opts.access;
    this.rate = opts.rate;
    this.clock = opts.clock ?? Date.now;
    this.observer = opts.observer;
    this.remote = opts.cluster?.bind(this.nsp, (showId, event, payload) =>
      this.apply(showId, event, payload),
    );
    this.registerListeners();
  }

  /**
   * Runs a screen event on a show of this process (also a relayed one); null when not here.
   * `vote` (internal: relayed on connect) answers the current vote window.
   */
  private apply(showId: string, event: string, payload: unknown): AckResult | null {
    const show = this.shows.get(showId);
    if (!show) return null;
    if (event === 'vote') return { ok: true, vote: show.currentVote(this.clock()) };
    if (event !== 'playhead') {
      return { ok: false, error: new FrissonError('FRISSON_ERR_NOT_FOUND').toWire() };
    }
    const parsed = PlayheadSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, error: invalidPayload(payload, parsed.error) };
    try {
      const screen = show.screenSession;
      if (!screen) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
      if (parsed.data.stalled) this.observer?.stall();
      screen.onPlayhead(parsed.data, this.clock());
      return { ok: true };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  }

  private registerListeners(): void {
    this.nsp.use(
      showHandshake(
        ScreenAuthSchema,
        ({ showId, token }) => void this.access.forShow(token, showId),
        (showId) => locateShow(this.shows, this.remote, showId),
      ),
    );
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
    const local = this.shows.get(showId);
    if (local) {
      const vote = local.currentVote();
      if (vote) socket.emit('vote', vote);
    } else {
      // Served elsewhere: ask the owner for the open vote window (the on-screen countdown).
      void this.remote?.relay(showId, 'vote', null).then((r) => {
        const vote = r.ok ? (r.vote as VoteState | null | undefined) : null;
        if (vote && socket.connected) socket.emit('vote', vote);
      });
    }

    socket.on('playhead', (payload, ack) => {
      const reply = safeAck(ack);
      this.observer?.event('/screens', 'playhead');
      if (!bucket.take(this.clock())) {
        this.observer?.rateLimited('/screens');
        return reply({ ok: false, error: rateLimited() });
      }
      const here = this.apply(showId, 'playhead', payload);
      if (here) return reply(here);
      const parsed = PlayheadSchema.safeParse(payload);
      if (!parsed.success)
        return reply({ ok: false, error: invalidPayload(payload, parsed.error) });
      if (!this.remote) {
        return reply({ ok: false, error: new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND').toWire() });
      }
      void this.remote
        .relay(showId, 'playhead', parsed.data)
        .then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
    });
  }
}
