/**
 * The viewer side of the socket.io hub (namespace `/`), a hub controller (hub-controller.ts).
 * Every inbound event passes the one edge (inbound-edge.ts: rate limit per session → zod →
 * limits → handler → coded ack); a bad payload gets `{ ok: false, error: { code, message } }` in
 * its acknowledgement and changes nothing. Handlers are synchronous and O(1) for local sessions,
 * so one misbehaving client cannot stall a show.
 *
 * Cluster mode (`cluster`, server/cluster/session-locator.ts): for a session another process
 * serves, `join` authorises here and an event that passed this edge is relayed to the owner, where
 * the same edge (`run`: schema, limits, handler) answers it.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import { FrissonError, type WireError } from '../../contracts/errors.js';
import { EDGE_LIMITS_MESSAGE, heartValuesInLimits } from '../../contracts/limits.js';
import {
  InputSchema,
  JoinSchema,
  PlayheadSchema,
  SampleSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../contracts/wire.js';
import type { RemoteSessions, SessionCluster } from '../cluster/session-locator.js';
import type { Session } from '../session/session.js';
import type { NarrationService, NarrationServiceEvents } from '../session/narration-service.js';
import type { SessionManager } from '../session/session-manager.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { closing, connectError } from './hub-edge.js';
import { ListenerSet, listenAll, type HubController } from './hub-controller.js';
import { edgeEvent, InboundEdge, type AckResult } from './inbound-edge.js';
import { KeyedTokenBuckets, type TokenBucketOptions } from './rate-limiter.js';

type ViewerSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type ViewerServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Who an event comes from: a local socket, or a relay from another process (cluster). */
interface ViewerCtx {
  sessionId: string | undefined;
  socket: ViewerSocket | null;
}

export interface ViewerHubOptions {
  io: ViewerServer;
  sessions: SessionManager;
  clock?: () => number;
  /** Token bucket per session; over the limit an event is acked FRISSON_ERR_RATE_LIMITED. */
  rate?: TokenBucketOptions;
  observer?: HubObserver;
  /** Cluster mode: sessions served by another process. */
  cluster?: SessionCluster;
  /** Narration lines to relay to their session's room (null: narration off). */
  narration?: NarrationService | null;
  /** Told when a socket authenticates (handshake token or `join`): admission.ts. */
  onAuthenticated?: (socket: Socket) => void;
  /** The expiry (ms since the epoch) of a token; null: it does not expire. Checked on every event. */
  tokenExpiry?: (token: string) => number | null;
}

const OUT_OF_RANGE = (): FrissonError =>
  new FrissonError('FRISSON_ERR_OUT_OF_RANGE', EDGE_LIMITS_MESSAGE);

export class ViewerHub implements HubController {
  readonly namespace = '/';
  private readonly nsp: Namespace<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >;
  private readonly io: ViewerServer;
  private readonly sessions: SessionManager;
  private readonly narration: NarrationService | null;
  private readonly clock: () => number;
  private readonly edge: InboundEdge<ViewerCtx>;
  private readonly remote: RemoteSessions | undefined;
  private readonly onAuthenticated: ((socket: Socket) => void) | undefined;
  private readonly tokenExpiry: ((token: string) => number | null) | undefined;
  /** Per socket: when its token expires (ms), and the timer that disconnects it then. */
  private readonly expiry = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** A handshake's token expiry, until its socket connects. */
  private readonly pendingExpiry = new WeakMap<ViewerSocket, number | null>();
  private readonly listeners = new ListenerSet();
  /** Per session: removes its relays (dropped when the session goes). */
  private readonly watched = new Map<string, () => void>();
  private listening = false;

