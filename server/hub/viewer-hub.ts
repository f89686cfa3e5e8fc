/**
 * The viewer side of the socket.io hub. Every inbound payload is validated with zod at this edge;
 * a bad payload gets `{ ok: false, error: { code, message } }` in its acknowledgement and changes
 * nothing. Handlers are synchronous and O(1), so one misbehaving client cannot stall a show.
 */
import type { Server, Socket } from 'socket.io';
import {
  FrissonError,
  toWireError,
  type ErrorCode,
  type WireError,
} from '../../contracts/errors.js';
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
import type { Session } from '../session/session.js';
import type { SessionManager } from '../session/session-manager.js';
import type { HubObserver } from '../metrics/frisson-metrics.js';
import { invalidPayload as invalid, safeAck } from './hub-edge.js';
import { TokenBucket, type TokenBucketOptions } from './rate-limiter.js';

type ViewerSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type AckFn = (res: { ok: true } | { ok: false; error: WireError }) => void;

export class ViewerHub {
  private readonly io: Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >;
  private readonly sessions: SessionManager;
  private readonly clock: () => number;
  private readonly rate: TokenBucketOptions | undefined;
  private readonly observer: HubObserver | undefined;

  constructor(opts: {
    io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
    sessions: SessionManager;
    clock?: () => number;
    /** Per-socket token bucket; over the limit an event is acked FRISSON_ERR_RATE_LIMITED. */
    rate?: TokenBucketOptions;
    observer?: HubObserver;
  }) {
    this.io = opts.io;
    this.sessions = opts.sessions;
    this.clock = opts.clock ?? Date.now;
    this.rate = opts.rate;
    this.observer = opts.observer;
    this.registerListeners();
  }

  private registerListeners(): void {
    // Authenticate in the handshake when the client sends { sessionId, token } as `auth`.
    this.io.use((socket, next) => {
      // socket.io-client adds `pid`/`offset` (connection state recovery) to the auth of every
      // reconnect; when recovery fails (e.g. after a server restart) they must not fail the check.
      const {
        pid: _pid,
        offset: _offset,
        ...auth
      } = socket.handshake.auth as Record<string, unknown>;
      if (Object.keys(auth).length > 0) {
        const parsed = JoinSchema.safeParse(auth);
        if (!parsed.success) return next(this.connectError('FRISSON_ERR_UNAUTHORIZED'));
        try {
          const s = this.sessions.authorize(parsed.data.sessionId, parsed.data.token);
          socket.data.sessionId = s.id;
        } catch (err) {
          return next(this.connectError(toWireError(err).code));
        }
      }
      next();
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.sessions.on('created', (s) => this.watchSession(s));
    for (const s of this.sessions.list()) this.watchSession(s);
  }

  private connectError(code: ErrorCode): Error & { data: WireError } {
    const wire = new FrissonError(code).toWire();
    return Object.assign(new Error(wire.message), { data: wire });
  }

  /** Relays a session's decisions and state to its room. */
  watchSession(s: Session): void {
    const room = `session:${s.id}`;
    s.on('published', (_seg, d) => this.io.to(room).emit('decision', d));
    s.on('state', (u) => this.io.to(room).volatile.emit('state', u));
    s.on('ended', (ending) => this.io.to(room).emit('ended', { sessionId: s.id, ending }));
  }

  private onConnection(socket: ViewerSocket): void {
    if (socket.data.sessionId) void socket.join(`session:${socket.data.sessionId}`);
    const bucket = this.rate ? new TokenBucket(this.rate) : null;
    // Counts the event and applies the rate limit; never disconnects on excess.
    const admit = (event: string, reply: (r: { ok: false; error: WireError }) => void): boolean => {
      this.observer?.event('/', event);
      if (!bucket || bucket.take(this.clock())) return true;
      this.observer?.rateLimited('/');
      reply({ ok: false, error: new FrissonError('FRISSON_ERR_RATE_LIMITED').toWire() });
      return false;
    };

    socket.on('join', (payload, ack) => {
      const reply = safeAck(ack);
      if (!admit('join', reply)) return;
      const parsed = JoinSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: invalid(payload, parsed.error) });
      try {
        const s = this.sessions.authorize(parsed.data.sessionId, parsed.data.token);
        socket.data.sessionId = s.id;
        void socket.join(`session:${s.id}`);
        reply({ ok: true, sessionId: s.id });
      } catch (err) {
        reply({ ok: false, error: toWireError(err) });
      }
    });

    socket.on('sample', (payload, ack) => {
      const reply = safeAck(ack);
      if (!admit('sample', reply)) return;
      const session = this.sessionOf(socket, reply);
      if (!session) return;
      const parsed = SampleSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: invalid(payload, parsed.error) });
      if (!heartValuesInLimits(parsed.data)) {
        return reply({
          ok: false,
          error: new FrissonError('FRISSON_ERR_OUT_OF_RANGE', EDGE_LIMITS_MESSAGE).toWire(),
        });
      }
      const now = this.clock();
      const res = session.onSample({ ...parsed.data, t: now });
      if (!res.ok) {
        return reply({
          ok: false,
          error: new FrissonError('FRISSON_ERR_OUT_OF_RANGE', res.message).toWire(),
        });
      }
      session.emitStateThrottled(now);
      reply({ ok: true });
    });

    socket.on('input', (payload, ack) => {
      const reply = safeAck(ack);
      if (!admit('input', reply)) return;
      const session = this.sessionOf(socket, reply);
      if (!session) return;
      const parsed = InputSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: invalid(payload, parsed.error) });
      session.onInput(parsed.data.kind, this.clock());
      reply({ ok: true });
    });

    socket.on('playhead', (payload, ack) => {
      const reply = safeAck(ack);
      if (!admit('playhead', reply)) return;
      const session = this.sessionOf(socket, reply);
      if (!session) return;
      const parsed = PlayheadSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: invalid(payload, parsed.error) });
      if (parsed.data.stalled) this.observer?.stall();
      session.onPlayhead(parsed.data, this.clock());
      reply({ ok: true });
    });
  }

  private sessionOf(socket: ViewerSocket, reply: AckFn): Session | undefined {
    const id = socket.data.sessionId;
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) {
      reply({
        ok: false,
        error: new FrissonError(
          id ? 'FRISSON_ERR_SESSION_NOT_FOUND' : 'FRISSON_ERR_UNAUTHORIZED',
          id ? undefined : 'join a session first (handshake auth or `join` event)',
        ).toWire(),
      });
      return undefined;
    }
    return s;
  }
}
