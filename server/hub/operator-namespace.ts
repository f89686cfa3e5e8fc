/**
 * `/operators`: the venue operator's dashboard. The handshake carries the operator key
 * (`auth: { showId, key }`, FRISSON_OPERATOR_KEY). Receives the show's audience state, decisions,
 * votes and status; sends the controls: force the next scene, pause/resume, intensity cap, end.
 * Every control payload is validated with zod and acknowledged with `{ ok }` or a coded error.
 *
 * Cluster mode (`cluster`, server/cluster/show-locator.ts): an operator may connect to any hub
 * process. For a show served by another process the socket joins the show's room here (the Redis
 * adapter delivers the owner's emits) and each control, once rate-limited and validated at this
 * edge, is relayed to the owner and acknowledged with the owner's answer.
 */
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import type { OperatorKey } from '../auth/operator-key.js';
import { locateShow, type RemoteShows, type ShowCluster } from '../cluster/show-locator.js';
import { FrissonError } from '../../contracts/errors.js';
import type { Show, ShowEvents } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { showHandshake } from './hub-edge.js';
import { listenAll, type HubController } from './hub-controller.js';
import { ShowRooms } from './show-rooms.js';
import { edgeEvent, InboundEdge } from './inbound-edge.js';
import {
  EmptySchema,
  ForceSceneSchema,
  IntensityCapSchema,
  NAMESPACES,
  OperatorAuthSchema,
  type OperatorClientEvents,
  type OperatorServerEvents,
  type ShowSocketData,
} from '../../contracts/wire.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { KeyedTokenBuckets, type TokenBucketOptions } from './rate-limiter.js';

type OperatorSocket = Socket<
  OperatorClientEvents,
  OperatorServerEvents,
  Record<string, never>,
  ShowSocketData
>;

export interface OperatorNamespaceOptions {
  /** The socket.io server (any event maps: each namespace has its own). */
  io: { of(name: string): unknown };
  shows: ShowManager;
  operatorKey: OperatorKey;
  rate: TokenBucketOptions;
  observer?: HubObserver;
  /** Cluster mode: routes commands for shows served by another process (show-locator.ts). */
  cluster?: ShowCluster;
  /** Told when a socket authenticates (admission.ts). */
  onAuthenticated?: (socket: Socket) => void;
  clock?: () => number;
}

/** Who a control comes from: an operator socket here, or a relay from another process. */
interface OperatorCtx {
  showId: string;
  relayed: boolean;
}

/** A control's payload may be omitted (`{}`). */
const orEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? {}, schema);

export class OperatorNamespace implements HubController {
  readonly namespace = NAMESPACES.operators;
  readonly nsp: Namespace<
    OperatorClientEvents,
    OperatorServerEvents,
    Record<string, never>,
    ShowSocketData
  >;
  private readonly shows: ShowManager;
  private readonly key: OperatorKey;
  private readonly clock: () => number;
  private readonly remote: RemoteShows | undefined;
  private readonly onAuthenticated: ((socket: Socket) => void) | undefined;
  private readonly edge: InboundEdge<OperatorCtx>;
  private readonly rooms: ShowRooms<OperatorSocket>;

  constructor(opts: OperatorNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.operators) as OperatorNamespace['nsp'];
    this.shows = opts.shows;
    this.key = opts.operatorKey;
    this.onAuthenticated = opts.onAuthenticated;
    this.clock = opts.clock ?? Date.now;
    const observer = opts.observer;
    const control = <S extends z.ZodType>(
      event: string,
      schema: S,
      act: (show: Show, data: z.infer<S>) => unknown,
    ) =>
      edgeEvent<OperatorCtx, z.infer<S>>({
        schema: orEmpty(schema),
        handle: (ctx, data) => {
          const show = this.shows.get(ctx.showId);
          if (show) {
            const extra = act(show, data);
            return { ok: true, ...(extra && typeof extra === 'object' ? extra : {}) };
          }
          if (ctx.relayed || !this.remote) throw new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND');
          // Served by another process: validated here (the edge), the owner's edge answers.
          return this.remote.relay(ctx.showId, event, data);
        },
      });
    this.edge = new InboundEdge<OperatorCtx>({
      namespace: NAMESPACES.operators,
      limits: new KeyedTokenBuckets(opts.rate),
      clock: this.clock,
      ...(observer ? { observer } : {}),
      events: {
        snapshot: control('snapshot', EmptySchema, (show) => ({
          snapshot: show.snapshot(this.clock()),
        })),
        force: control('force', ForceSceneSchema, (show, d) => show.forceScene(d.scene)),
        pause: control('pause', EmptySchema, (show) => show.pause()),
        resume: control('resume', EmptySchema, (show) => show.resume()),
        cap: control('cap', IntensityCapSchema, (show, d) => show.setIntensityCap(d.maxIntensity)),
        end: control('end', EmptySchema, (show) => show.end()),
      },
    });
    this.remote = opts.cluster?.bind(this.nsp, (showId, event, payload) =>
      this.shows.get(showId) ? this.edge.run(event, payload, { showId, relayed: true }) : null,
    );
    this.rooms = new ShowRooms<OperatorSocket>({
      nsp: this.nsp,
      shows: this.shows,
      handshake: showHandshake(
        OperatorAuthSchema,
        ({ key }, address) => this.key.check(key, address),
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
      // The audience update is volatile: a slow dashboard skips frames rather than queueing them.
      audience: (a) => this.nsp.to(room).volatile.emit('audience', a),
      decision: (d) => this.nsp.to(room).emit('decision', d),
      vote: (v) => this.nsp.to(room).emit('vote', v),
      status: (st) => this.nsp.to(room).emit('status', st),
      ended: (ending) => this.nsp.to(room).emit('ended', { showId: show.id, ending }),
    });
  }

  private onConnection(socket: OperatorSocket): void {
    const showId = socket.data.showId;
    if (!showId) return void socket.disconnect(true);
    void socket.join(`show:${showId}`);
    this.onAuthenticated?.(socket);
    this.edge.bind(
      socket,
      () => ({ showId, relayed: false }),
      () => `operators:${showId}`,
    );
  }
}