  constructor(opts: ViewerHubOptions) {
    this.io = opts.io;
    this.nsp = opts.io.of('/');
    this.sessions = opts.sessions;
    this.narration = opts.narration ?? null;
    this.onAuthenticated = opts.onAuthenticated;
    this.tokenExpiry = opts.tokenExpiry;
    this.clock = opts.clock ?? Date.now;
    const observer = opts.observer;
    this.edge = new InboundEdge<ViewerCtx>({
      namespace: '/',
      limits: opts.rate ? new KeyedTokenBuckets(opts.rate) : null,
      // A token checked at the handshake or `join` is checked again on every event.
      guard: (ctx) => {
        const at = ctx.socket ? this.expiry.get(ctx.socket.id)?.at : undefined;
        if (at !== undefined && this.clock() >= at) {
          throw new FrissonError('FRISSON_ERR_TOKEN_EXPIRED', 'the token expired: join again');
        }
      },
      // Leaves this namespace only: the client may multiplex others (`/seats`…) on the connection.
      onRefused: (ctx, error) => {
        if (error.code === 'FRISSON_ERR_TOKEN_EXPIRED') ctx.socket?.disconnect();
      },
      clock: this.clock,
      ...(observer ? { observer } : {}),
      events: {
        join: edgeEvent({ schema: JoinSchema, handle: (ctx, d) => this.onJoin(ctx, d) }),
        sample: edgeEvent({
          schema: SampleSchema,
          limits: (d) => (heartValuesInLimits(d) ? null : OUT_OF_RANGE()),
          handle: (ctx, d) =>
            this.inSession(ctx, 'sample', d, (s) => {
              const now = this.clock();
              const res = s.onSample({ ...d, t: now });
              if (!res.ok) throw new FrissonError('FRISSON_ERR_OUT_OF_RANGE', res.message);
              s.emitStateThrottled(now);
            }),
        }),
        input: edgeEvent({
          schema: InputSchema,
          handle: (ctx, d) =>
            this.inSession(ctx, 'input', d, (s) => s.onInput(d.kind, this.clock())),
        }),
        playhead: edgeEvent({
          schema: PlayheadSchema,
          handle: (ctx, d) =>
            this.inSession(ctx, 'playhead', d, (s) => {
              if (d.stalled) observer?.stall();
              s.onPlayhead(d, this.clock());
            }),
        }),
      },
    });
    this.remote = opts.cluster?.bind((sessionId, event, payload) =>
      this.sessions.get(sessionId)
        ? this.edge.run(event, payload, { sessionId, socket: null })
        : null,
    );
    this.registerListeners();
  }

  registerListeners(): void {
    if (this.listening) return;
    this.listening = true;
    // socket.io has no way to remove a middleware: it refuses (coded) once unregistered.
    this.nsp.use((socket, next) =>
      this.listening ? this.onHandshake(socket, next) : next(closing()),
    );
    const onConnection = (socket: ViewerSocket): void => this.onConnection(socket);
    this.nsp.on('connection', onConnection);
    const onCreated = (s: Session): void => this.watchSession(s);
    const onRemoved = (id: string): void => {
      this.watched.get(id)?.();
      this.watched.delete(id);
    };
    this.sessions.on('created', onCreated);
    this.sessions.on('removed', onRemoved);
    this.listeners.add(() => {
      this.nsp.off('connection', onConnection);
      this.sessions.off('created', onCreated);
      this.sessions.off('removed', onRemoved);
    });
    if (this.narration) {
      this.listeners.add(
        listenAll<NarrationServiceEvents>(this.narration, {
          line: (id, cue) => this.io.to(`session:${id}`).emit('narration', cue),
        }),
      );
    }
    for (const s of this.sessions.list()) this.watchSession(s);
  }

  unregisterListeners(): void {
    this.listening = false;
    for (const id of [...this.expiry.keys()]) this.forget(id);
    this.listeners.clear();
    for (const off of this.watched.values()) off();
    this.watched.clear();
  }

  destroy(): void {
    this.unregisterListeners();
    this.nsp.disconnectSockets(true);
  }

  /** Authenticates in the handshake when the client sends { sessionId, token } as `auth`. */
  private onHandshake(socket: ViewerSocket, next: (err?: Error) => void): void {
    // socket.io-client adds `pid`/`offset` (connection state recovery) to the auth of every
    // reconnect; when recovery fails (e.g. after a server restart) they must not fail the check.
    const {
      pid: _pid,
      offset: _offset,
      ...auth
    } = socket.handshake.auth as Record<string, unknown>;
    if (Object.keys(auth).length > 0) {
      const parsed = JoinSchema.safeParse(auth);
      if (!parsed.success) return next(connectError(null));
      try {
        const s = this.sessions.authorize(parsed.data.sessionId, parsed.data.token);
        socket.data.sessionId = s.id;
        this.pendingExpiry.set(socket, this.tokenExpiry?.(parsed.data.token) ?? null);
      } catch (err) {
        return next(connectError(err));
      }
    }
    next();
  }

