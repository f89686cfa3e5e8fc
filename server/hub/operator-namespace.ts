/**
 * `/operators`: the venue operator's dashboard. The handshake carries the operator key
 * (`auth: { showId, key }`, FRISSON_OPERATOR_KEY). Receives the show's audience state, decisions,
 * votes and status; sends the controls: force the next scene, pause/resume, intensity cap, end.
 * Every control payload is validated with zod and acknowledged with `{ ok }` or a coded error.
 */
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import type { OperatorKey } from '../auth/operator-key.js';
import { toWireError } from '../errors.js';
import type { Show } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { connectError, invalidPayload, rateLimited, safeAck, type AckReply } from './hub-edge.js';
import {
  EmptySchema,
  ForceSceneSchema,
  IntensityCapSchema,
  NAMESPACES,
  OperatorAuthSchema,
  type OperatorClientEvents,
  type OperatorServerEvents,
  type ShowSocketData,
} from './namespaces.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { TokenBucket, type TokenBucketOptions } from './rate-limiter.js';

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
  clock?: () => number;
}

export class OperatorNamespace {
  readonly nsp: Namespace<
    OperatorClientEvents,
    OperatorServerEvents,
    Record<string, never>,
    ShowSocketData
  >;
  private readonly shows: ShowManager;
  private readonly key: OperatorKey;
  private readonly rate: TokenBucketOptions;
  private readonly clock: () => number;
  private readonly observer: HubObserver | undefined;

  constructor(opts: OperatorNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.operators) as OperatorNamespace['nsp'];
    this.shows = opts.shows;
    this.key = opts.operatorKey;
    this.rate = opts.rate;
    this.clock = opts.clock ?? Date.now;
    this.observer = opts.observer;
    this.registerListeners();
  }

  private registerListeners(): void {
    this.nsp.use((socket, next) => {
      const parsed = OperatorAuthSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) return next(connectError(null));
      try {
        this.key.check(parsed.data.key);
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
    // The audience update is volatile: a slow dashboard skips frames rather than queueing them.
    show.on('audience', (a) => this.nsp.to(room).volatile.emit('audience', a));
    show.on('decision', (d) => this.nsp.to(room).emit('decision', d));
    show.on('vote', (v) => this.nsp.to(room).emit('vote', v));
    show.on('status', (s) => this.nsp.to(room).emit('status', s));
    show.on('ended', (ending) => this.nsp.to(room).emit('ended', { showId: show.id, ending }));
  }

  private onConnection(socket: OperatorSocket): void {
    const showId = socket.data.showId;
    if (!showId) return void socket.disconnect(true);
    void socket.join(`show:${showId}`);
    const bucket = new TokenBucket(this.rate);

    const control = <S extends z.ZodType>(
      event: string,
      schema: S,
      act: (show: Show, data: z.infer<S>) => unknown,
    ) => {
      return (payload: unknown, ack?: unknown): void => {
        const reply: AckReply = safeAck(ack);
        this.observer?.event('/operators', event);
        if (!bucket.take(this.clock())) {
          this.observer?.rateLimited('/operators');
          return reply({ ok: false, error: rateLimited() });
        }
        const parsed = schema.safeParse(payload ?? {});
        if (!parsed.success) {
          return reply({ ok: false, error: invalidPayload(payload, parsed.error) });
        }
        try {
          const extra = act(this.shows.require(showId), parsed.data);
          reply({ ok: true, ...(extra && typeof extra === 'object' ? extra : {}) });
        } catch (err) {
          reply({ ok: false, error: toWireError(err) });
        }
      };
    };

    socket.on(
      'snapshot',
      control('snapshot', EmptySchema, (show) => ({ snapshot: show.snapshot(this.clock()) })),
    );
    socket.on(
      'force',
      control('force', ForceSceneSchema, (show, d) => show.forceScene(d.scene)),
    );
    socket.on(
      'pause',
      control('pause', EmptySchema, (show) => show.pause()),
    );
    socket.on(
      'resume',
      control('resume', EmptySchema, (show) => show.resume()),
    );
    socket.on(
      'cap',
      control('cap', IntensityCapSchema, (show, d) => show.setIntensityCap(d.maxIntensity)),
    );
    socket.on(
      'end',
      control('end', EmptySchema, (show) => show.end()),
    );
  }
}
