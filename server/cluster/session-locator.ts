/**
 * Lets any hub process serve any session (cluster mode). A session lives in one process (its
 * owner, see cluster-registry.ts); a request for it that reaches another process is:
 *
 * - HTTP (`/sessions/:id/…`, `/api/sessions/:id…`): forwarded to the owner over HTTP, so the
 *   playlist, its blocking reload and the session JSON come from the process that publishes them;
 * - a socket handshake or `join` for it: authorised here (signed tokens verify anywhere with the
 *   shared FRISSON_SECRET), the socket joins the session's room — the socket.io Redis adapter then
 *   delivers the owner's `decision`/`state`/`ended` emits to it — and its `sample`, `input` and
 *   `playhead` events are relayed to the owner with `serverSideEmit` and acknowledged with the
 *   owner's answer.
 *
 * When the owner is gone (its node key expired) the first request adopts the session from the
 * Redis store (`SessionManager.resume`): same decisions, same media sequence, same position.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import { FrissonError, invalidPayloadError, type ValidationIssue } from '../../contracts/errors.js';
import { heartValuesInLimits } from '../../contracts/limits.js';
import { InputSchema, PlayheadSchema, SampleSchema } from '../../contracts/wire.js';
import type { Session } from '../session/session.js';
import type { SessionManager } from '../session/session-manager.js';
import type { ClusterRegistry } from './cluster-registry.js';
import {
  forwardHttp,
  isForwarded,
  requestOwner,
  serveOwnerRequests,
  wire,
  type AckResult,
} from './forwarding.js';

const RELAY_EVENT = 'frisson:session-event';
const RELAYED = new Set(['sample', 'input', 'playhead']);
const SESSION_PATH = /^\/(?:api\/)?sessions\/([^/?#]+)/;
interface RelayMessage {
  sessionId: string;
  event: string;
  payload: unknown;
}

export interface SessionLocatorOptions {
  io: Server;
  sessions: SessionManager;
  registry: ClusterRegistry;
  /** Throws a coded error unless `token` grants access to session `id` (no local session needed). */
  verifyToken: (id: string, token: string) => void | Promise<void>;
  log: Logger;
  /**
   * Adopts an unowned session into this process (default `sessions.resume`); cluster mode adopts a
   * show's screen session together with its show (server/cluster/show-locator.ts).
   */
  adopt?: (id: string) => Promise<unknown>;
  clock?: () => number;
}

/** Applies a relayed viewer event to the local session, with the hub's validation. */
export function applySessionEvent(
  s: Session,
  event: string,
  payload: unknown,
  now: number,
): AckResult {
  const invalid = (issues: readonly ValidationIssue[]): AckResult => ({
    ok: false,
    error: invalidPayloadError(issues).toWire(),
  });
  if (event === 'sample') {
    const parsed = SampleSchema.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error.issues);
    if (!heartValuesInLimits(parsed.data)) {
      return { ok: false, error: wire('FRISSON_ERR_OUT_OF_RANGE') };
    }
    const res = s.onSample({ ...parsed.data, t: now });
    if (!res.ok) return { ok: false, error: wire('FRISSON_ERR_OUT_OF_RANGE', res.message) };
    s.emitState(now);
    return { ok: true };
  }
  if (event === 'input') {
    const parsed = InputSchema.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error.issues);
    s.onInput(parsed.data.kind, now);
    return { ok: true };
  }
  const parsed = PlayheadSchema.safeParse(payload);
  if (!parsed.success) return invalid(parsed.error.issues);
  s.onPlayhead(parsed.data, now);
  return { ok: true };
}

export class SessionLocator {
  private readonly o: SessionLocatorOptions;
  private readonly clock: () => number;

  constructor(opts: SessionLocatorOptions) {
    this.o = opts;
    this.clock = opts.clock ?? Date.now;
  }

  /** Mount before the session routes. */
  attachHttp(app: Express): void {
    app.use((req, res, next) => void this.onHttp(req, res, next));
  }