  /** Relays a session's decisions and state to its room. */
  private watchSession(s: Session): void {
    if (this.watched.has(s.id)) return;
    const room = `session:${s.id}`;
    const onPublished = (_seg: unknown, d: Parameters<ServerToClientEvents['decision']>[0]) =>
      this.io.to(room).emit('decision', d);
    const onState = (u: Parameters<ServerToClientEvents['state']>[0]) =>
      this.io.to(room).volatile.emit('state', u);
    const onEnded = (ending: string) => this.io.to(room).emit('ended', { sessionId: s.id, ending });
    s.on('published', onPublished);
    s.on('state', onState);
    s.on('ended', onEnded);
    this.watched.set(s.id, () => {
      s.off('published', onPublished);
      s.off('state', onState);
      s.off('ended', onEnded);
    });
  }

  private onConnection(socket: ViewerSocket): void {
    if (socket.data.sessionId) {
      void socket.join(`session:${socket.data.sessionId}`);
      this.authenticated(socket, this.pendingExpiry.get(socket) ?? null);
    }
    socket.once('disconnect', () => this.forget(socket.id));
    this.edge.bind(
      socket,
      () => ({ sessionId: socket.data.sessionId, socket }),
      () => (socket.data.sessionId ? `session:${socket.data.sessionId}` : `socket:${socket.id}`),
    );
  }

  /** The socket holds a valid token until `expiresAt` (ms; null: never): it lives until then. */
  private authenticated(socket: ViewerSocket, expiresAt: number | null): void {
    this.onAuthenticated?.(socket);
    this.forget(socket.id);
    if (expiresAt === null) return;
    // The socket is disconnected when its token expires, even if it only listens.
    const timer = setTimeout(
      () => socket.disconnect(),
      Math.max(0, Math.min(expiresAt - this.clock(), 2 ** 31 - 1)),
    );
    timer.unref();
    this.expiry.set(socket.id, { at: expiresAt, timer });
  }

  private forget(socketId: string): void {
    const e = this.expiry.get(socketId);
    if (e) clearTimeout(e.timer);
    this.expiry.delete(socketId);
  }

  private async joinRemote(socket: ViewerSocket, id: string, token: string): Promise<AckResult> {
    if (this.remote && (await this.remote.join(socket, id, token))) {
      return { ok: true, sessionId: id };
    }
    return this.joinLocal(socket, id, token);
  }

  private joinLocal(socket: ViewerSocket, id: string, token: string): AckResult {
    const s = this.sessions.authorize(id, token);
    socket.data.sessionId = s.id;
    void socket.join(`session:${s.id}`);
    this.authenticated(socket, this.tokenExpiry?.(token) ?? null);
    return { ok: true, sessionId: s.id };
  }

  private onJoin(
    ctx: ViewerCtx,
    d: { sessionId: string; token: string },
  ): AckResult | Promise<AckResult> {
    const socket = ctx.socket;
    // A relayed join means nothing (joins are never relayed).
    if (!socket) return { ok: false, error: new FrissonError('FRISSON_ERR_NOT_FOUND').toWire() };
    if (this.remote && !this.sessions.get(d.sessionId)) {
      return this.joinRemote(socket, d.sessionId, d.token);
    }
    return this.joinLocal(socket, d.sessionId, d.token);
  }

  /**
   * Runs `act` on the event's session when it is here, relays the (validated) event to its owner
   * when another process serves it, and refuses it otherwise.
   */
  private inSession(
    ctx: ViewerCtx,
    event: string,
    data: unknown,
    act: (s: Session) => void,
  ): AckResult | Promise<AckResult> {
    const id = ctx.sessionId;
    const s = id ? this.sessions.get(id) : undefined;
    if (s) {
      act(s);
      return { ok: true };
    }
    if (id && ctx.socket && this.remote) return this.remote.relay(id, event, data);
    return { ok: false, error: notJoined(id) };
  }
}

function notJoined(id: string | undefined): WireError {
  return new FrissonError(
    id ? 'FRISSON_ERR_SESSION_NOT_FOUND' : 'FRISSON_ERR_UNAUTHORIZED',
    id ? undefined : 'join a session first (handshake auth or `join` event)',
  ).toWire();
}
