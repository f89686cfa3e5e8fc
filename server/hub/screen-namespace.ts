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
import { locateShow, type RemoteShows, type ShowCluster } from '../cluster/show-locator.js';
import { FrissonError } from '../../contracts/errors.js';
import { PlayheadSchema } from '../../contracts/wire.js';
import type { Show, ShowEvents } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { checkExpiry, showHandshake } from './hub-edge.js';
import { listenAll, type HubController } from './hub-controller.js';
import { ShowRooms } from './show-rooms.js';
import { edgeEvent, InboundEdge } from './inbound-edge.js';
import {
  NAMESPACES,
  ScreenAuthSchema,
  type ScreenClientEvents,
  type ScreenServerEvents,
  type ShowSocketData,
  type VoteState,
} from '../../contracts/wire.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { KeyedTokenBuckets, type TokenBucketOptions } from './rate-limiter.js';

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
  /** Token bucket per show (all its screens share it). */
  rate: TokenBucketOptions;
  observer?: HubObserver;
  /** Told when a socket authenticates (admission.ts). */
  onAuthenticated?: (socket: Socket) => void;
  /** Cluster mode: routes screens of shows served by another process (show-locator.ts). */
  cluster?: ShowCluster;
  clock?: () => number;
}

/** Who a screen event comes from: a socket here, or a relay from another process. */
interface ScreenCtx {
  showId: string;
  relayed: boolean;
  /** The socket (absent for a relay): its token's expiry is checked on every event. */
  socket?: ScreenSocket;
}

export class ScreenNamespace implements HubController {
  readonly namespace = NAMESPACES.screens;
  readonly nsp: Namespace<
    ScreenClientEvents,
    ScreenServerEvents,
    Record<string, never>,
    ShowSocketData
  >;
  private readonly shows: ShowManager;
  private readonly access: TokenAccess;
  private readonly clock: () => number;
  private readonly remote: RemoteShows | undefined;
  private readonly onAuthenticated: ((socket: Socket) => void) | undefined;
  private readonly edge: InboundEdge<ScreenCtx>;
  private readonly rooms: ShowRooms<ScreenSocket>;

  constructor(opts: ScreenNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.screens) as ScreenNamespace['nsp'];
    this.shows = opts.shows;
    this.access = opts.access;
    this.onAuthenticated = opts.onAuthenticated;
    this.clock = opts.clock ?? Date.now;
    const observer = opts.observer;
    this.edge = new InboundEdge<ScreenCtx>({
      namespace: NAMESPACES.screens,
      limits: new KeyedTokenBuckets(opts.rate),
      clock: this.clock,
      ...(observer ? { observer } : {}),
      guard: (ctx) => checkExpiry(ctx.socket?.data.expiresAt, this.clock()),
      onRefused: (ctx, error) => {
        if (error.code === 'FRISSON_ERR_TOKEN_EXPIRED') ctx.socket?.disconnect();
      },
      events: {
        playhead: edgeEvent({
          schema: PlayheadSchema,
          handle: (ctx, d) => {
            const show = this.shows.get(ctx.showId);
            if (show) {
              const screen = show.screenSession;
              if (!screen) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
              if (d.stalled) observer?.stall();
              screen.onPlayhead(d, this.clock());
              return { ok: true };
            }
            if (ctx.relayed || !this.remote) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
            return this.remote.relay(ctx.showId, 'playhead', d);
          },
        }),
      },
    });
    this.remote = opts.cluster?.bind(this.nsp, (showId, event, payload) => {
      const show = this.shows.get(showId);
      if (!show) return null;
      // `vote` (internal: relayed on connect) answers the current vote window.
      if (event === 'vote') return { ok: true, vote: show.currentVote(this.clock()) };
      return this.edge.run(event, payload, { showId, relayed: true });
    });
    this.rooms = new ShowRooms<ScreenSocket>({
      nsp: this.nsp,
      shows: this.shows,
      handshake: showHandshake(
        ScreenAuthSchema,
        ({ showId, token }) => this.access.forShow(token, showId).exp * 1000,
        (showId) => locateShow(this.shows, this.remote, showId),
      ),
      onConnection: (socket) => this.onConnection(socket),
      watchShow: (show) => this.watchShow(show),
    });
    this.registerListeners();
  }

  registerListeners(): void {
    this.rooms.register();
  }

  unregisterListeners(): void {
    this.rooms.unregister();
  }

  destroy(): void {
    this.rooms.destroy();
  }

  private watchShow(show: Show): () => void {
    const room = `show:${show.id}`;
    return listenAll<ShowEvents>(show, {
      vote: (v) => this.nsp.to(room).emit('vote', v),
      control: (c) => this.nsp.to(room).emit('control', c),
      decision: (d) => this.nsp.to(room).emit('decision', d),
      ended: (ending) => this.nsp.to(room).emit('ended', { showId: show.id, ending }),
    });
  }

  private onConnection(socket: ScreenSocket): void {
    const showId = socket.data.showId;
    if (!showId) return void socket.disconnect(true);
    void socket.join(`show:${showId}`);
    this.onAuthenticated?.(socket);
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
    this.edge.bind(
      socket,
      () => ({ showId, relayed: false, socket }),
      () => `screen:${showId}`,
    );
  }
}