  /** Call before any other middleware/handler of the viewer namespace is registered. */
  attachSockets(): void {
    const { io, sessions } = this.o;
    io.use((socket, next) => void this.onHandshake(socket).then(() => next(), next));
    io.on('connection', (socket) => {
      socket.use(([event, payload, ...rest], next) => {
        const ack = rest.find((a): a is (r: unknown) => void => typeof a === 'function');
        if (event === 'join') {
          void this.onJoin(socket, payload).then(
            (handled) => (handled ? ack?.({ ok: true, sessionId: handled }) : next()),
            (err: unknown) =>
              ack?.({
                ok: false,
                error: err instanceof FrissonError ? err.toWire() : wire('FRISSON_ERR_INTERNAL'),
              }),
          );
          return;
        }
        const id = (socket.data as { sessionId?: string }).sessionId;
        if (!id || !RELAYED.has(String(event)) || sessions.get(id)) return next();
        void this.relay({ sessionId: id, event: String(event), payload }).then((r) => {
          if (r) ack?.(r);
          else next(); // adopted here meanwhile: the hub's own handler serves it
        });
      });
    });
    // The owner's side of the relay.
    serveOwnerRequests<RelayMessage>(io, RELAY_EVENT, (m) => {
      const s = typeof m?.sessionId === 'string' ? sessions.get(m.sessionId) : undefined;
      return s ? applySessionEvent(s, m.event, m.payload, this.clock()) : null;
    });
  }

  /** Adopts the session when nobody serves it; returns the remote owner's URL otherwise. */
  private async locate(id: string): Promise<string | null> {
    if (this.o.sessions.get(id)) return null;
    const owner = await this.o.registry.remoteOwner(id);
    if (owner) return owner.url;
    const s = await (this.o.adopt ?? ((sid: string) => this.o.sessions.resume(sid)))(id);
    if (s && this.o.sessions.get(id)) this.o.log.info({ session: id }, 'adopted session');
    return null;
  }

  private async onHttp(req: Request, res: Response, next: NextFunction): Promise<void> {
    const m = SESSION_PATH.exec(req.path);
    if (!m?.[1] || isForwarded(req)) return next();
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return next();
    }
    try {
      const url = await this.locate(id);
      if (!url) return next();
      this.forward(url, req, res);
    } catch (err) {
      // Redis unreachable: serve what this process has (local sessions work without Redis).
      this.o.log.warn({ err, session: id }, 'session lookup failed');
      next();
    }
  }

  private forward(base: string, req: Request, res: Response): void {
    const unreachable = wire('FRISSON_ERR_NOT_FOUND', "the session's hub is unreachable, retry");
    forwardHttp(base, req, res, this.o.registry.nodeId, unreachable);
  }

  private async onHandshake(socket: Socket): Promise<void> {
    const {
      pid: _p,
      offset: _o,
      ...auth
    } = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const id = auth.sessionId;
    const token = auth.token;
    if (typeof id !== 'string' || typeof token !== 'string' || id.length > 64) return;
    try {
      if (!(await this.locate(id))) return; // local (or adopted): the hub authorises it
    } catch {
      return; // Redis unreachable: the hub answers from what is local
    }
    await this.authorizeRemote(socket, id, token);
    // Authorised here; the viewer hub's handshake check only knows local sessions.
    socket.handshake.auth = {};
  }

  /** Handles `join` for a session served elsewhere; resolves the id, or null to let the hub do it. */
  private async onJoin(socket: Socket, payload: unknown): Promise<string | null> {
    const p = payload as { sessionId?: unknown; token?: unknown } | null;
    if (!p || typeof p.sessionId !== 'string' || typeof p.token !== 'string') return null;
    if (p.sessionId.length > 64 || p.token.length > 512) return null;
    const url = await this.locate(p.sessionId).catch(() => null);
    if (!url) return null;
    await this.authorizeRemote(socket, p.sessionId, p.token);
    return p.sessionId;
  }

  private async authorizeRemote(socket: Socket, id: string, token: string): Promise<void> {
    await this.o.verifyToken(id, token);
    (socket.data as { sessionId?: string }).sessionId = id;
    await socket.join(`session:${id}`);
  }

  /** Relays a viewer event to the owner; null when no process answered for the session. */
  private async relay(m: RelayMessage): Promise<AckResult | null> {
    const answer = await requestOwner<AckResult>(this.o.io, RELAY_EVENT, m);
    if (answer) return answer;
    // Nobody owns it any more: adopt and let the local hub handle the event.
    const url = await this.locate(m.sessionId).catch(() => 'unreachable');
    if (!url && this.o.sessions.get(m.sessionId)) return null;
    return { ok: false, error: wire('FRISSON_ERR_SESSION_NOT_FOUND') };
  }
}
