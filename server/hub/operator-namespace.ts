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
import type { z } from 'zod';
import type { OperatorKey } from '../auth/operator-key.js';
import {
  locateShow,
  type AckResult,
  type RemoteShows,
  type ShowCluster,
} from '../cluster/show-locator.js';
import { FrissonError, toWireError } from '../../contracts/errors.js';
import type { Show } from '../show/show.js';
import type { ShowManager } from '../show/show-manager.js';
import { invalidPayload, rateLimited, safeAck, showHandshake, type AckReply } from './hub-edge.js';
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
  /** Cluster mode: routes commands for shows served by another process (show-locator.ts). */
  cluster?: ShowCluster;
  clock?: () => number;
}

interface Command {
  schema: z.ZodType;
  run(show: Show, payload: unknown): AckResult;
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
  private readonly remote: RemoteShows | undefined;
  private readonly commands: Record<string, Command>;

  constructor(opts: OperatorNamespaceOptions) {
    this.nsp = opts.io.of(NAMESPACES.operators) as OperatorNamespace['nsp'];
    this.shows = opts.shows;
    this.key = opts.operatorKey;
    this.rate = opts.rate;
    this.clock = opts.clock ?? Date.now;
    this.observer = opts.observer;
    this.commands = this.buildCommands();
    this.remote = opts.cluster?.bind(this.nsp, (showId, event, payload) =>
      this.apply(showId, event, payload),
    );
    this.registerListeners();
  }

  private buildCommands(): Record<string, Command> {
    const command = <S extends z.ZodType>(
      schema: S,
      act: (show: Show, data: z.infer<S>) => unknown,
    ): Command => ({
      schema,
      run: (show, payload) => {
        const parsed = schema.safeParse(payload ?? {});
        if (!parsed.success) return { ok: false, error: invalidPayload(payload, parsed.error) };
        try {
          const extra = act(show, parsed.data);
          return { ok: true, ...(extra && typeof extra === 'object' ? extra : {}) };
        } catch (err) {
          return { ok: false, error: toWireError(err) };
        }
      },
    });
    return {
      snapshot: command(EmptySchema, (show) => ({ snapshot: show.snapshot(this.clock()) })),
      force: command(ForceSceneSchema, (show, d) => show.forceScene(d.scene)),
      pause: command(EmptySchema, (show) => show.pause()),
      resume: command(EmptySchema, (show) => show.resume()),
      cap: command(IntensityCapSchema, (show, d) => show.setIntensityCap(d.maxIntensity)),
      end: command(EmptySchema, (show) => show.end()),
    };
  }

  /** Runs a control on a show of this process (also for relayed ones); null when not here. */
  private apply(showId: string, event: string, payload: unknown): AckResult | null {
    const show = this.shows.get(showId);
    if (!show) return null;
    const cmd = Object.hasOwn(this.commands, event) ? this.commands[event] : undefined;
    if (!cmd) return { ok: false, error: new FrissonError('FRISSON_ERR_NOT_FOUND').toWire() };
    return cmd.run(show, payload);
  }

  private registerListeners(): void {
    this.nsp.use(
      showHandshake(
        OperatorAuthSchema,
        ({ key }) => this.key.check(key),
        (showId) => locateShow(this.shows, this.remote, showId),
      ),
    );
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

    const control = (event: string) => {
      return (payload: unknown, ack?: unknown): void => {
        const reply: AckReply = safeAck(ack);
        this.observer?.event('/operators', event);
        if (!bucket.take(this.clock())) {
          this.observer?.rateLimited('/operators');
          return reply({ ok: false, error: rateLimited() });
        }
        const local = this.apply(showId, event, payload);
        if (local) return reply(local);
        if (!this.remote) {
          return reply({
            ok: false,
            error: new FrissonError('FRISSON_ERR_SHOW_NOT_FOUND').toWire(),
          });
        }
        // Served by another process: validate here (the edge), then the owner answers.
        const parsed = this.commands[event]?.schema.safeParse(payload ?? {});
        if (parsed && !parsed.success) {
          return reply({ ok: false, error: invalidPayload(payload, parsed.error) });
        }
        void this.remote
          .relay(showId, event, parsed?.data ?? {})
          .then(reply, (err: unknown) => reply({ ok: false, error: toWireError(err) }));
      };
    };

    socket.on('snapshot', control('snapshot'));
    socket.on('force', control('force'));
    socket.on('pause', control('pause'));
    socket.on('resume', control('resume'));
    socket.on('cap', control('cap'));
    socket.on('end', control('end'));
  }
}
