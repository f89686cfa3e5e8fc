/**
 * Lets any hub process serve any session (cluster mode). A session lives in one process (its
 * owner, see cluster-registry.ts); a request for it that reaches another process is:
 *
 * - HTTP (`/sessions/:id/…`, `/api/sessions/:id…`): forwarded to the owner over HTTP, so the
 *   playlist, its blocking reload and the session JSON come from the process that publishes them;
 * - a socket handshake or `join` for it: authorised here (signed tokens verify anywhere with the
 *   shared FRISSON_SECRET), the socket joins the session's room — the socket.io Redis adapter then
 *   delivers the owner's `decision`/`state`/`ended` emits to it — and its `sample`, `input` and
 *   `playhead` events, once through this process's edge (server/hub/inbound-edge.ts: rate limit,
 *   schema, limits), are relayed to the owner with `serverSideEmit`, run there by the same edge and
 *   acknowledged with the owner's answer (`bind`).
 *
 * When the owner is gone (its node key expired) the first request adopts the session from the
 * Redis store (`SessionManager.resume`): same decisions, same media sequence, same position.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
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
}

/** Runs a relayed viewer event on a session of this process (the viewer hub's edge); null: not here. */
export type SessionEventApply = (
  sessionId: string,
  event: string,
  payload: unknown,
) => AckResult | null | Promise<AckResult | null>;

/** What the viewer hub uses for sessions served by another process (see `SessionLocator.bind`). */
export interface RemoteSessions {
  /**
   * Authorises `socket` for a session another live process serves and joins it to the session's
   * room: true when it did; false when the session is (now, maybe just adopted) local or unknown,
   * for the hub to authorise as usual. A refused token throws its coded error.
   */
  join(socket: Socket, sessionId: string, token: string): Promise<boolean>;
  /** Relays an event, already through this process's edge, to the owner; resolves its ack. */
  relay(sessionId: string, event: string, payload: unknown): Promise<AckResult>;
}

/** The cluster hook the viewer hub takes. */
export interface SessionCluster {
  /** Serves relayed events for local sessions with `apply`; returns the side for remote ones. */
  bind(apply: SessionEventApply): RemoteSessions;
}

export class SessionLocator implements SessionCluster {
  private readonly o: SessionLocatorOptions;

  constructor(opts: SessionLocatorOptions) {
    this.o = opts;
  }

  /** Mount before the session routes. */
  attachHttp(app: Express): void {
    app.use((req, res, next) => void this.onHttp(req, res, next));
  }

  /** Call before any other middleware of the viewer namespace is registered. */
  attachSockets(): void {
    const { io } = this.o;
    io.use((socket, next) => void this.onHandshake(socket).then(() => next(), next));
  }

  bind(apply: SessionEventApply): RemoteSessions {
    // The owner's side of the relay: the hub's own edge (schema, limits, handler) answers.
    serveOwnerRequests<RelayMessage>(this.o.io, RELAY_EVENT, (m) =>
      typeof m?.sessionId === 'string' && typeof m.event === 'string'
        ? apply(m.sessionId, m.event, m.payload)
        : null,
    );
    return {
      join: async (socket, id, token) => {
        if (id.length > 64 || token.length > 512) return false;
        const url = await this.locate(id).catch(() => null);
        if (!url) return false;
        await this.authorizeRemote(socket, id, token);
        return true;
      },
      relay: async (sessionId, event, payload) => {
        const answer = await requestOwner<AckResult>(this.o.io, RELAY_EVENT, {
          sessionId,
          event,
          payload,
        } satisfies RelayMessage);
        if (answer) return answer;
        // Nobody owns it any more: adopt it here and run the event locally.
        await this.locate(sessionId).catch(() => null);
        return (
          (await apply(sessionId, event, payload)) ?? {
            ok: false,
            error: wire('FRISSON_ERR_SESSION_NOT_FOUND'),
          }
        );
      },
    };
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

  private async authorizeRemote(socket: Socket, id: string, token: string): Promise<void> {
    await this.o.verifyToken(id, token);
    (socket.data as { sessionId?: string }).sessionId = id;
    await socket.join(`session:${id}`);
  }
}
